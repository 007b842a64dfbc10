// The one table of how a volunteer's place on a session may change state, and what each change does besides.
//
// An assignment row is one volunteer on one session; `null` below is "no row yet". Every write
// of a state goes through places.service.moveAssignmentInTx, which refuses a move this table
// does not list (IllegalMoveError) and carries out the listed side effects, so the rules of
// PRODUCT.md about places (never above the maximum, a calendar invite for each place and a
// cancellation when it ends, the waiting list offered a freed place) live here and nowhere else.
import type { AssignmentState } from '../db/schema.js'

export const ASSIGNMENT_STATES: readonly AssignmentState[] = ['invited', 'confirmed', 'declined', 'waitlisted', 'withdrawn', 'cancelled', 'attended', 'no_show']

/** States that hold a place on a session (counted in sessions.confirmed_count). */
export const PLACE_STATES: readonly AssignmentState[] = ['confirmed', 'attended', 'no_show']

/** Where a move starts: a state, or no row yet. */
export type FromState = AssignmentState | null

/**
 * Which email the move queues, in the same transaction:
 * - confirmation: the calendar invite (REQUEST) for the place, worded by the cause;
 * - cancellation: the calendar cancellation (CANCEL) of the place, worded by the cause;
 * - waitlist-cancelled: "the session you were waiting for is off" (no calendar entry to cancel);
 * - invitation: the invitation with its answer links, queued by invitations.service (only it
 *   holds the link's token, which is never stored);
 * - none.
 */
export type MoveMail = 'confirmation' | 'cancellation' | 'waitlist-cancelled' | 'invitation' | 'none'

export interface MoveEffects {
  /** Change to sessions.confirmed_count: +1 taking a place, -1 giving one up. */
  count: 1 | 0 | -1
  /** A place was freed: offer it to the waiting list (first come first served; a no-op on a cancelled or started session). */
  promote: boolean
  mail: MoveMail
}

const TAKE: MoveEffects = { count: 1, promote: false, mail: 'confirmation' }
const GIVE_UP: MoveEffects = { count: -1, promote: true, mail: 'cancellation' }
const QUIET: MoveEffects = { count: 0, promote: false, mail: 'none' }
const INVITE: MoveEffects = { count: 0, promote: false, mail: 'invitation' }

/** The ended states a volunteer may come back from (book again, be invited again, wait again). */
const ENDED = ['declined', 'withdrawn', 'cancelled'] as const

type Table = ReadonlyMap<FromState, ReadonlyMap<AssignmentState, MoveEffects>>

function table(rows: ReadonlyArray<[FromState | readonly FromState[], AssignmentState, MoveEffects]>): Table {
  const t = new Map<FromState, Map<AssignmentState, MoveEffects>>()
  for (const [from, to, effects] of rows) {
    for (const f of Array.isArray(from) ? from : [from as FromState]) {
      if (!t.has(f)) t.set(f, new Map())
      t.get(f)!.set(to, effects)
    }
  }
  return t
}

export const TRANSITIONS: Table = table([
  // Taking a place: booking, an accepted invitation, direct assignment, auto-fill, promotion from the waiting list.
  [[null, 'invited', 'waitlisted', ...ENDED], 'confirmed', TAKE],
  // Joining the waiting list of a full session (from an invitation too: "filled" offers it).
  [[null, 'invited', ...ENDED], 'waitlisted', QUIET],
  // Being invited; an unanswered invitation past its time may be sent again (invited → invited).
  [[null, 'invited', 'waitlisted', ...ENDED], 'invited', INVITE],
  // Answering no to an invitation.
  ['invited', 'declined', QUIET],
  // An invitation ends unanswered (withdrawn by the coordinator, expired, places filled, session cancelled),
  // or the volunteer steps back from it or from the waiting list.
  [['invited'], 'withdrawn', QUIET],
  [['invited'], 'cancelled', QUIET],
  ['waitlisted', 'withdrawn', QUIET],
  // The session someone was waiting for is cancelled: they are told it is off.
  ['waitlisted', 'cancelled', { count: 0, promote: false, mail: 'waitlist-cancelled' }],
  // Giving up a place: the volunteer withdraws, a coordinator removes them, or the session is cancelled.
  ['confirmed', 'withdrawn', GIVE_UP],
  ['confirmed', 'cancelled', GIVE_UP],
  // Attendance, after the session: the place stays counted; attended and no-show may be corrected either way.
  ['confirmed', 'attended', QUIET],
  ['confirmed', 'no_show', QUIET],
  ['attended', 'no_show', QUIET],
  ['no_show', 'attended', QUIET],
])

/** The effects of a move, or null if the table does not allow it. */
export function moveEffects(from: FromState, to: AssignmentState): MoveEffects | null {
  return TRANSITIONS.get(from)?.get(to) ?? null
}

export function canMove(from: FromState, to: AssignmentState): boolean {
  return moveEffects(from, to) !== null
}

/** A place was asked to move in a way the table does not allow: a bug in the caller, never the user's doing. */
export class IllegalMoveError extends Error {
  override readonly name = 'IllegalMoveError'
  constructor(
    readonly from: FromState,
    readonly to: AssignmentState,
  ) {
    super(`An assignment cannot move from ${from ?? 'nothing'} to ${to}`)
  }
}

export function assertMove(from: FromState, to: AssignmentState): MoveEffects {
  const effects = moveEffects(from, to)
  if (!effects) throw new IllegalMoveError(from, to)
  return effects
}
