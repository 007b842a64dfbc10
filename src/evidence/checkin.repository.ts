// SQL behind check-in at the branch: a day's sessions with their codes, giving a session its code, and finding a session by its code.
import type { Db, Tx } from '../db/connect.js'
import type { AssignmentState, AttendanceOutcome, AttendanceSource } from '../db/schema.js'
import type { EvidenceSession } from './attendance.repository.js'
import { EVIDENCE_SESSION_COLUMNS, MARK_COLUMNS, sessionsWithBranch } from '../db/columns.js'

export interface SheetSession {
  id: number
  title: string
  start_time: string
  end_time: string
  checkin_code: string | null
}

/** A branch's scheduled sessions on one local date, in time order. */
export async function sessionsOfDay(db: Db, branchId: number, localDate: string): Promise<SheetSession[]> {
  return db
    .selectFrom('sessions')
    .select(['id', 'title', 'start_time', 'end_time', 'checkin_code'])
    .where('branch_id', '=', branchId)
    .where('local_date', '=', localDate)
    .where('status', '=', 'scheduled')
    .orderBy('start_time')
    .orderBy('id')
    .execute()
}

/** Gives the session `code` unless it already has one; returns the code it has now. */
export async function ensureCode(db: Db, sessionId: number, code: string): Promise<string> {
  await db.updateTable('sessions').set({ checkin_code: code }).where('id', '=', sessionId).where('checkin_code', 'is', null).execute()
  const row = await db.selectFrom('sessions').select('checkin_code').where('id', '=', sessionId).executeTakeFirstOrThrow()
  return row.checkin_code ?? code
}

export type CheckinSession = EvidenceSession & { timezone: string }

/** The session a check-in code belongs to (or, by id, the session of a place), with what attendance needs of it. */
export async function checkinSession(db: Db | Tx, by: { code: string } | { id: number }): Promise<CheckinSession | null> {
  const row = await sessionsWithBranch(db)
    .select([...EVIDENCE_SESSION_COLUMNS, 'branches.timezone'])
    .$call((q) => ('code' in by ? q.where('sessions.checkin_code', '=', by.code) : q.where('sessions.id', '=', by.id)))
    .executeTakeFirst()
  return row ?? null
}

/** Who holds an assignment, and on which session (for a per-place check-in link). */
export async function placeHolder(db: Db | Tx, assignmentId: number): Promise<{ sessionId: number; volunteerId: number; personId: number } | null> {
  const row = await db
    .selectFrom('assignments')
    .innerJoin('volunteers', 'volunteers.id', 'assignments.volunteer_id')
    .select(['assignments.session_id as sessionId', 'assignments.volunteer_id as volunteerId', 'volunteers.person_id as personId'])
    .where('assignments.id', '=', assignmentId)
    .executeTakeFirst()
  return row ?? null
}

export interface PlaceOnSession {
  id: number
  state: AssignmentState
  mark_source: AttendanceSource | null
  mark_outcome: AttendanceOutcome | null
  marked_at: number | null
}

/** This volunteer's assignment on the session (any state), with its attendance mark. */
export async function placeOnSession(db: Db | Tx, sessionId: number, volunteerId: number): Promise<PlaceOnSession | null> {
  const row = await db
    .selectFrom('assignments')
    .leftJoin('attendance_marks', 'attendance_marks.assignment_id', 'assignments.id')
    .select(['assignments.id', 'assignments.state', ...MARK_COLUMNS, 'attendance_marks.marked_at'])
    .where('assignments.session_id', '=', sessionId)
    .where('assignments.volunteer_id', '=', volunteerId)
    .executeTakeFirst()
  return row ?? null
}
