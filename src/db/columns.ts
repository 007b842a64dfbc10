// Select lists and joins that several repositories share, so a session or a place reads the same everywhere.
import type { Db, Tx } from './connect.js'

/** How a line about a session names it: its title, local date and times (snake_case, as the repositories' row types). */
export const SESSION_HEADING_COLUMNS = ['sessions.title', 'sessions.local_date', 'sessions.start_time', 'sessions.end_time'] as const

/**
 * The same with its branch's name (from sessions joined to branches), and the name's Welsh form
 * where an admin entered one: `withLocalNames` (src/i18n/names.ts) puts the page's in `branch_name`.
 */
export const SESSION_LINE_COLUMNS = [...SESSION_HEADING_COLUMNS, 'branches.name as branch_name', 'branches.name_cy as branch_name_cy'] as const

/** What attendance, check-in and reports read of a session, with its branch (EvidenceSession in src/evidence/attendance.repository.ts). */
export const EVIDENCE_SESSION_COLUMNS = [
  'sessions.id',
  'sessions.branch_id',
  'branches.library_service_id',
  'branches.name as branch_name',
  'branches.name_cy as branch_name_cy',
  ...SESSION_HEADING_COLUMNS,
  'sessions.starts_at',
  'sessions.ends_at',
  'sessions.status',
] as const

/** A session's id and heading as the emails' camelCase rows name them. */
export const sessionHeadingColumns = [
  'sessions.id as sessionId',
  'sessions.title',
  'sessions.local_date as localDate',
  'sessions.start_time as startTime',
  'sessions.end_time as endTime',
] as const

/** What a listing of sessions shows of each (snake_case, as the repositories' row types); add the branch columns you need. */
export const SESSION_LISTING_COLUMNS = [
  'sessions.id',
  'sessions.branch_id',
  'sessions.series_id',
  'sessions.title',
  'sessions.kind',
  'sessions.local_date',
  'sessions.start_time',
  'sessions.end_time',
  'sessions.starts_at',
  'sessions.ends_at',
  'sessions.min_volunteers',
  'sessions.max_volunteers',
  'sessions.confirmed_count',
] as const

/** The columns behind SessionFacts (src/calendar/session-event.ts), from sessions joined to branches (the branch's Welsh name for withLocalNames). */
export const sessionFactColumns = [
  ...sessionHeadingColumns,
  'sessions.notes',
  'branches.name as branchName',
  'branches.name_cy as branchNameCy',
  'branches.address as branchAddress',
  'branches.postcode as branchPostcode',
  'branches.timezone',
  'branches.arrival_notes as arrivalNotes',
] as const

/** A topic or language as forms and filters list it (from skills alone: the names are unqualified), with the Welsh name for withLocalNames. */
export const SKILL_COLUMNS = ['id', 'name', 'name_cy', 'kind', 'library_service_id'] as const

/** A volunteer's commitment on a session (Commitment in src/matching/eligibility.ts, snake_case), from assignments joined to sessions. */
export const COMMITMENT_COLUMNS = ['assignments.volunteer_id', 'sessions.id as session_id', 'sessions.title', 'sessions.starts_at', 'sessions.ends_at', 'sessions.local_date'] as const

/** A place's attendance mark, from assignments left-joined to attendance_marks (nulls when it has none). */
export const MARK_COLUMNS = ['attendance_marks.source as mark_source', 'attendance_marks.outcome as mark_outcome'] as const

/** Who holds a place, as the emails about it address them (from placesWithPeople). */
export const placeHolderColumns = [
  'assignments.id as assignmentId',
  'volunteers.id as volunteerId',
  'people.id as personId',
  'people.name as volunteerName',
  'people.email as volunteerEmail',
] as const

/** Sessions with their branch. */
export function sessionsWithBranch(db: Db | Tx) {
  return db.selectFrom('sessions').innerJoin('branches', 'branches.id', 'sessions.branch_id')
}

/** Sessions with their branch and its library service. */
export function sessionsWithService(db: Db | Tx) {
  return sessionsWithBranch(db).innerJoin('library_services', 'library_services.id', 'branches.library_service_id')
}

/** Volunteers with the person each is (anonymised people included: the caller says whether they count). */
export function volunteersWithPeople(db: Db | Tx) {
  return db.selectFrom('volunteers').innerJoin('people', 'people.id', 'volunteers.person_id')
}

/** Places (assignments) with their session and its branch. */
export function placesWithSessions(db: Db | Tx) {
  return db.selectFrom('assignments').innerJoin('sessions', 'sessions.id', 'assignments.session_id').innerJoin('branches', 'branches.id', 'sessions.branch_id')
}

/** Places (assignments) with the volunteer and person holding them. */
export function placesWithHolders(db: Db | Tx) {
  return db.selectFrom('assignments').innerJoin('volunteers', 'volunteers.id', 'assignments.volunteer_id').innerJoin('people', 'people.id', 'volunteers.person_id')
}

/** Places (assignments) with their session, its branch, and the volunteer and person holding them. */
export function placesWithPeople(db: Db | Tx) {
  return placesWithSessions(db).innerJoin('volunteers', 'volunteers.id', 'assignments.volunteer_id').innerJoin('people', 'people.id', 'volunteers.person_id')
}
