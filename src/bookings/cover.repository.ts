// SQL for cover requests: a volunteer asks for someone to take their place; the invitations it sent; the coordinators' alert when nobody has accepted.
import type { Db, Tx } from '../db/connect.js'
import type { CoverRequestStatus } from '../db/schema.js'

export interface CoverRequest {
  id: number
  assignment_id: number
  session_id: number
  volunteer_id: number
  status: CoverRequestStatus
  alert_at: number
  alerted_at: number | null
  created_at: number
}

const COLUMNS = ['id', 'assignment_id', 'session_id', 'volunteer_id', 'status', 'alert_at', 'alerted_at', 'created_at'] as const

export async function insertCoverRequest(tx: Tx, input: { assignmentId: number; sessionId: number; volunteerId: number; alertAt: number; now: number }): Promise<number> {
  const row = await tx
    .insertInto('cover_requests')
    .values({ assignment_id: input.assignmentId, session_id: input.sessionId, volunteer_id: input.volunteerId, status: 'open', alert_at: input.alertAt, created_at: input.now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function findCoverRequest(db: Db | Tx, id: number): Promise<CoverRequest | null> {
  return ((await db.selectFrom('cover_requests').select(COLUMNS).where('id', '=', id).executeTakeFirst()) as CoverRequest | undefined) ?? null
}

export async function openRequestOfAssignment(db: Db | Tx, assignmentId: number): Promise<CoverRequest | null> {
  return ((await db.selectFrom('cover_requests').select(COLUMNS).where('assignment_id', '=', assignmentId).where('status', '=', 'open').executeTakeFirst()) as CoverRequest | undefined) ?? null
}

/** Moves a request on from "open" only. Returns false if it was no longer open. */
export async function settleCoverRequest(tx: Tx, id: number, status: Exclude<CoverRequestStatus, 'open'>, now: number, coveredBy: number | null = null): Promise<boolean> {
  const r = await tx.updateTable('cover_requests').set({ status, settled_at: now, covered_by_volunteer_id: coveredBy }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function openRequestsOfSession(db: Db | Tx, sessionId: number): Promise<CoverRequest[]> {
  return (await db.selectFrom('cover_requests').select(COLUMNS).where('session_id', '=', sessionId).where('status', '=', 'open').execute()) as CoverRequest[]
}

/** Unanswered invitations sent for a request, with whom they went to. */
export async function pendingInvitationsOfRequest(db: Db | Tx, requestId: number): Promise<Array<{ id: number; volunteer_id: number }>> {
  return db
    .selectFrom('invitations')
    .innerJoin('assignments', 'assignments.id', 'invitations.assignment_id')
    .select(['invitations.id', 'assignments.volunteer_id'])
    .where('invitations.cover_request_id', '=', requestId)
    .where('invitations.state', '=', 'pending')
    .execute()
}

/** Open requests whose alert time has come and whose session has not started, not yet alerted. */
export async function requestsDueForAlert(db: Db | Tx, now: number): Promise<Array<CoverRequest & { asker_name: string; starts_at: number }>> {
  return (await db
    .selectFrom('cover_requests')
    .innerJoin('sessions', 'sessions.id', 'cover_requests.session_id')
    .innerJoin('volunteers', 'volunteers.id', 'cover_requests.volunteer_id')
    .innerJoin('people', 'people.id', 'volunteers.person_id')
    .select(COLUMNS.map((c) => `cover_requests.${c}` as const))
    .select(['people.name as asker_name', 'sessions.starts_at'])
    .where('cover_requests.status', '=', 'open')
    .where('cover_requests.alerted_at', 'is', null)
    .where('cover_requests.alert_at', '<=', now)
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.starts_at', '>', now)
    .orderBy('cover_requests.id')
    .limit(500)
    .execute()) as Array<CoverRequest & { asker_name: string; starts_at: number }>
}

export async function markAlerted(tx: Tx, id: number, now: number): Promise<boolean> {
  const r = await tx.updateTable('cover_requests').set({ alerted_at: now }).where('id', '=', id).where('status', '=', 'open').where('alerted_at', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Open requests on these sessions, with the asker's name (the gap board's "Cover wanted"). */
export async function openRequestsForSessions(db: Db | Tx, sessionIds: readonly number[]): Promise<Array<{ id: number; session_id: number; asker_name: string; invited: number }>> {
  if (sessionIds.length === 0) return []
  const rows = await db
    .selectFrom('cover_requests')
    .innerJoin('volunteers', 'volunteers.id', 'cover_requests.volunteer_id')
    .innerJoin('people', 'people.id', 'volunteers.person_id')
    .select(['cover_requests.id', 'cover_requests.session_id', 'people.name as asker_name'])
    .select((eb) =>
      eb
        .selectFrom('invitations')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('invitations.cover_request_id', '=', 'cover_requests.id')
        .where('invitations.state', '=', 'pending')
        .as('invited'),
    )
    .where('cover_requests.session_id', 'in', sessionIds)
    .where('cover_requests.status', '=', 'open')
    .orderBy('cover_requests.id')
    .execute()
  return rows.map((r) => ({ id: r.id, session_id: r.session_id, asker_name: r.asker_name, invited: Number(r.invited ?? 0) }))
}

/** The session was cancelled: its open requests end with it. */
export async function cancelOpenRequestsOfSession(tx: Tx, sessionId: number, now: number): Promise<number> {
  const r = await tx.updateTable('cover_requests').set({ status: 'cancelled', settled_at: now }).where('session_id', '=', sessionId).where('status', '=', 'open').executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Which of a volunteer's places have an open request for cover (My sessions marks them). */
export async function openRequestAssignmentsOf(db: Db | Tx, volunteerId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('cover_requests').select('assignment_id').where('volunteer_id', '=', volunteerId).where('status', '=', 'open').execute()
  return new Set(rows.map((r) => r.assignment_id))
}
