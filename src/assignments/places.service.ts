// Taking and giving up places on sessions: the one place where capacity, clashes and eligibility are enforced.
//
// Every path that confirms someone (self-booking, an accepted invitation, direct assignment,
// auto-fill, waitlist promotion) goes through takePlaceInTx, inside one transaction that first
// locks the volunteer, then the session, and decides against the database's current state.
// So "never above the maximum" and "never on two overlapping sessions" hold whatever arrives at
// once, on SQLite (one writer) and on PostgreSQL (row locks).
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import type { AssignmentSource, AssignmentState } from '../db/schema.js'
import { inTransaction } from '../db/transaction.js'
import { BOOKING_RULES, checkRules, type Names, type Rule, type RuleFailure } from '../matching/eligibility.js'
import { queueCancellation, queueConfirmation, type CancelWording, type ConfirmWording } from '../notifications/notify.js'
import * as repo from './assignments.repository.js'

export type TakePlaceResult =
  | { kind: 'confirmed'; assignmentId: number }
  | { kind: 'already-confirmed'; assignmentId: number }
  | { kind: 'full' }
  | { kind: 'refused'; message: string; failures: RuleFailure[] }

export interface TakePlaceInput {
  sessionId: number
  volunteerId: number
  source: AssignmentSource
  actorPersonId: number | null
  /** Which eligibility rules bind (self-booking: all but weekly availability). */
  rules?: readonly Rule[]
  /** Enforce the library service's booking window (self-booking). */
  bookingWindow?: boolean
  wording: ConfirmWording
}

function refused(message: string, failures: RuleFailure[] = []): TakePlaceResult {
  return { kind: 'refused', message, failures }
}

/** Instants bounding the calendar month of a local date, with a margin for zones: enough for the monthly cap. */
export function monthWindow(localDate: string): { from: number; until: number } {
  const [y, m] = localDate.split('-').map(Number)
  const day = 86_400_000
  return { from: Date.UTC(y!, m! - 1, 1) - 2 * day, until: Date.UTC(y!, m!, 1) + 2 * day }
}

type SessionCheck = { ok: true; session: repo.LockedSession; libraryServiceId: number } | { ok: false; result: TakePlaceResult }

async function lockAndCheckSession(tx: Tx, ctx: AppContext, input: TakePlaceInput): Promise<SessionCheck> {
  const volunteer = await repo.lockVolunteer(tx, input.volunteerId)
  if (!volunteer) return { ok: false, result: refused('That volunteer does not exist') }
  const session = await repo.lockSession(tx, input.sessionId)
  if (!session) return { ok: false, result: refused('That session does not exist') }
  const now = ctx.clock.now()
  if (session.status === 'cancelled') return { ok: false, result: refused('This session has been cancelled') }
  if (session.starts_at <= now) return { ok: false, result: refused('This session has already started, so places can no longer be taken') }
  const service = await repo.libraryServiceOfSession(tx, session.id)
  if (!service || service.library_service_id !== volunteer.library_service_id) {
    return { ok: false, result: refused('This session is run by another library service') }
  }
  if (input.bookingWindow && session.starts_at > now + service.booking_window_days * 86_400_000) {
    const weeks = service.booking_window_days % 7 === 0 ? `${service.booking_window_days / 7} weeks` : `${service.booking_window_days} days`
    return { ok: false, result: refused(`You can book sessions up to ${weeks} ahead. Try again nearer the time.`) }
  }
  return { ok: true, session, libraryServiceId: service.library_service_id }
}

/** Names only word the failures (which rules fail never depends on them). */
const UNWORDED: Names = { skill: () => '', skillKind: () => 'topic', training: () => '', branch: () => '' }

// The session row was just read under its lock, and its library service checked: both are reused.
// Most checks pass, so the names for the messages are read only when one fails.
async function failuresFor(tx: Tx, check: Extract<SessionCheck, { ok: true }>, volunteerId: number, rules: readonly Rule[]): Promise<RuleFailure[]> {
  const { session } = check
  const window = monthWindow(session.local_date)
  const [profiles, needs] = await Promise.all([repo.loadProfiles(tx, [volunteerId], window.from, window.until), repo.needsFromRows(tx, [session])])
  const profile = profiles.get(volunteerId)!
  const need = needs.get(session.id)!
  if (checkRules(profile, need, UNWORDED, rules).length === 0) return []
  return checkRules(profile, need, await repo.loadNames(tx, check.libraryServiceId), rules)
}

