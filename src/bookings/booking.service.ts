// A volunteer booking a place for themselves, or joining a session's waiting list; the rules are decided in places.service.ts.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { BOOKING_RULES, type Said } from '../matching/eligibility.js'
import { joinWaitlist, takePlace, type PlaceCheckFailure, type TakePlaceInput, type TakePlaceResult } from '../assignments/places.service.js'
import { visibleSession, volunteerOf } from './volunteer-scope.js'
import type * as repo from './bookings.repository.js'
import type { Locale } from '../i18n/i18n.js'

export type BookingOutcome =
  | { kind: 'booked'; already: boolean }
  | { kind: 'waitlisted'; position: number; already: boolean }
  | { kind: 'full' }
  | { kind: 'refused'; message: string; said?: Said; why?: PlaceCheckFailure; windowDays?: number }

/** A volunteer booking for themselves: every rule but weekly availability, within the booking window. */
function selfBooking(user: SignedInUser, sessionId: number, locale: Locale): TakePlaceInput {
  return { sessionId, volunteerId: volunteerOf(user).id, source: 'self', actorPersonId: user.personId, rules: BOOKING_RULES, bookingWindow: true, wording: 'booked', namesIn: locale }
}

function outcomeOf(result: TakePlaceResult): BookingOutcome {
  switch (result.kind) {
    case 'confirmed':
    case 'already-confirmed':
      return { kind: 'booked', already: result.kind === 'already-confirmed' }
    case 'full':
      return { kind: 'full' }
    case 'refused':
      return {
        kind: 'refused',
        message: result.message,
        ...(result.failures[0]?.said && result.failures[0].toVolunteer === result.message ? { said: result.failures[0].said } : {}),
        ...(result.why ? { why: result.why } : {}),
        ...(result.windowDays === undefined ? {} : { windowDays: result.windowDays }),
      }
  }
}

/** `locale`: the page's language, for the names in a refusal. */
export async function book(ctx: AppContext, user: SignedInUser, sessionId: number, locale: Locale = 'en'): Promise<{ outcome: BookingOutcome; session: repo.SessionDetailRow }> {
  const session = await visibleSession(ctx, user, sessionId)
  return { outcome: outcomeOf(await takePlace(ctx, selfBooking(user, sessionId, locale))), session }
}

export async function waitFor(ctx: AppContext, user: SignedInUser, sessionId: number, locale: Locale = 'en'): Promise<{ outcome: BookingOutcome; session: repo.SessionDetailRow }> {
  const session = await visibleSession(ctx, user, sessionId)
  const result = await joinWaitlist(ctx, selfBooking(user, sessionId, locale))
  if (result.kind === 'waitlisted' || result.kind === 'already-waitlisted') {
    return { outcome: { kind: 'waitlisted', position: result.position, already: result.kind === 'already-waitlisted' }, session }
  }
  // A place came free since the page was shown: take it instead of queueing for it.
  if (result.kind === 'place-free') return book(ctx, user, sessionId, locale)
  return { outcome: outcomeOf(result), session }
}
