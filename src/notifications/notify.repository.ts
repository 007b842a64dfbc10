// SQL for what people are told: the facts of a place for its emails, SEQUENCE bumps, and who coordinates a session's branch.
import type { Db, Tx } from '../db/connect.js'
import { prepared } from '../db/prepared.js'
import { chooseLocale, type Locale } from '../i18n/i18n.js'
import { withLocalNames } from '../i18n/names.js'
import { placeHolderColumns, placesWithPeople, SESSION_HEADING_COLUMNS, sessionFactColumns, sessionsWithBranch } from '../db/columns.js'

export interface AssignmentContext {
  assignmentId: number
  sessionId: number
  volunteerId: number
  personId: number
  volunteerName: string
  volunteerEmail: string
  title: string
  kind: string
  notes: string
  localDate: string
  startTime: string
  endTime: string
  sessionStatus: string
  updatedAt: number
  /** In the volunteer's language (`locale`). */
  branchName: string
  branchAddress: string
  branchPostcode: string
  timezone: string
  arrivalNotes: string
  libraryServiceId: number
  /** The language the volunteer's emails and calendar text are written in (src/people/recipient-language.repository.ts). */
  locale: Locale
}

// The volunteer's own language and their library service's default come in the same read, so an
// email about a place costs no extra query for its language.
const assignmentContext = prepared((tx, assignmentId: number) =>
  placesWithPeople(tx)
    .innerJoin('library_services', 'library_services.id', 'volunteers.library_service_id')
    .select([
      ...placeHolderColumns,
      ...sessionFactColumns,
      'sessions.kind',
      'sessions.status as sessionStatus',
      'sessions.updated_at as updatedAt',
      'branches.library_service_id as libraryServiceId',
      'people.language as personLanguage',
      'library_services.default_language as serviceLanguage',
    ])
    .where('assignments.id', '=', assignmentId),
)

export async function loadAssignment(tx: Db | Tx, assignmentId: number): Promise<AssignmentContext> {
  const row = await assignmentContext.first(tx, assignmentId)
  if (!row) throw new Error(`assignment ${assignmentId} not found`)
  const { personLanguage, serviceLanguage, ...rest } = row
  const locale = chooseLocale({ profile: personLanguage, serviceDefault: serviceLanguage })
  // The branch named in the volunteer's language, in the email and its calendar event alike.
  return withLocalNames({ ...rest, locale }, locale)
}

const nextSequence = prepared((tx, assignmentId: number) =>
  tx
    .updateTable('assignments')
    .set((eb) => ({ ical_sequence: eb('ical_sequence', '+', 1) }))
    .where('id', '=', assignmentId)
    .returning('ical_sequence'),
)

/** Bumps the place's calendar SEQUENCE and returns the new value (so it never goes backwards). */
export async function bumpSequence(tx: Tx, assignmentId: number): Promise<number> {
  const row = await nextSequence.first(tx, assignmentId)
  if (!row) throw new Error(`assignment ${assignmentId} not found`)
  return row.ical_sequence
}

/** The calendar SEQUENCE last sent for this place. */
export async function currentSequence(db: Db | Tx, assignmentId: number): Promise<number> {
  const row = await db.selectFrom('assignments').select('ical_sequence').where('id', '=', assignmentId).executeTakeFirstOrThrow()
  return row.ical_sequence
}

/** The places confirmed on a session. */
export async function confirmedAssignmentIds(tx: Tx, sessionId: number): Promise<number[]> {
  const rows = await tx.selectFrom('assignments').select('id').where('session_id', '=', sessionId).where('state', '=', 'confirmed').execute()
  return rows.map((r) => r.id)
}

/** A session with its branch, for a coordinator alert. */
export async function sessionForAlert(tx: Tx, sessionId: number) {
  return sessionsWithBranch(tx)
    .select(['sessions.id', ...SESSION_HEADING_COLUMNS, 'branches.id as branch_id', 'branches.name as branch_name', 'branches.name_cy as branch_name_cy', 'branches.library_service_id'])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirstOrThrow()
}

/** Everyone (not anonymised) who coordinates the whole service or this branch. */
export async function coordinatorsOfBranch(tx: Tx, libraryServiceId: number, branchId: number) {
  return tx
    .selectFrom('role_grants')
    .innerJoin('people', 'people.id', 'role_grants.person_id')
    .select(['people.id', 'people.name', 'people.email'])
    .where('role_grants.role', '=', 'coordinator')
    .where('role_grants.library_service_id', '=', libraryServiceId)
    .where((eb) => eb.or([eb('role_grants.branch_id', 'is', null), eb('role_grants.branch_id', '=', branchId)]))
    .where('people.anonymised_at', 'is', null)
    .distinct()
    .execute()
}
