// Invitations: a coordinator asks volunteers by email; each answers with a single-use link. The first acceptances take the places.
//
// The token in the link is 256 random bits; only its SHA-256 is stored. It expires when the
// session starts or after 72 hours, whichever is sooner, and acts once: accepting goes through
// places.service.takePlaceInTx with the booking rules, under the same locks as a booking, so two
// people accepting the last place at once end with exactly one confirmed; the other is told,
// kindly, that it was filled, and may join the waiting list from the same page.
import { languageFor, type PageLanguage } from '../people/reader-language.service.js'
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import type { SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { ConflictError, NotFoundError, UserError } from '../errors.js'
import { hashToken, looksLikeToken, randomToken } from '../auth/tokens.js'
import { enqueueEmail } from '../mail/outbox.repository.js'
import { audit } from '../audit/audit.repository.js'
import { ALL_RULES, BOOKING_RULES, checkRules, type RuleFailure, type Said } from '../matching/eligibility.js'
import * as places from '../assignments/assignments.repository.js'
import { joinWaitlistInTx, lockAndCheckPlaceInTx, lockPlaceInTx, monthWindow, moveAssignmentInTx, releasePlaceInTx, takePlaceInTx, waitlistPosition, type PlaceCheckFailure } from '../assignments/places.service.js'
import { formatFor, instant, longDate, timeRange } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { describeOutcome } from '../bookings/booking-wording.js'
import { withLocalNames } from '../i18n/names.js'
import { recipientLocale } from '../people/recipient-language.repository.js'
import { inLocale, type Wording } from '../notifications/notify.js'
import { assertSessionInScope } from './scope.js'
import { toCoordinator } from './coordinator-wording.js'
import * as repo from './invitations.repository.js'
import * as cover from '../bookings/cover.repository.js'

export const INVITATION_HOURS = 72

export interface InviteOutcome {
  volunteerId: number
  name: string
  kind: 'invited' | 'refused'
  message: string
}


/** The name a volunteer goes by in messages to other volunteers: the first word of their name. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name
}

export function invitationUrl(ctx: AppContext, token: string): string {
  return `${ctx.config.baseUrl}/invitations/${token}`
}

/**
 * Invites one volunteer, who must pass every rule a coordinator's candidate passes, inside the
 * caller's transaction (volunteer, then session locked, as for a booking).
 */
export async function inviteOneInTx(
  tx: Tx,
  ctx: AppContext,
  input: {
    sessionId: number
    volunteerId: number
    source: 'invitation' | 'auto_fill'
    actorPersonId: number
    /** Asked to take this cover request's place: the session may be full (the asker's place is theirs), and the email says whose place it is. */
    cover?: { requestId: number; askerName: string }
    /** The language of the outcome's message (the coordinator's page). */
    locale?: Locale
  },
): Promise<InviteOutcome> {
  const now = ctx.clock.now()
  const pageLocale = input.locale ?? 'en'
  const t = translator(pageLocale)
  const refuse = (name: string, message: string): InviteOutcome => ({ volunteerId: input.volunteerId, name, kind: 'refused', message })
  const check = await lockAndCheckPlaceInTx(tx, ctx, input)
  if (!check.ok) {
    if (check.why !== 'cancelled' && check.why !== 'started') return refuse(t('coordinator.actions.someone'), t('coordinator.actions.cannotInvite'))
    const name = (await places.loadProfiles(tx, [input.volunteerId], 0, 0)).get(input.volunteerId)?.name ?? t('coordinator.actions.someone')
    return refuse(name, t(check.why === 'cancelled' ? 'coordinator.actions.cancelled' : 'coordinator.actions.started'))
  }
  const { session, existing } = check
  const window = monthWindow(session.local_date)
  const [profiles, needs, names] = await Promise.all([
    places.loadProfiles(tx, [input.volunteerId], window.from, window.until),
    places.loadSessionNeeds(tx, [session.id]),
    places.loadNames(tx, check.libraryServiceId),
  ])
  const profile = profiles.get(input.volunteerId)!
  if (existing && places.PLACE_STATES.includes(existing.state)) return refuse(profile.name, t('coordinator.actions.alreadyConfirmed', { name: profile.name }))
  if (existing?.state === 'invited') {
    // An unanswered invitation past its time is closed now, so they can be asked again.
    const pending = await repo.pendingOfAssignment(tx, existing.id)
    if (pending.some((p) => p.expires_at > now)) return refuse(profile.name, t('coordinator.actions.alreadyInvited', { name: profile.name }))
    for (const p of pending) await repo.settle(tx, p.id, 'expired', now)
  }
  if (!input.cover && session.confirmed_count >= session.max_volunteers) return refuse(profile.name, t('coordinator.actions.full'))
  const failures = checkRules(profile, needs.get(session.id)!, names, ALL_RULES)
  if (failures.length) return refuse(profile.name, t('coordinator.actions.fails', { name: profile.name, why: failures.map((f) => toCoordinator(f, pageLocale)).join(t('coordinator.actions.failsJoin')) }))

  // The move's email, the invitation, is queued below: only this code holds the link's token.
  const { assignmentId } = await moveAssignmentInTx(tx, ctx, { sessionId: session.id, volunteerId: input.volunteerId, existing }, 'invited', {
    source: input.source,
    actorPersonId: input.actorPersonId,
  })
  const token = randomToken()
  const expiresAt = Math.min(session.starts_at, now + INVITATION_HOURS * 3_600_000)
  const invitationId = await repo.insertInvitation(tx, { assignmentId, tokenHash: hashToken(token), expiresAt, createdBy: input.actorPersonId, now, coverRequestId: input.cover?.requestId ?? null })
  const found = (await repo.findById(tx, invitationId))!
  const url = invitationUrl(ctx, token)
  const locale = await recipientLocale(tx, found.person_id)
  const view = withLocalNames(found, locale)
  const say = translator(locale)
  const fmt = formatFor(locale)
  const words = { title: view.title, date: fmt.longDate(view.local_date) }
  const subject = say(input.cover ? 'email.invitation.subjectCover' : 'email.invitation.subject', words)
  const mail = ctx.composer.compose('invitation', subject, {
    name: view.volunteer_name,
    coordinator: (await repo.coordinatorName(tx, input.actorPersonId)) ?? say('email.invitation.yourCoordinator'),
    service: await repo.serviceName(tx, view.library_service_id),
    title: view.title,
    date: words.date,
    time: fmt.timeRange(view.start_time, view.end_time),
    branch: view.branch_name,
    address: [view.branch_name, view.branch_address, view.branch_postcode].filter(Boolean).join(', '),
    notes: view.notes,
    acceptUrl: `${url}?answer=accept`,
    declineUrl: `${url}?answer=decline`,
    expires: fmt.instant(expiresAt, view.timezone),
    cover: input.cover ? firstName(input.cover.askerName) : '',
  }, locale)
  await enqueueEmail(
    tx,
    { dedupeKey: `invitation:${invitationId}`, kind: 'invitation', to: { address: view.volunteer_email, name: view.volunteer_name }, ...mail, personId: view.person_id, sessionId: session.id, libraryServiceId: view.library_service_id },
    now,
  )
  ctx.outboxQueued(tx)
  return { volunteerId: input.volunteerId, name: profile.name, kind: 'invited', message: t('coordinator.actions.invited', { name: profile.name }) }
}

/** Invites several volunteers to a session (each in its own transaction, so one refusal leaves the others). */
export async function inviteVolunteers(ctx: AppContext, user: SignedInUser, sessionId: number, volunteerIds: readonly number[], locale: Locale = 'en'): Promise<InviteOutcome[]> {
  const { branch } = await assertSessionInScope(ctx.db, user, sessionId)
  if (volunteerIds.length === 0) throw new UserError({ key: 'coordinator.actions.nobodySelected' })
  const outcomes: InviteOutcome[] = []
  for (const volunteerId of volunteerIds.slice(0, 100)) {
    outcomes.push(
      await inTransaction(ctx.db, async (tx) => {
        const outcome = await inviteOneInTx(tx, ctx, { sessionId, volunteerId, source: 'invitation', actorPersonId: user.personId, locale })
        if (outcome.kind === 'invited') {
          await audit(tx, { actorPersonId: user.personId, libraryServiceId: branch.library_service_id, action: 'invitation.sent', objectType: 'session', objectId: sessionId, detail: { volunteerId }, at: ctx.clock.now() })
        }
        return outcome
      }),
    )
  }
  return outcomes
}

async function tellWithdrawn(tx: Tx, ctx: AppContext, view: repo.InvitationView, reason: Wording): Promise<void> {
  const now = ctx.clock.now()
  const locale = await recipientLocale(tx, view.person_id)
  const fmt = formatFor(locale)
  const date = fmt.longDate(view.local_date)
  const mail = ctx.composer.compose(
    'invitation-withdrawn',
    translator(locale)('email.invitationWithdrawn.subject', { title: view.title, date }),
    { name: view.volunteer_name, title: view.title, date, time: fmt.timeRange(view.start_time, view.end_time), branch: withLocalNames(view, locale).branch_name, reason: inLocale(reason, locale) },
    locale,
  )
  await enqueueEmail(
    tx,
    { dedupeKey: `invitation-withdrawn:${view.id}`, kind: 'invitation-withdrawn', to: { address: view.volunteer_email, name: view.volunteer_name }, ...mail, personId: view.person_id, sessionId: view.session_id, libraryServiceId: view.library_service_id },
    now,
  )
  ctx.outboxQueued(tx)
}

/** Ends every unanswered invitation of a session (e.g. it was cancelled), telling each person there is no need to reply. */
/** `reason`: in the history in English, and in each person's email in their language. */
export async function withdrawPendingInvitationsInTx(tx: Tx, ctx: AppContext, sessionId: number, actorPersonId: number | null, reason: Wording, notify = true): Promise<number> {
  const now = ctx.clock.now()
  let count = 0
  for (const p of await repo.pendingOfSession(tx, sessionId)) {
    if (!(await repo.settle(tx, p.id, 'withdrawn', now))) continue
    const a = (await places.findAssignment(tx, sessionId, p.volunteer_id)) ?? null
    if (a?.state === 'invited') await moveAssignmentInTx(tx, ctx, { sessionId, volunteerId: p.volunteer_id, existing: a }, 'cancelled', { source: a.source, actorPersonId, reason: inLocale(reason, 'en') })
    if (notify) await tellWithdrawn(tx, ctx, (await repo.findById(tx, p.id))!, reason)
    count++
  }
  return count
}

/** Ends the unanswered invitations a cover request sent (it was covered, or is no longer wanted), telling each person why. */
export async function withdrawCoverInvitationsInTx(tx: Tx, ctx: AppContext, requestId: number, reason: Wording): Promise<number> {
  const now = ctx.clock.now()
  let count = 0
  for (const p of await cover.pendingInvitationsOfRequest(tx, requestId)) {
    if (!(await repo.settle(tx, p.id, 'withdrawn', now))) continue
    const view = (await repo.findById(tx, p.id))!
    const a = (await places.findAssignment(tx, view.session_id, p.volunteer_id)) ?? null
    if (a?.state === 'invited') await moveAssignmentInTx(tx, ctx, { sessionId: view.session_id, volunteerId: p.volunteer_id, existing: a }, 'cancelled', { source: a.source, actorPersonId: null, reason: inLocale(reason, 'en') })
    await tellWithdrawn(tx, ctx, view, reason)
    count++
  }
  return count
}

/** The volunteer gave the place up anyway (or lost it): their open cover request ends, and whoever it invited is told there is no need to reply. */
export async function cancelCoverOfAssignmentInTx(tx: Tx, ctx: AppContext, assignmentId: number): Promise<boolean> {
  const open = await cover.openRequestOfAssignment(tx, assignmentId)
  if (!open || !(await cover.settleCoverRequest(tx, open.id, 'cancelled', ctx.clock.now()))) return false
  await withdrawCoverInvitationsInTx(tx, ctx, open.id, (locale) => translator(locale)('email.reasons.coverNotNeeded'))
  return true
}

/** A coordinator takes back an unanswered invitation. */
export async function withdrawInvitation(ctx: AppContext, user: SignedInUser, invitationId: number): Promise<{ sessionId: number; name: string }> {
  const view = await repo.findById(ctx.db, invitationId)
  if (!view) throw new NotFoundError({ key: 'coordinator.refusal.noInvitation' })
  const { branch } = await assertSessionInScope(ctx.db, user, view.session_id)
  return inTransaction(ctx.db, async (tx) => {
    const { existing: a } = await lockPlaceInTx(tx, view.session_id, view.volunteer_id)
    const now = ctx.clock.now()
    if (!(await repo.settle(tx, invitationId, 'withdrawn', now))) throw new ConflictError({ key: 'coordinator.actions.alreadyAnswered', values: { name: view.volunteer_name } })
    if (a?.state === 'invited') {
      await moveAssignmentInTx(tx, ctx, { sessionId: view.session_id, volunteerId: view.volunteer_id, existing: a }, 'cancelled', { source: a.source, actorPersonId: user.personId, reason: 'Invitation withdrawn' })
    }
    await tellWithdrawn(tx, ctx, view, '')
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: branch.library_service_id, action: 'invitation.withdrawn', objectType: 'invitation', objectId: invitationId, at: now })
    return { sessionId: view.session_id, name: view.volunteer_name }
  })
}

