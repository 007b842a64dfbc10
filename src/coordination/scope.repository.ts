// SQL behind a coordinator's scope checks: which branch a session is at, and where a volunteer goes.
import type { Db, Tx } from '../db/connect.js'

export async function branchIdOfSession(db: Db | Tx, sessionId: number): Promise<number | null> {
  const row = await db.selectFrom('sessions').select('branch_id').where('id', '=', sessionId).executeTakeFirst()
  return row?.branch_id ?? null
}

export async function serviceOfVolunteer(db: Db | Tx, volunteerId: number): Promise<number | null> {
  const v = await db.selectFrom('volunteers').select('library_service_id').where('id', '=', volunteerId).executeTakeFirst()
  return v?.library_service_id ?? null
}

/** Whether the volunteer goes to at least one of these branches (the caller passes a non-empty list). */
export async function volunteerGoesToAnyOf(db: Db | Tx, volunteerId: number, branchIds: readonly number[]): Promise<boolean> {
  const hit = await db.selectFrom('volunteer_branches').select('branch_id').where('volunteer_id', '=', volunteerId).where('branch_id', 'in', branchIds).executeTakeFirst()
  return !!hit
}
