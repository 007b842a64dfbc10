// Taking and giving up places on sessions: the one place where capacity, clashes and eligibility are enforced.
//
// Every path that confirms someone (self-booking, an accepted invitation, direct assignment,
// auto-fill, waitlist promotion) goes through takePlaceInTx, inside one transaction that first
// locks the volunteer, then the session, and decides against the database's current state.
// So "never above the maximum" and "never on two overlapping sessions" hold whatever arrives at
// once, on SQLite (one writer) and on PostgreSQL (row locks).
//
// Every change of an assignment's state, whoever asks for it (booking, withdrawal, invitations,
// auto-fill, cancellation, attendance), is made by moveAssignmentInTx: it allows only the moves
// of the table in transitions.ts and carries out their side effects (the count of places, the
// calendar emails, the waiting list).
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import type { AssignmentSource, AssignmentState } from '../db/schema.js'
import { inTransaction } from '../db/transaction.js'
import { BOOKING_RULES, checkRules, type Names, type Rule, type RuleFailure } from '../matching/eligibility.js'
import { queueCancellation, queueConfirmation, queueWaitlistCancelled, type CancelWording, type ConfirmWording, type Wording } from '../notifications/notify.js'
import * as repo from './assignments.repository.js'
import type { Locale } from '../i18n/i18n.js'
import { assertMove, IllegalMoveError, PLACE_STATES, type FromState } from './transitions.js'

export { IllegalMoveError, PLACE_STATES, canMove, moveEffects, TRANSITIONS, ASSIGNMENT_STATES } from './transitions.js'

/** Why a place moves: who asked, and the words its email and its history use. */
export interface MoveCause {
  /** Recorded when the move starts a place, a wait or an invitation; otherwise the row keeps its own. */
  source: AssignmentSource
  actorPersonId: number | null
  /** Kept on the row and in its history (e.g. "Removed by the coordinator"). */
  reason?: string | null
  /** The history's note, when it differs from the reason. */
  note?: string
  /** The reason as the email tells it (default: reason), in the recipient's language if a function. */
  toldReason?: Wording
  /** How the calendar invite is worded (moves that take a place). */
  confirmWording?: ConfirmWording
  /** How the calendar cancellation is worded (moves that give one up). */
  cancelWording?: CancelWording
  /** false: a freed place is not offered to the waiting list, because the caller gives it to someone in this same transaction (cover). */
  promote?: boolean
}

/** The session had no free place when the move came to take one: nothing was changed. */
export class SessionFullError extends Error {
  override readonly name = 'SessionFullError'
  constructor(readonly sessionId: number) {
    super(`Session ${sessionId} has no free place`)
  }
}

export interface MoveResult {
  assignmentId: number
  from: FromState
  /** Volunteers confirmed from the waiting list into the place this move freed. */
  promoted: number[]
}

/**
 * Moves one volunteer's assignment on one session to `to`, with the side effects the table gives
 * that move: the count of places taken, the email, the offer of a freed place to the waiting
 * list. The caller holds the locks (lockPlaceInTx: volunteer, then session) and passes the row it
 * read under them (null: there is none). A move the table does not allow throws IllegalMoveError
 * before anything is written; a place wanted on a full session throws SessionFullError, likewise.
 */