// ---------------------------------------------------------------------------------------------
// The volunteer's side: the page behind the link, and their answer.

export type InvitationStatus =
  | 'pending'
  | 'booked'
  | 'waitlisted'
  | 'declined'
  | 'withdrawn'
  | 'cancelled'
  | 'expired'
  | 'filled'
  | 'answered'
  /** A cover invitation someone else accepted first. */
  | 'covered'

export interface InvitationPage {
  status: InvitationStatus
  view: repo.InvitationView
  position?: number
  canJoinWaitlist: boolean
  when: { date: string; time: string; expires: string }
  address: string
}

async function lookup(ctx: AppContext, token: unknown): Promise<repo.InvitationView> {
  if (!looksLikeToken(token)) throw new NotFoundError({ key: 'coordinator.refusal.invitationLink' })
  const view = await repo.findByTokenHash(ctx.db, hashToken(token))
  if (!view) throw new NotFoundError({ key: 'coordinator.refusal.invitationLink' })
  return view
}

/** What the invitation page shows now: the assignment's state first (booked, waiting), then the invitation's. */
/** `language`: the page's, or (from the link) the language of the volunteer it was sent to (src/people/reader-language.service.ts). */
export async function invitationPage(ctx: AppContext, token: unknown, language: PageLanguage = 'en'): Promise<InvitationPage> {
  const view = await lookup(ctx, token)
  const locale = await languageFor(language, { personId: view.person_id })
  const now = ctx.clock.now()
  let status: InvitationStatus
  let position: number | undefined
  if (places.PLACE_STATES.includes(view.assignment_state)) status = 'booked'
  else if (view.assignment_state === 'waitlisted') {
    status = 'waitlisted'
    position = await inTransaction(ctx.db, (tx) => waitlistPosition(tx, view.session_id, view.volunteer_id))
  } else if (view.state === 'pending') {
    status = view.session_status === 'cancelled' ? 'cancelled' : now >= view.expires_at || now >= view.starts_at ? 'expired' : 'pending'
  } else if (view.state === 'accepted') status = 'answered'
  else status = view.session_status === 'cancelled' ? 'cancelled' : view.state
  if (status === 'withdrawn' && view.cover_request_id !== null && (await cover.findCoverRequest(ctx.db, view.cover_request_id))?.status === 'covered') status = 'covered'
  const open = view.session_status === 'scheduled' && view.starts_at > now
  const fmt = formatFor(locale)
  return {
    status,
    view,
    ...(position !== undefined ? { position } : {}),
    canJoinWaitlist: status === 'filled' && open,
    when: { date: fmt.longDate(view.local_date), time: fmt.timeRange(view.start_time, view.end_time), expires: fmt.instant(view.expires_at, view.timezone) },
    address: [view.branch_name, view.branch_address, view.branch_postcode].filter(Boolean).join(', '),
  }
}

