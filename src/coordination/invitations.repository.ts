// SQL for invitations: single-use tokens (stored hashed) on an "invited" assignment, and what their pages show.
import type { Db, Tx } from '../db/connect.js'
import type { AssignmentState, InvitationState } from '../db/schema.js'
import { placesWithPeople } from '../db/columns.js'

export interface InvitationView {
  id: number
  state: InvitationState
  /** Set when the invitation asks them to take another volunteer's place. */
  cover_request_id: number | null
  expires_at: number
  responded_at: number | null
  assignment_id: number
  assignment_state: AssignmentState
  session_id: number
  volunteer_id: number
  person_id: number
  volunteer_name: string
  volunteer_email: string
  title: string
  notes: string
  local_date: string
  start_time: string
  end_time: string
  starts_at: number
  session_status: 'scheduled' | 'cancelled'
  confirmed_count: number
  max_volunteers: number
  branch_id: number
  branch_name: string
  /** Its Welsh form, for withLocalNames (src/i18n/names.ts). */
  branch_name_cy: string | null
  branch_address: string
  branch_postcode: string
  arrival_notes: string
  timezone: string
  library_service_id: number
}

function base(db: Db | Tx) {
  return placesWithPeople(db)
    .innerJoin('invitations', 'invitations.assignment_id', 'assignments.id')
    .select([
      'invitations.id',
      'invitations.state',
      'invitations.cover_request_id',
      'invitations.expires_at',
      'invitations.responded_at',
      'assignments.id as assignment_id',
      'assignments.state as assignment_state',
      'sessions.id as session_id',
      'volunteers.id as volunteer_id',
      'people.id as person_id',
      'people.name as volunteer_name',
      'people.email as volunteer_email',
      'sessions.title',
      'sessions.notes',
      'sessions.local_date',
      'sessions.start_time',
      'sessions.end_time',
      'sessions.starts_at',
      'sessions.status as session_status',
      'sessions.confirmed_count',
      'sessions.max_volunteers',
      'branches.id as branch_id',
      'branches.name as branch_name',
      'branches.name_cy as branch_name_cy',
      'branches.address as branch_address',
      'branches.postcode as branch_postcode',
      'branches.arrival_notes',
      'branches.timezone',
      'branches.library_service_id',
    ])
}

export async function findByTokenHash(db: Db | Tx, tokenHash: string): Promise<InvitationView | null> {
  return (await base(db).where('invitations.token_hash', '=', tokenHash).executeTakeFirst()) ?? null
}

export async function findById(db: Db | Tx, invitationId: number): Promise<InvitationView | null> {
  return (await base(db).where('invitations.id', '=', invitationId).executeTakeFirst()) ?? null
}

export async function insertInvitation(
  tx: Tx,
  input: { assignmentId: number; tokenHash: string; expiresAt: number; createdBy: number | null; now: number; coverRequestId?: number | null },
): Promise<number> {
  const row = await tx
    .insertInto('invitations')
    .values({ assignment_id: input.assignmentId, token_hash: input.tokenHash, state: 'pending', expires_at: input.expiresAt, created_by_person_id: input.createdBy, created_at: input.now, responded_at: null, cover_request_id: input.coverRequestId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Moves an invitation on from "pending" only: a token acts once. Returns false if it was no longer pending. */
export async function settle(tx: Tx, invitationId: number, state: Exclude<InvitationState, 'pending'>, now: number): Promise<boolean> {
  const r = await tx.updateTable('invitations').set({ state, responded_at: now }).where('id', '=', invitationId).where('state', '=', 'pending').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function pendingOfAssignment(db: Db | Tx, assignmentId: number): Promise<Array<{ id: number; expires_at: number }>> {
  return db.selectFrom('invitations').select(['id', 'expires_at']).where('assignment_id', '=', assignmentId).where('state', '=', 'pending').execute()
}

export async function pendingOfSession(db: Db | Tx, sessionId: number): Promise<Array<{ id: number; assignment_id: number; volunteer_id: number }>> {
  return db
    .selectFrom('invitations')
    .innerJoin('assignments', 'assignments.id', 'invitations.assignment_id')
    .select(['invitations.id', 'invitations.assignment_id', 'assignments.volunteer_id'])
    .where('assignments.session_id', '=', sessionId)
    .where('invitations.state', '=', 'pending')
    .execute()
}

export async function coordinatorName(db: Db | Tx, personId: number | null): Promise<string | null> {
  if (personId === null) return null
  const row = await db.selectFrom('people').select('name').where('id', '=', personId).executeTakeFirst()
  return row?.name ?? null
}

export async function serviceName(db: Db | Tx, libraryServiceId: number): Promise<string> {
  const row = await db.selectFrom('library_services').select('name').where('id', '=', libraryServiceId).executeTakeFirst()
  return row?.name ?? 'your library service'
}
