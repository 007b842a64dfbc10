// Select lists and joins that several repositories share, so a session or a place reads the same everywhere.
import type { Db, Tx } from './connect.js'

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

/** The columns behind SessionFacts (src/calendar/session-event.ts), from sessions joined to branches. */
export const sessionFactColumns = [
  'sessions.id as sessionId',
  'sessions.title',
  'sessions.notes',
  'sessions.local_date as localDate',
  'sessions.start_time as startTime',
  'sessions.end_time as endTime',
  'branches.name as branchName',
  'branches.address as branchAddress',
  'branches.postcode as branchPostcode',
  'branches.timezone',
  'branches.arrival_notes as arrivalNotes',
] as const

/** Who holds a place, as the emails about it address them (from placesWithPeople). */
export const placeHolderColumns = [
  'assignments.id as assignmentId',
  'volunteers.id as volunteerId',
  'people.id as personId',
  'people.name as volunteerName',
  'people.email as volunteerEmail',
] as const

/** Places (assignments) with their session, its branch, and the volunteer and person holding them. */
export function placesWithPeople(db: Db | Tx) {
  return db
    .selectFrom('assignments')
    .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
    .innerJoin('branches', 'branches.id', 'sessions.branch_id')
    .innerJoin('volunteers', 'volunteers.id', 'assignments.volunteer_id')
    .innerJoin('people', 'people.id', 'volunteers.person_id')
}