export type Answer = 'accept' | 'decline' | 'waitlist'

/**
 * Why an answer could not be taken: the rules' refusal as places.service gives it (its English
 * `message`, and what the page needs to say it in another language), or one of the cover swap's
 * own reasons (`key`, in the catalogue's account.invitation). Worded by invitationRefusalText.
 */
export interface InvitationRefusal {
  message: string
  key?: 'alreadyBooked' | 'full'
  said?: Said
  why?: PlaceCheckFailure
  windowDays?: number
}

function refusalOf(result: { message: string; failures: RuleFailure[]; why?: PlaceCheckFailure; windowDays?: number }): InvitationRefusal {
  const first = result.failures[0]
  return {
    message: result.message,
    ...(first?.said && first.toVolunteer === result.message ? { said: first.said } : {}),
    ...(result.why ? { why: result.why } : {}),
    ...(result.windowDays === undefined ? {} : { windowDays: result.windowDays }),
  }
}

/** A refusal in the page's language: English as the rules said it; Welsh from the catalogue. */
export function invitationRefusalText(refusal: InvitationRefusal, view: repo.InvitationView, locale: Locale): string {
  if (locale === 'en') return refusal.message
  if (refusal.key) return translator(locale)(`account.invitation.${refusal.key}`)
  const { key: _key, ...outcome } = refusal
  return describeOutcome({ kind: 'refused', ...outcome }, view, locale)
}