/** Confirms a volunteer on a session if every rule allows it, inside the caller's transaction. */
export async function takePlaceInTx(tx: Tx, ctx: AppContext, input: TakePlaceInput): Promise<TakePlaceResult> {
  const check = await lockAndCheckSession(tx, ctx, input)
  if (!check.ok) return check.result
  const session = check.session
  const existing = await repo.findAssignment(tx, session.id, input.volunteerId)
  if (existing && repo.PLACE_STATES.includes(existing.state)) return { kind: 'already-confirmed', assignmentId: existing.id }

  const failures = await failuresFor(tx, check, input.volunteerId, input.rules ?? BOOKING_RULES)
  if (failures.length) return refused(failures[0]!.toVolunteer, failures)
  if (session.confirmed_count >= session.max_volunteers) return { kind: 'full' }

  const now = ctx.clock.now()
  if (!(await repo.changeConfirmedCount(tx, session.id, 1))) return { kind: 'full' }
  const { id } = await repo.setAssignmentState(tx, {
    sessionId: session.id,
    volunteerId: input.volunteerId,
    state: 'confirmed',
    source: input.source,
    actorPersonId: input.actorPersonId,
    now,
    existing: existing ?? null,
  })
  await queueConfirmation(tx, ctx, id, input.wording)
  return { kind: 'confirmed', assignmentId: id }
}

export function takePlace(ctx: AppContext, input: TakePlaceInput): Promise<TakePlaceResult> {
  return inTransaction(ctx.db, (tx) => takePlaceInTx(tx, ctx, input))
}

export type WaitlistResult =
  | { kind: 'waitlisted'; assignmentId: number; position: number }
  | { kind: 'already-waitlisted'; assignmentId: number; position: number }
  | { kind: 'place-free' }
  | TakePlaceResult

export async function waitlistPosition(tx: Tx, sessionId: number, volunteerId: number): Promise<number> {
  const list = await repo.waitlistOf(tx, sessionId)
  return list.findIndex((w) => w.volunteer_id === volunteerId) + 1
}

/** Joins the waiting list of a full session (the same rules as booking apply). */
export async function joinWaitlistInTx(tx: Tx, ctx: AppContext, input: TakePlaceInput): Promise<WaitlistResult> {
  const check = await lockAndCheckSession(tx, ctx, input)
  if (!check.ok) return check.result
  const session = check.session
  const existing = await repo.findAssignment(tx, session.id, input.volunteerId)
  if (existing && repo.PLACE_STATES.includes(existing.state)) return { kind: 'already-confirmed', assignmentId: existing.id }
  if (existing?.state === 'waitlisted') {
    return { kind: 'already-waitlisted', assignmentId: existing.id, position: await waitlistPosition(tx, session.id, input.volunteerId) }
  }
  const failures = await failuresFor(tx, check, input.volunteerId, input.rules ?? BOOKING_RULES)
  if (failures.length) return refused(failures[0]!.toVolunteer, failures)
  if (session.confirmed_count < session.max_volunteers) return { kind: 'place-free' }
  const { id } = await repo.setAssignmentState(tx, {
    sessionId: session.id,
    volunteerId: input.volunteerId,
    state: 'waitlisted',
    source: input.source,
    actorPersonId: input.actorPersonId,
    now: ctx.clock.now(),
    existing: existing ?? null,
  })
  return { kind: 'waitlisted', assignmentId: id, position: await waitlistPosition(tx, session.id, input.volunteerId) }
}

export function joinWaitlist(ctx: AppContext, input: TakePlaceInput): Promise<WaitlistResult> {
  return inTransaction(ctx.db, (tx) => joinWaitlistInTx(tx, ctx, input))
}

/**
 * Fills free places from the waiting list, first come first served, skipping anyone who no
 * longer passes the booking rules (they stay waiting). Returns the volunteers confirmed.
 */
