// One session as a volunteer sees it: its card now, the status swapped in after booking, the session page and its calendar file.
import type { AppContext } from '../context.js'
import { canCoordinateBranch, type SignedInUser } from '../auth/access.js'
import { NotFoundError } from '../errors.js'
import { ALL_RULES, checkRules, type RuleFailure } from '../matching/eligibility.js'
import { loadNameLists, loadNames, loadProfiles, needsFromRows } from '../assignments/assignments.repository.js'
import { monthWindow } from '../assignments/places.service.js'
import { calendarFileFor } from '../notifications/notify.js'
import { addDays, todayIn } from '../time/wall-clock.js'
import { kindLabelIn } from '../sessions/kinds.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { withLocalNames } from '../i18n/names.js'
import { isPastCutoff, withdrawalCutoff } from './cutoff.js'
import { describeSession, type SessionCard } from './session-card.js'
import type { BookingOutcome } from './booking.service.js'
import { visibleSession, volunteerOf } from './volunteer-scope.js'
import * as repo from './bookings.repository.js'

/**
 * The card for one session as it is now, for this volunteer. `known` saves reading the session
 * again when the caller has just read it; never pass a row from before a change (stale counts).
 */
export async function cardFor(ctx: AppContext, user: SignedInUser, sessionId: number, known?: repo.SessionDetailRow, locale: Locale = 'en'): Promise<SessionCard> {
  const volunteer = volunteerOf(user)
  const session = known && known.id === sessionId ? known : await visibleSession(ctx, user, sessionId)
  const window = monthWindow(session.local_date)
  const [profiles, needsMap, names, mineMap, positions] = await Promise.all([
    loadProfiles(ctx.db, [volunteer.id], window.from, window.until),
    needsFromRows(ctx.db, [session]),
    loadNames(ctx.db, session.library_service_id, locale),
    repo.statesOn(ctx.db, volunteer.id, [sessionId]),
    repo.waitlistPositions(ctx.db, volunteer.id, [sessionId]),
  ])
  const profile = profiles.get(volunteer.id)!
  const needs = needsMap.get(sessionId)!
  const mine = mineMap.get(sessionId)
  const holding = mine && ['confirmed', 'waitlisted', 'invited'].includes(mine.state)
  // Outside the weekly times is no bar to booking, only something to mention (describeSession sorts them).
  const failures = holding ? [] : checkRules(profile, needs, names, ALL_RULES)
  return describeSession({ row: withLocalNames(session, locale), needs, profile, names, mine, position: positions.get(sessionId) ?? null, failures, locale })
}

/**
 * What changes on a result when its volunteer books or queues: their state and the session's
 * counts, read fresh, and how many sessions they now have coming up. The htmx answer swaps only
 * these, so the rest of the card (why it fits) stays as it was and is not worked out again.
 */
export async function statusFor(ctx: AppContext, user: SignedInUser, sessionId: number, outcome: BookingOutcome, locale: Locale = 'en'): Promise<{ card: SessionCard; upcomingCount: number }> {
  const volunteer = volunteerOf(user)
  const now = ctx.clock.now()
  const session = await visibleSession(ctx, user, sessionId)
  // Their assignments on sessions not over yet: the state on this one and the count at the top, in one read.
  const [needsMap, own, lists] = await Promise.all([
    needsFromRows(ctx.db, [session]),
    repo.ownAssignmentsSince(ctx.db, volunteer.id, now),
    loadNameLists(ctx.db, session.library_service_id, locale),
  ])
  const needs = needsMap.get(sessionId)!
  const here = own.find((a) => a.session_id === sessionId)
  const mine = here ? { id: here.id, state: here.state } : undefined
  const positions = mine?.state === 'waitlisted' ? await repo.waitlistPositions(ctx.db, volunteer.id, [sessionId]) : new Map<number, number>()
  const failures: RuleFailure[] = outcome.kind === 'refused' ? [{ rule: 'status', toVolunteer: outcome.message, ...(outcome.said ? { said: outcome.said } : {}), toCoordinator: '' }] : []
  const card = describeSession({ row: withLocalNames(session, locale), needs, profile: null, names: lists.names, mine, position: positions.get(sessionId) ?? null, failures, locale })
  return { card, upcomingCount: repo.countUpcoming(own, now) }
}