/** Undoes a cover swap that the booking rules refused (the asker keeps their place); carries the reason out of the transaction. */
class CoverRefused extends Error {
  constructor(readonly refusal: InvitationRefusal) {
    super(refusal.message)
  }
}

/**
 * Accepting a cover invitation, under the session's lock: the asker's place is given up (without
 * offering it to the waiting list) and taken by the accepter through the places rules, so the
 * count never moves and a full session stays full, not over. The request is settled and its
 * other invitations withdrawn in the same transaction, so a second accept finds it covered.
 * Returns null when the request no longer holds a place to swap (the invitation then acts as any other).
 */
async function acceptCoverInTx(tx: Tx, ctx: AppContext, view: repo.InvitationView): Promise<{ refused: InvitationRefusal | null } | null> {
  const now = ctx.clock.now()
  const request = await cover.findCoverRequest(tx, view.cover_request_id!)
  if (!request || request.status !== 'open') return null
  const released = await releasePlaceInTx(tx, ctx, {
    sessionId: request.session_id,
    volunteerId: request.volunteer_id,
    toState: 'withdrawn',
    actorPersonId: view.person_id,
    reason: `Covered by ${view.volunteer_name}`,
    toldReason: firstName(view.volunteer_name),
    wording: 'covered',
    promote: false,
  })
  if (released.kind === 'not-held' || released.assignmentId !== request.assignment_id) {
    await cover.settleCoverRequest(tx, request.id, 'cancelled', now)
    return null
  }
  const taken = await takePlaceInTx(tx, ctx, { sessionId: view.session_id, volunteerId: view.volunteer_id, source: 'invitation', actorPersonId: view.person_id, rules: BOOKING_RULES, wording: 'accepted' })
  if (taken.kind === 'already-confirmed') throw new CoverRefused({ message: 'You are already booked on this session', key: 'alreadyBooked' })
  if (taken.kind === 'full') throw new CoverRefused({ message: 'This session is full', key: 'full' })
  if (taken.kind === 'refused') throw new CoverRefused(refusalOf(taken))
  if (!(await cover.settleCoverRequest(tx, request.id, 'covered', now, view.volunteer_id))) throw new Error(`cover request ${request.id} changed under the session lock`)
  await repo.settle(tx, view.id, 'accepted', now)
  await withdrawCoverInvitationsInTx(tx, ctx, request.id, (locale) => translator(locale)('email.reasons.alreadyCovered'))
  await audit(tx, { actorPersonId: view.person_id, libraryServiceId: view.library_service_id, action: 'cover.covered', objectType: 'assignment', objectId: request.assignment_id, detail: { sessionId: request.session_id, requestId: request.id, coveredBy: view.volunteer_id }, at: now })
  return { refused: null }
}

