// SQL behind a volunteer's email switches: who they are, and turning one switch on or off.
import type { Db, Tx } from '../db/connect.js'

/** The volunteers column behind each switch. */
export const SWITCH_COLUMNS = { reminders: 'reminders_enabled', 'group-messages': 'group_messages_enabled' } as const
export type SwitchColumn = (typeof SWITCH_COLUMNS)[keyof typeof SWITCH_COLUMNS]

/** A volunteer who still has an account, with both switches. */
export async function volunteerSwitches(db: Db | Tx, volunteerId: number) {
  const row = await db
    .selectFrom('volunteers')
    .innerJoin('people', 'people.id', 'volunteers.person_id')
    .select(['volunteers.id', 'volunteers.library_service_id', 'volunteers.reminders_enabled', 'volunteers.group_messages_enabled', 'people.id as personId', 'people.name'])
    .where('volunteers.id', '=', volunteerId)
    .where('people.anonymised_at', 'is', null)
    .executeTakeFirst()
  return row ?? null
}

/** True when it changed (so only a real change is audited). */
export async function setSwitchColumn(tx: Tx, volunteerId: number, column: SwitchColumn, enabled: boolean, now: number): Promise<boolean> {
  const r = await tx
    .updateTable('volunteers')
    .set({ [column]: enabled ? 1 : 0, updated_at: now })
    .where('id', '=', volunteerId)
    .where(column, '=', enabled ? 0 : 1)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}