export async function moveAssignmentInTx(
  tx: Tx,
  ctx: AppContext,
  place: { sessionId: number; volunteerId: number; existing: repo.Assignment | null },
  to: AssignmentState,
  cause: MoveCause,
): Promise<MoveResult> {
  const from = place.existing?.state ?? null
  const effects = assertMove(from, to)
  if (effects.mail === 'confirmation' && !cause.confirmWording) throw new Error(`moving to ${to} needs the wording of its calendar invite`)
  if (effects.mail === 'cancellation' && !cause.cancelWording) throw new Error(`moving to ${to} needs the wording of its calendar cancellation`)
  if (effects.count !== 0 && !(await repo.changeConfirmedCount(tx, place.sessionId, effects.count))) {
    if (effects.count > 0) throw new SessionFullError(place.sessionId)
    // Counting down below zero means the count was already wrong; the place is given up all the same.
  }
  const { id } = await repo.setAssignmentState(tx, {
    sessionId: place.sessionId,
    volunteerId: place.volunteerId,
    state: to,
    source: cause.source,
    actorPersonId: cause.actorPersonId,
    ...(cause.note !== undefined ? { note: cause.note } : {}),
    reason: cause.reason ?? null,
    now: ctx.clock.now(),
    existing: place.existing,
  })
  const told = cause.toldReason ?? cause.reason ?? ''
  if (effects.mail === 'confirmation') await queueConfirmation(tx, ctx, id, cause.confirmWording!)
  else if (effects.mail === 'cancellation') await queueCancellation(tx, ctx, id, cause.cancelWording!, told)
  else if (effects.mail === 'waitlist-cancelled') await queueWaitlistCancelled(tx, ctx, id, told)
  // 'invitation': invitations.service queues it with the link's token, in this same transaction.
  const promoted = effects.promote && cause.promote !== false ? await promoteFromWaitlistInTx(tx, ctx, place.sessionId) : []
  return { assignmentId: id, from, promoted }
}

/** Locks a place as every move needs it (volunteer, then session: one order, so no deadlock between two of them) and reads the row under the locks. */
export async function lockPlaceInTx(
  tx: Tx,
  sessionId: number,
  volunteerId: number,
): Promise<{ volunteer: Awaited<ReturnType<typeof repo.lockVolunteer>>; session: repo.LockedSession | null; existing: repo.Assignment | null }> {
  const volunteer = await repo.lockVolunteer(tx, volunteerId)
  const session = await repo.lockSession(tx, sessionId)
  const existing = session ? ((await repo.findAssignment(tx, sessionId, volunteerId)) ?? null) : null
  return { volunteer, session, existing }
}

/** What marking attendance did: `changed` is false when the place already had that outcome. */
export interface AttendanceMarked {
  assignmentId: number
  from: AssignmentState
  changed: boolean
}

/**
 * After a session: a held place becomes attended or no-show (confirmed → attended | no_show, and
 * corrections attended ↔ no_show), through the table of moves like every other change of a place.
 * The place stays counted either way; nothing is emailed. Someone without a held place cannot be
 * marked (IllegalMoveError). Who may mark, and until when, is the caller's rule
 * (src/evidence/attendance.service.ts).
 */
export async function markAttendanceInTx(
  tx: Tx,
  ctx: AppContext,
  input: { sessionId: number; volunteerId: number; to: 'attended' | 'no_show'; actorPersonId: number | null; note?: string },
): Promise<AttendanceMarked> {
  const { existing } = await lockPlaceInTx(tx, input.sessionId, input.volunteerId)
  if (!existing || !PLACE_STATES.includes(existing.state)) throw new IllegalMoveError(existing?.state ?? null, input.to)
  if (existing.state === input.to) return { assignmentId: existing.id, from: existing.state, changed: false }
  await moveAssignmentInTx(tx, ctx, { sessionId: input.sessionId, volunteerId: input.volunteerId, existing }, input.to, {
    source: existing.source,
    actorPersonId: input.actorPersonId,
    ...(input.note !== undefined ? { note: input.note } : {}),
  })
  return { assignmentId: existing.id, from: existing.state, changed: true }
}

export type TakePlaceResult =
  | { kind: 'confirmed'; assignmentId: number }
  | { kind: 'already-confirmed'; assignmentId: number }
  | { kind: 'full' }
  | { kind: 'refused'; message: string; failures: RuleFailure[]; why?: PlaceCheckFailure; windowDays?: number }

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
  /** The language a refusal names branches, skills and trainings in (the volunteer's page); English if left out. */
  namesIn?: Locale
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