/** The volunteer's answer. A refusal by the booking rules leaves the invitation open and says why. */
export async function respondToInvitation(ctx: AppContext, token: unknown, answer: Answer): Promise<{ refused: InvitationRefusal | null }> {
  try {
    return await answerInvitation(ctx, token, answer)
  } catch (err) {
    if (err instanceof CoverRefused) return { refused: err.refusal }
    throw err
  }
}

async function answerInvitation(ctx: AppContext, token: unknown, answer: Answer): Promise<{ refused: InvitationRefusal | null }> {
  const found = await lookup(ctx, token)
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    // Locks as a booking does (volunteer, then session), then reads the invitation afresh.
    const { existing } = await lockPlaceInTx(tx, found.session_id, found.volunteer_id)
    const view = (await repo.findById(tx, found.id))!
    const actor = view.person_id
    // An unanswered invitation's place, closed as the invitation ends (unless it has moved on meanwhile, e.g. booked).
    const closeInvited = async (to: 'declined' | 'cancelled', actorPersonId: number | null, reason?: string) => {
      if (existing?.state !== 'invited') return
      await moveAssignmentInTx(tx, ctx, { sessionId: view.session_id, volunteerId: view.volunteer_id, existing }, to, { source: 'invitation', actorPersonId, ...(reason ? { reason } : {}) })
    }
    if (answer === 'waitlist') {
      if (view.state !== 'filled') return { refused: null }
      const input = { sessionId: view.session_id, volunteerId: view.volunteer_id, source: 'invitation' as const, actorPersonId: actor, rules: BOOKING_RULES, wording: 'accepted' as const }
      const result = await joinWaitlistInTx(tx, ctx, input)
      if (result.kind === 'place-free') {
        const taken = await takePlaceInTx(tx, ctx, input)
        if (taken.kind === 'refused') return { refused: refusalOf(taken) }
      } else if (result.kind === 'refused') return { refused: refusalOf(result) }
      return { refused: null }
    }
    if (view.state !== 'pending') return { refused: null }
    if (view.session_status === 'cancelled' || now >= view.expires_at || now >= view.starts_at) {
      await repo.settle(tx, view.id, 'expired', now)
      await closeInvited('cancelled', null, 'Invitation expired')
      return { refused: null }
    }
    if (answer === 'decline') {
      await repo.settle(tx, view.id, 'declined', now)
      await closeInvited('declined', actor)
      return { refused: null }
    }
    if (view.cover_request_id !== null) {
      const covered = await acceptCoverInTx(tx, ctx, view)
      if (covered) return covered
    }
    const result = await takePlaceInTx(tx, ctx, {
      sessionId: view.session_id,
      volunteerId: view.volunteer_id,
      source: 'invitation',
      actorPersonId: actor,
      rules: BOOKING_RULES,
      wording: 'accepted',
    })
    if (result.kind === 'confirmed' || result.kind === 'already-confirmed') {
      await repo.settle(tx, view.id, 'accepted', now)
      return { refused: null }
    }
    if (result.kind === 'full') {
      await repo.settle(tx, view.id, 'filled', now)
      await closeInvited('cancelled', null, 'Places filled before they answered')
      return { refused: null }
    }
    return { refused: refusalOf(result) }
  })
}

export const INVITATION_STATE_LABELS: Record<string, { text: string; colour: string }> = {
  pending: { text: 'Waiting for reply', colour: 'blue' },
  accepted: { text: 'Accepted', colour: 'green' },
  declined: { text: 'Declined', colour: 'grey' },
  withdrawn: { text: 'Withdrawn', colour: 'grey' },
  expired: { text: 'Expired', colour: 'grey' },
  filled: { text: 'Too late: place filled', colour: 'yellow' },
}

