// SQL behind attendance: the places on a session with their marks, and writing a mark.
import type { Db, Tx } from '../db/connect.js'
import { PLACE_STATES } from '../assignments/transitions.js'
import type { AssignmentState, AttendanceOutcome, AttendanceSource, Session } from '../db/schema.js'
import { EVIDENCE_SESSION_COLUMNS, MARK_COLUMNS, placesWithHolders, sessionsWithBranch } from '../db/columns.js'

/** What attendance and reports need of a session, with its branch (the check-in lookup reads the same). */
export type EvidenceSession = Pick<Session, 'id' | 'branch_id' | 'title' | 'local_date' | 'start_time' | 'end_time' | 'starts_at' | 'ends_at' | 'status'> & {
  library_service_id: number
  branch_name: string
}

export async function evidenceSession(db: Db | Tx, sessionId: number): Promise<EvidenceSession | null> {
  const row = await sessionsWithBranch(db).select(EVIDENCE_SESSION_COLUMNS).where('sessions.id', '=', sessionId).executeTakeFirst()
  return row ?? null
}

export interface PlaceWithMark {
  assignment_id: number
  volunteer_id: number
  name: string
  state: AssignmentState
  mark_source: AttendanceSource | null
  mark_outcome: AttendanceOutcome | null
}

/** The places held on a session (confirmed, attended, no-show) with who marked them. */
export async function placesWithMarks(db: Db | Tx, sessionId: number): Promise<PlaceWithMark[]> {
  return placesWithHolders(db)
    .leftJoin('attendance_marks', 'attendance_marks.assignment_id', 'assignments.id')
    .select([
      'assignments.id as assignment_id',
      'assignments.volunteer_id',
      'people.name',
      'assignments.state',
      ...MARK_COLUMNS,
    ])
    .where('assignments.session_id', '=', sessionId)
    .where('assignments.state', 'in', PLACE_STATES)
    .orderBy('people.name')
    .orderBy('assignments.id')
    .execute()
}

/** One assignment of this volunteer (any state), with its mark. */
export async function ownPlace(db: Db | Tx, volunteerId: number, assignmentId: number) {
  const row = await db
    .selectFrom('assignments')
    .leftJoin('attendance_marks', 'attendance_marks.assignment_id', 'assignments.id')
    .select(['assignments.id', 'assignments.session_id', 'assignments.volunteer_id', 'assignments.state', 'attendance_marks.source as mark_source'])
    .where('assignments.id', '=', assignmentId)
    .where('assignments.volunteer_id', '=', volunteerId)
    .executeTakeFirst()
  return row ?? null
}

export async function writeMark(tx: Tx, mark: { assignmentId: number; outcome: AttendanceOutcome; source: AttendanceSource; personId: number | null; at: number }): Promise<void> {
  await tx
    .insertInto('attendance_marks')
    .values({ assignment_id: mark.assignmentId, outcome: mark.outcome, source: mark.source, marked_by_person_id: mark.personId, marked_at: mark.at })
    .onConflict((oc) => oc.column('assignment_id').doUpdateSet({ outcome: mark.outcome, source: mark.source, marked_by_person_id: mark.personId, marked_at: mark.at }))
    .execute()
}

/** The marks on some of a volunteer's places (for My sessions). */
export async function marksOf(db: Db | Tx, assignmentIds: readonly number[]): Promise<Map<number, { source: AttendanceSource; outcome: AttendanceOutcome }>> {
  if (assignmentIds.length === 0) return new Map()
  const rows = await db.selectFrom('attendance_marks').select(['assignment_id', 'source', 'outcome']).where('assignment_id', 'in', [...assignmentIds]).execute()
  return new Map(rows.map((r) => [r.assignment_id, { source: r.source, outcome: r.outcome }]))
}