/** Why a place cannot be taken, asked or waited for on this session now (before any rule about the volunteer). */
export type PlaceCheckFailure = 'no-volunteer' | 'no-session' | 'cancelled' | 'started' | 'other-service' | 'beyond-window'

export type SessionCheck =
  | { ok: true; session: repo.LockedSession; libraryServiceId: number; existing: repo.Assignment | null }
  | { ok: false; why: PlaceCheckFailure; result: TakePlaceResult }

/**
 * Locks the place (lockPlaceInTx) and checks the session can take people now: it exists, is
 * not cancelled nor started, belongs to the volunteer's library service and (self-booking) is
 * within the booking window. Invitations check the same, in their own words.
 */
export async function lockAndCheckPlaceInTx(tx: Tx, ctx: AppContext, input: { sessionId: number; volunteerId: number; bookingWindow?: boolean }): Promise<SessionCheck> {
  // `why` (and the window) go with the message, so a page in another language can say it in its own words.
  const fail = (why: PlaceCheckFailure, message: string, windowDays?: number): SessionCheck => ({ ok: false, why, result: { kind: 'refused', message, failures: [], why, ...(windowDays === undefined ? {} : { windowDays }) } })
  const { volunteer, session, existing } = await lockPlaceInTx(tx, input.sessionId, input.volunteerId)
  if (!volunteer) return fail('no-volunteer', 'That volunteer does not exist')
  if (!session) return fail('no-session', 'That session does not exist')
  const now = ctx.clock.now()
  if (session.status === 'cancelled') return fail('cancelled', 'This session has been cancelled')
  if (session.starts_at <= now) return fail('started', 'This session has already started, so places can no longer be taken')
  const service = await repo.libraryServiceOfSession(tx, session.id)
  if (!service || service.library_service_id !== volunteer.library_service_id) return fail('other-service', 'This session is run by another library service')
  if (input.bookingWindow && session.starts_at > now + service.booking_window_days * 86_400_000) {
    const weeks = service.booking_window_days % 7 === 0 ? `${service.booking_window_days / 7} weeks` : `${service.booking_window_days} days`
    return fail('beyond-window', `You can book sessions up to ${weeks} ahead. Try again nearer the time.`, service.booking_window_days)
  }
  return { ok: true, session, libraryServiceId: service.library_service_id, existing }
}

/** Names only word the failures (which rules fail never depends on them). */
const UNWORDED: Names = { skill: () => '', skillKind: () => 'topic', training: () => '', branch: () => '' }

// The session row was just read under its lock, and its library service checked: both are reused.
// Most checks pass, so the names for the messages are read only when one fails.
async function failuresFor(tx: Tx, check: Pick<Extract<SessionCheck, { ok: true }>, 'session' | 'libraryServiceId'>, volunteerId: number, rules: readonly Rule[], locale: Locale = 'en'): Promise<RuleFailure[]> {
  const { session } = check
  const window = monthWindow(session.local_date)
  const [profiles, needs] = await Promise.all([repo.loadProfiles(tx, [volunteerId], window.from, window.until), repo.needsFromRows(tx, [session])])
  const profile = profiles.get(volunteerId)!
  const need = needs.get(session.id)!
  if (checkRules(profile, need, UNWORDED, rules).length === 0) return []
  return checkRules(profile, need, await repo.loadNames(tx, check.libraryServiceId, locale), rules)
}

