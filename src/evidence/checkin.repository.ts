// SQL behind check-in at the branch: a day's sessions with their codes, giving a session its code, and finding a session by its code.
import type { Db, Tx } from '../db/connect.js'
import type { AssignmentState, AttendanceOutcome, AttendanceSource } from '../db/schema.js'
import type { EvidenceSession } from './attendance.repository.js'

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

/** The session a check-in code belongs to, with what attendance needs of it. */
export async function sessionByCode(db: Db | Tx, code: string): Promise<(EvidenceSession & { timezone: string }) | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('branches', 'branches.id', 'sessions.branch_id')
    .select([
      'sessions.id',
      'sessions.branch_id',
      'branches.library_service_id',
      'branches.name as branch_name',
      'branches.timezone',
      'sessions.title',
      'sessions.local_date',
      'sessions.start_time',
      'sessions.end_time',
      'sessions.starts_at',
      'sessions.ends_at',
      'sessions.status',
    ])
    .where('sessions.checkin_code', '=', code)
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
    .select(['assignments.id', 'assignments.state', 'attendance_marks.source as mark_source', 'attendance_marks.outcome as mark_outcome', 'attendance_marks.marked_at'])
    .where('assignments.session_id', '=', sessionId)
    .where('assignments.volunteer_id', '=', volunteerId)
    .executeTakeFirst()
  return row ?? null
}
