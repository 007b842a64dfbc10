// SQL behind the demo seed: plain inserts of the rows src/seed/demo.ts generates, and the one count it derives.
//
// Every writer takes the seed's transaction (`Tx`), so the whole demo lands at once or not at all.
// Batches stay batches: the callers pass whole lists, and the long ones are cut into chunks here,
// under SQLite's limit on bound parameters.
import type { Insertable } from 'kysely'
import type { Db, Tx } from '../db/connect.js'
import type {
  AssignmentsTable,
  AttendanceMarksTable,
  AvailabilityWindowsTable,
  BranchesTable,
  LibraryServicesTable,
  PeopleTable,
  RoleGrantsTable,
  SeriesTable,
  SessionReportsTable,
  SessionReportTopicsTable,
  SessionSkillsTable,
  SessionsTable,
  SessionTrainingsTable,
  SkillsTable,
  TimeOffTable,
  TrainingKindsTable,
  VolunteerBranchesTable,
  VolunteerSkillsTable,
  VolunteersTable,
  VolunteerTrainingsTable,
} from '../db/schema.js'
import { PLACE_STATES } from '../assignments/transitions.js'

/** Rows per multi-row INSERT: 200 assignments × 10 columns stays well under SQLite's 32,766 parameters. */
const CHUNK = 200

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK))
  return out
}

/** Whether any library service exists (the seed runs only on an empty database). */
export async function hasLibraryService(db: Db): Promise<boolean> {
  return !!(await db.selectFrom('library_services').select('id').limit(1).executeTakeFirst())
}

export async function insertLibraryService(tx: Tx, values: Insertable<LibraryServicesTable>): Promise<number> {
  return (await tx.insertInto('library_services').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertBranch(tx: Tx, values: Insertable<BranchesTable>): Promise<number> {
  return (await tx.insertInto('branches').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertSkill(tx: Tx, values: Insertable<SkillsTable>): Promise<number> {
  return (await tx.insertInto('skills').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertTrainingKind(tx: Tx, values: Insertable<TrainingKindsTable>): Promise<number> {
  return (await tx.insertInto('training_kinds').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertPerson(tx: Tx, values: Insertable<PeopleTable>): Promise<number> {
  return (await tx.insertInto('people').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertRoleGrant(tx: Tx, values: Insertable<RoleGrantsTable>): Promise<void> {
  await tx.insertInto('role_grants').values(values).execute()
}

export async function insertVolunteer(tx: Tx, values: Insertable<VolunteersTable>): Promise<number> {
  return (await tx.insertInto('volunteers').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertVolunteerBranches(tx: Tx, rows: Insertable<VolunteerBranchesTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('volunteer_branches').values(rows).execute()
}

export async function insertVolunteerSkills(tx: Tx, rows: Insertable<VolunteerSkillsTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('volunteer_skills').values(rows).execute()
}

export async function insertAvailabilityWindows(tx: Tx, rows: Insertable<AvailabilityWindowsTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('availability_windows').values(rows).execute()
}

export async function insertVolunteerTrainings(tx: Tx, rows: Insertable<VolunteerTrainingsTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('volunteer_trainings').values(rows).execute()
}

export async function insertTimeOff(tx: Tx, values: Insertable<TimeOffTable>): Promise<void> {
  await tx.insertInto('time_off').values(values).execute()
}

export async function insertSeries(tx: Tx, values: Insertable<SeriesTable>): Promise<number> {
  return (await tx.insertInto('series').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertSession(tx: Tx, values: Insertable<SessionsTable>): Promise<number> {
  return (await tx.insertInto('sessions').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertSessionSkills(tx: Tx, rows: Insertable<SessionSkillsTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('session_skills').values(rows).execute()
}

export async function insertSessionTrainings(tx: Tx, rows: Insertable<SessionTrainingsTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('session_trainings').values(rows).execute()
}

/**
 * Inserts the places in chunks, each with its history row: the demo's places were all taken by a
 * confirmation, recorded as the demo's doing on behalf of `actorPersonId`.
 */
export async function insertAssignments(tx: Tx, rows: Insertable<AssignmentsTable>[], actorPersonId: number): Promise<void> {
  for (const chunk of chunks(rows)) {
    const inserted = await tx.insertInto('assignments').values(chunk).returning(['id', 'created_at']).execute()
    await tx
      .insertInto('assignment_events')
      .values(inserted.map((a) => ({ assignment_id: a.id, from_state: null, to_state: 'confirmed' as const, source: 'demo', actor_person_id: actorPersonId, note: 'Demo data', at: a.created_at })))
      .execute()
  }
}

/**
 * Sets every session's confirmed_count of the service from its assignments in place states, so the
 * seed cannot write a count that disagrees with its rows (issue 14 item 7).
 */
export async function deriveConfirmedCounts(tx: Tx, libraryServiceId: number): Promise<void> {
  await tx
    .updateTable('sessions')
    .set((eb) => ({
      confirmed_count: eb
        .selectFrom('assignments')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('assignments.session_id', '=', 'sessions.id')
        .where('assignments.state', 'in', PLACE_STATES),
    }))
    .where('branch_id', 'in', (eb) => eb.selectFrom('branches').select('id').where('library_service_id', '=', libraryServiceId))
    .execute()
}

/** The places already marked attended or no-show, in the order they were inserted. */
export async function markedAssignments(tx: Tx): Promise<Array<{ id: number; state: 'attended' | 'no_show'; updated_at: number }>> {
  const rows = await tx.selectFrom('assignments').select(['id', 'state', 'updated_at']).where('state', 'in', ['attended', 'no_show']).orderBy('id').execute()
  return rows.map((r) => ({ id: r.id, state: r.state as 'attended' | 'no_show', updated_at: r.updated_at }))
}

export async function insertAttendanceMarks(tx: Tx, rows: Insertable<AttendanceMarksTable>[]): Promise<void> {
  for (const chunk of chunks(rows)) await tx.insertInto('attendance_marks').values(chunk).execute()
}

export async function insertSessionReport(tx: Tx, values: Insertable<SessionReportsTable>): Promise<void> {
  await tx.insertInto('session_reports').values(values).execute()
}

export async function insertSessionReportTopics(tx: Tx, rows: Insertable<SessionReportTopicsTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('session_report_topics').values(rows).execute()
}