/** Confirms a volunteer on a session if every rule allows it, inside the caller's transaction. */
export async function takePlaceInTx(tx: Tx, ctx: AppContext, input: TakePlaceInput): Promise<TakePlaceResult> {
  const check = await lockAndCheckPlaceInTx(tx, ctx, input)
  if (!check.ok) return check.result
  const { session, existing } = check
  if (existing && PLACE_STATES.includes(existing.state)) return { kind: 'already-confirmed', assignmentId: existing.id }

  const failures = await failuresFor(tx, check, input.volunteerId, input.rules ?? BOOKING_RULES, input.namesIn)
  if (failures.length) return refused(failures[0]!.toVolunteer, failures)
  if (session.confirmed_count >= session.max_volunteers) return { kind: 'full' }

  try {
    const moved = await moveAssignmentInTx(tx, ctx, { sessionId: session.id, volunteerId: input.volunteerId, existing }, 'confirmed', {
      source: input.source,
      actorPersonId: input.actorPersonId,
      confirmWording: input.wording,
    })
    return { kind: 'confirmed', assignmentId: moved.assignmentId }
  } catch (err) {
    if (err instanceof SessionFullError) return { kind: 'full' }
    throw err
  }
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
  const check = await lockAndCheckPlaceInTx(tx, ctx, input)
  if (!check.ok) return check.result
  const { session, existing } = check
  if (existing && PLACE_STATES.includes(existing.state)) return { kind: 'already-confirmed', assignmentId: existing.id }
  if (existing?.state === 'waitlisted') {
    return { kind: 'already-waitlisted', assignmentId: existing.id, position: await waitlistPosition(tx, session.id, input.volunteerId) }
  }
  const failures = await failuresFor(tx, check, input.volunteerId, input.rules ?? BOOKING_RULES, input.namesIn)
  if (failures.length) return refused(failures[0]!.toVolunteer, failures)
  if (session.confirmed_count < session.max_volunteers) return { kind: 'place-free' }
  const { assignmentId } = await moveAssignmentInTx(tx, ctx, { sessionId: session.id, volunteerId: input.volunteerId, existing }, 'waitlisted', {
    source: input.source,
    actorPersonId: input.actorPersonId,
  })
  return { kind: 'waitlisted', assignmentId, position: await waitlistPosition(tx, session.id, input.volunteerId) }
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
    /** The reason as the email tells it, when it differs from the one kept on the row ('' : none). */
    toldReason?: Wording
    wording: CancelWording
    /** false: keep the freed place from the waiting list (see MoveCause.promote). */
    promote?: boolean
  },
): Promise<ReleaseResult> {
  const { session, existing } = await lockPlaceInTx(tx, input.sessionId, input.volunteerId)
  if (!session || !existing || !['confirmed', 'waitlisted', 'invited'].includes(existing.state)) return { kind: 'not-held' }
  const moved = await moveAssignmentInTx(tx, ctx, { sessionId: input.sessionId, volunteerId: input.volunteerId, existing }, input.toState, {
    source: existing.source,
    actorPersonId: input.actorPersonId,
    reason: input.reason ?? null,
    ...(input.toldReason !== undefined ? { toldReason: input.toldReason } : {}),
    cancelWording: input.wording,
    ...(input.promote === false ? { promote: false } : {}),
  })
  return { kind: 'released', assignmentId: moved.assignmentId, promoted: moved.promoted }
}

export function releasePlace(ctx: AppContext, input: Parameters<typeof releasePlaceInTx>[2]): Promise<ReleaseResult> {
  return inTransaction(ctx.db, (tx) => releasePlaceInTx(tx, ctx, input))
}

/**
 * A session is being cancelled (the caller has locked it and marked it cancelled): every place
 * on it is cancelled with its calendar cancellation, and everyone waiting is told it is off.
 * Returns how many were emailed.
 */
export async function cancelPlacesOfSessionInTx(tx: Tx, ctx: AppContext, sessionId: number, actorPersonId: number | null, reason: string): Promise<number> {
  let emailed = 0
  for (const existing of await repo.assignmentsOfSession(tx, sessionId, ['confirmed', 'waitlisted'])) {
    await moveAssignmentInTx(tx, ctx, { sessionId, volunteerId: existing.volunteer_id, existing }, 'cancelled', {
      source: existing.source,
      actorPersonId,
      // A place keeps the coordinator's reason; a wait records only that the session is off. Both emails give the reason.
      reason: existing.state === 'confirmed' ? reason || 'Session cancelled' : 'Session cancelled',
      toldReason: reason,
      cancelWording: 'session-cancelled',
    })
    emailed++
  }
  return emailed
}
