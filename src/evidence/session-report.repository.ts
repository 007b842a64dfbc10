// SQL behind a session's report: people helped, topics, the optional counts, and the topics a service offers.
import type { Db, Tx } from '../db/connect.js'
import { PLACE_STATES } from '../assignments/transitions.js'

export interface StoredReport {
  people_helped: number
  new_to_library: number | null
  came_back: number | null
  notes: string
  recorded_at: number
  recorded_by_person_id: number | null
  topics: Map<number, number>
}

export async function reportOf(db: Db | Tx, sessionId: number): Promise<StoredReport | null> {
  const row = await db
    .selectFrom('session_reports')
    .select(['people_helped', 'new_to_library', 'came_back', 'notes', 'recorded_at', 'recorded_by_person_id'])
    .where('session_id', '=', sessionId)
    .executeTakeFirst()
  if (!row) return null
  const topics = await db.selectFrom('session_report_topics').select(['skill_id', 'people_count']).where('session_id', '=', sessionId).execute()
  return { ...row, topics: new Map(topics.map((t) => [t.skill_id, t.people_count])) }
}

export interface Topic {
  id: number
  name: string
  /** The Welsh name an admin entered, or null (src/i18n/names.ts). */
  name_cy: string | null
}

/** A library service's topics (not languages) that can be reported, in the admins' order. */
export async function topicsOfService(db: Db | Tx, libraryServiceId: number): Promise<Topic[]> {
  return db
    .selectFrom('skills')
    .select(['id', 'name', 'name_cy'])
    .where('library_service_id', '=', libraryServiceId)
    .where('kind', '=', 'topic')
    .where('active', '=', 1)
    .orderBy('sort_order')
    .orderBy('name')
    .execute()
}

export async function holdsPlace(db: Db | Tx, sessionId: number, volunteerId: number): Promise<boolean> {
  const row = await db
    .selectFrom('assignments')
    .select('id')
    .where('session_id', '=', sessionId)
    .where('volunteer_id', '=', volunteerId)
    .where('state', 'in', PLACE_STATES)
    .executeTakeFirst()
  return !!row
}

export interface ReportValues {
  peopleHelped: number
  newToLibrary: number | null
  cameBack: number | null
  notes: string
  topics: ReadonlyMap<number, number>
}

/** Writes the one report of a session (replacing an earlier one) and its topics. */
export async function saveReport(tx: Tx, sessionId: number, values: ReportValues, personId: number, at: number): Promise<void> {
  const row = { people_helped: values.peopleHelped, new_to_library: values.newToLibrary, came_back: values.cameBack, notes: values.notes, recorded_by_person_id: personId, recorded_at: at }
  await tx
    .insertInto('session_reports')
    .values({ session_id: sessionId, ...row })
    .onConflict((oc) => oc.column('session_id').doUpdateSet(row))
    .execute()
  await tx.deleteFrom('session_report_topics').where('session_id', '=', sessionId).execute()
  const topics = [...values.topics].filter(([, n]) => n > 0).map(([skill_id, people_count]) => ({ session_id: sessionId, skill_id, people_count }))
  if (topics.length) await tx.insertInto('session_report_topics').values(topics).execute()
}