/** The card as a volunteer with no place on the session sees it, without anyone's reasons or rules. */
async function previewCard(ctx: AppContext, session: repo.SessionDetailRow, locale: Locale): Promise<SessionCard> {
  const [needsMap, names] = await Promise.all([needsFromRows(ctx.db, [session]), loadNames(ctx.db, session.library_service_id, locale)])
  return describeSession({ row: withLocalNames(session, locale), needs: needsMap.get(session.id)!, profile: null, names, mine: undefined, position: null, failures: [], locale })
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name
}

/**
 * The session page. A volunteer of the session's library service sees it with their own place;
 * a coordinator (or admin) of its branch who is not sees a preview of what volunteers see, with
 * nobody's place and nothing to book. Everyone else is refused as before.
 */
export async function sessionPage(ctx: AppContext, user: SignedInUser, sessionId: number, locale: Locale = 'en') {
  const row = await repo.sessionDetail(ctx.db, sessionId)
  const ownService = row !== null && user.volunteer?.libraryServiceId === row.library_service_id
  const preview = row !== null && !ownService && canCoordinateBranch(user, { id: row.branch_id, library_service_id: row.library_service_id })
  const volunteer = preview ? null : volunteerOf(user)
  const session = preview ? row! : await visibleSession(ctx, user, sessionId)
  const now = ctx.clock.now()
  const [card, people, coordinators, needsMap, names] = await Promise.all([
    preview ? previewCard(ctx, session, locale) : cardFor(ctx, user, sessionId, session, locale),
    repo.confirmedNames(ctx.db, sessionId),
    repo.coordinatorsOf(ctx.db, session.library_service_id, session.branch_id),
    needsFromRows(ctx.db, [session]),
    loadNames(ctx.db, session.library_service_id, locale),
  ])
  const needs = needsMap.get(sessionId)!
  const others = people.filter((p) => p.volunteer_id !== volunteer?.id).map((p) => (p.anonymised ? translator(locale)('volunteer.session.aVolunteer') : firstName(p.name)))
  const seen = new Set<number>()
  return {
    session: withLocalNames(session, locale),
    card,
    preview,
    others,
    youAreOn: volunteer !== null && people.some((p) => p.volunteer_id === volunteer.id),
    coordinators: coordinators.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true))).slice(0, 3),
    required: needs.requiredSkillIds.map((id) => names.skill(id)),
    preferred: needs.preferredSkillIds.map((id) => ({ name: names.skill(id), kind: names.skillKind(id) })),
    trainings: needs.requiredTrainingIds.map((id) => names.training(id)),
    started: session.starts_at <= now,
    ended: session.ends_at <= now,
    cutoffAt: withdrawalCutoff(session),
    cutoffPassed: isPastCutoff(session, now),
    kindLabel: kindLabelIn(session.kind, locale),
    bookableUntil: addDays(todayIn(now, session.timezone), session.booking_window_days),
  }
}

/** The single-event calendar file for a session the volunteer is booked on (same UID as the emailed invite). */
export async function calendarFile(ctx: AppContext, user: SignedInUser, sessionId: number): Promise<{ filename: string; content: string }> {
  const volunteer = volunteerOf(user)
  await visibleSession(ctx, user, sessionId)
  const mine = (await repo.statesOn(ctx.db, volunteer.id, [sessionId])).get(sessionId)
  if (!mine || mine.state !== 'confirmed') throw new NotFoundError({ key: 'volunteer.refusal.notBookedCalendar' })
  return { filename: `session-${sessionId}.ics`, content: await calendarFileFor(ctx.db, ctx, mine.id) }
}