export async function promoteFromWaitlistInTx(tx: Tx, ctx: AppContext, sessionId: number): Promise<number[]> {
  const promoted: number[] = []
  for (const waiting of await repo.waitlistOf(tx, sessionId)) {
    const session = await repo.lockSession(tx, sessionId)
    if (!session || session.status !== 'scheduled' || session.starts_at <= ctx.clock.now()) break
    if (session.confirmed_count >= session.max_volunteers) break
    const result = await takePlaceInTx(tx, ctx, {
      sessionId,
      volunteerId: waiting.volunteer_id,
      source: 'waitlist',
      actorPersonId: null,
      rules: BOOKING_RULES,
      wording: 'promoted',
    })
    if (result.kind === 'confirmed') promoted.push(waiting.volunteer_id)
  }
  return promoted
}

export type ReleaseResult = { kind: 'released'; assignmentId: number; promoted: number[] } | { kind: 'not-held' }

/**
 * Ends a held place (withdrawn by the volunteer, cancelled by a coordinator…), sends the
 * calendar cancellation, and offers the place to the waiting list.
 */
export async function releasePlaceInTx(
  tx: Tx,
  ctx: AppContext,
  input: {
    sessionId: number
    volunteerId: number
    toState: 'withdrawn' | 'cancelled'
    actorPersonId: number | null
    reason?: string
    wording: CancelWording
  },
): Promise<ReleaseResult> {
  await repo.lockVolunteer(tx, input.volunteerId)
  const session = await repo.lockSession(tx, input.sessionId)
  if (!session) return { kind: 'not-held' }
  const existing = await repo.findAssignment(tx, input.sessionId, input.volunteerId)
  if (!existing || existing.state !== 'confirmed') {
    if (existing?.state === 'waitlisted' || existing?.state === 'invited') {
      await repo.setAssignmentState(tx, { sessionId: input.sessionId, volunteerId: input.volunteerId, state: input.toState, source: existing.source, actorPersonId: input.actorPersonId, reason: input.reason ?? null, now: ctx.clock.now(), existing })
      return { kind: 'released', assignmentId: existing.id, promoted: [] }
    }
    return { kind: 'not-held' }
  }
  await repo.changeConfirmedCount(tx, input.sessionId, -1)
  await repo.setAssignmentState(tx, {
    sessionId: input.sessionId,
    volunteerId: input.volunteerId,
    state: input.toState,
    source: existing.source,
    actorPersonId: input.actorPersonId,
    reason: input.reason ?? null,
    now: ctx.clock.now(),
    existing,
  })
  await queueCancellation(tx, ctx, existing.id, input.wording, input.reason ?? '')
  const promoted = await promoteFromWaitlistInTx(tx, ctx, input.sessionId)
  return { kind: 'released', assignmentId: existing.id, promoted }
}

export function releasePlace(ctx: AppContext, input: Parameters<typeof releasePlaceInTx>[2]): Promise<ReleaseResult> {
  return inTransaction(ctx.db, (tx) => releasePlaceInTx(tx, ctx, input))
}

export type OutcomeResult = { kind: 'recorded'; assignmentId: number; from: AssignmentState; changed: boolean } | { kind: 'not-held' }

/**
 * After a session: a held place becomes attended or no-show (confirmed → attended | no_show,
 * and corrections attended ↔ no_show). The place stays counted either way; nothing is emailed.
 * Who may mark, and until when, is the caller's rule (src/evidence/attendance.service.ts).
 */
export async function recordOutcomeInTx(
  tx: Tx,
  ctx: AppContext,
  input: { sessionId: number; volunteerId: number; outcome: 'attended' | 'no_show'; actorPersonId: number | null; note?: string },
): Promise<OutcomeResult> {
  await repo.lockSession(tx, input.sessionId)
  const existing = await repo.findAssignment(tx, input.sessionId, input.volunteerId)
  if (!existing || !repo.PLACE_STATES.includes(existing.state)) return { kind: 'not-held' }
  if (existing.state === input.outcome) return { kind: 'recorded', assignmentId: existing.id, from: existing.state, changed: false }
  await repo.setAssignmentState(tx, {
    sessionId: input.sessionId,
    volunteerId: input.volunteerId,
    state: input.outcome,
    source: existing.source,
    actorPersonId: input.actorPersonId,
    note: input.note ?? '',
    now: ctx.clock.now(),
    existing,
  })
  return { kind: 'recorded', assignmentId: existing.id, from: existing.state, changed: true }
}
