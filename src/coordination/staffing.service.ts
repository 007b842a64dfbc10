// One session as its coordinator sees it (who is on, invited, waiting, who could come), and direct assignment and removal.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { ConflictError, NotFoundError } from '../errors.js'
import { FormReader } from '../forms/fields.js'
import { audit } from '../audit/audit.repository.js'
import { ALL_RULES } from '../matching/eligibility.js'
import * as places from '../assignments/assignments.repository.js'
import { releasePlaceInTx, takePlaceInTx } from '../assignments/places.service.js'
import { assertSessionInScope } from './scope.js'
import { candidatesFor, type Candidates } from './candidates.service.js'
import { describeSeries } from './session-wording.js'
import * as repo from './sessions.repository.js'
import * as invitations from './invitations.repository.js'
import { cancelCoverOfAssignmentInTx, INVITATION_STATE_LABELS } from './invitations.service.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { toCoordinator } from './coordinator-wording.js'
import { plural } from '../views/format.js'
import { withLocalNames } from '../i18n/names.js'

export interface SessionPage {
  session: repo.SessionRow
  series: string | null
  required: string[]
  preferred: string[]
  trainings: string[]
  confirmed: repo.PersonOnSession[]
  waitlist: repo.PersonOnSession[]
  invitations: Array<repo.InvitationRow & { label: { text: string; colour: string }; shown: string; open: boolean }>
  open: boolean
  past: boolean
  short: number
  room: number
  candidates: Candidates | null
}

/** The invitations of a session with what to call each state now (an unanswered one past its time is "expired"). */
export async function invitationRows(ctx: AppContext, user: SignedInUser, sessionId: number): Promise<SessionPage['invitations']> {
  await assertSessionInScope(ctx.db, user, sessionId)
  const now = ctx.clock.now()
  return (await repo.invitationsOfSession(ctx.db, sessionId)).map((i) => {
    const state = i.state === 'pending' && now >= i.expires_at ? 'expired' : i.state
    return { ...i, label: INVITATION_STATE_LABELS[state]!, shown: state, open: state === 'pending' }
  })
}

/** `locale`: the page's language: the words built here (the series, candidates' reasons) and the names of the branch, skills and trainings (src/i18n/names.ts). */
export async function sessionPage(ctx: AppContext, user: SignedInUser, sessionId: number, locale: Locale = 'en'): Promise<SessionPage> {
  await assertSessionInScope(ctx.db, user, sessionId)
  const found = await repo.findSession(ctx.db, sessionId)
  if (!found) throw new NotFoundError({ key: 'coordinator.refusal.noSession' })
  const session = withLocalNames(found, locale)
  const now = ctx.clock.now()
  const [req, people, names, series, invitationList] = await Promise.all([
    repo.requirementsOf(ctx.db, sessionId),
    repo.peopleOnSession(ctx.db, sessionId),
    places.loadNames(ctx.db, session.library_service_id, locale),
    session.series_id ? repo.findSeries(ctx.db, session.series_id) : Promise.resolve(null),
    invitationRows(ctx, user, sessionId),
  ])
  const open = session.status === 'scheduled' && session.starts_at > now
  const room = Math.max(0, session.max_volunteers - session.confirmed_count)
  return {
    session,
    series: series ? describeSeries(series, locale) : null,
    required: req.required.map((id) => names.skill(id)),
    preferred: req.preferred.map((id) => names.skill(id)),
    trainings: req.trainings.map((id) => names.training(id)),
    confirmed: people.filter((p) => places.PLACE_STATES.includes(p.state)),
    waitlist: people.filter((p) => p.state === 'waitlisted').sort((a, b) => (a.waitlisted_at ?? 0) - (b.waitlisted_at ?? 0)),
    invitations: invitationList,
    open,
    past: session.starts_at <= now,
    short: Math.max(0, session.min_volunteers - session.confirmed_count),
    room,
    candidates: open && room > 0 ? await candidatesFor(ctx, user, sessionId, locale) : null,
  }
}

/** Confirms a candidate directly: every hard rule, the calendar invite, as for a booking. */
export async function assignVolunteer(ctx: AppContext, user: SignedInUser, sessionId: number, volunteerId: number, source: 'coordinator' | 'auto_fill' = 'coordinator', locale: Locale = 'en'): Promise<string> {
  const { branch } = await assertSessionInScope(ctx.db, user, sessionId)
  const t = translator(locale)
  return inTransaction(ctx.db, async (tx) => {
    const result = await takePlaceInTx(tx, ctx, { sessionId, volunteerId, source, actorPersonId: user.personId, rules: ALL_RULES, wording: 'assigned' })
    const name = (await places.loadProfiles(tx, [volunteerId], 0, 0)).get(volunteerId)?.name ?? t('coordinator.actions.thatVolunteer')
    if (result.kind === 'full') throw new ConflictError({ key: 'coordinator.actions.full' })
    if (result.kind === 'already-confirmed') throw new ConflictError({ key: 'coordinator.actions.alreadyConfirmed', values: { name } })
    if (result.kind === 'refused') {
      const why = result.failures.length ? result.failures.map((f) => toCoordinator(f, locale)).join(t('coordinator.actions.cannotAddJoin')) : refusedSession(result, locale)
      throw new ConflictError(t('coordinator.actions.cannotAdd', { name, why }))
    }
    // An invitation still open for this session has been overtaken.
    const now = ctx.clock.now()
    for (const p of await invitations.pendingOfAssignment(tx, result.assignmentId)) await invitations.settle(tx, p.id, 'withdrawn', now)
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: branch.library_service_id, action: 'assignment.assigned', objectType: 'session', objectId: sessionId, detail: { volunteerId, source }, at: now })
    return t('coordinator.actions.added', { name })
  })
}

/** Why the session itself refused (cancelled, started), in the coordinator's language; English keeps the places rules' words. */
function refusedSession(result: { message: string; why?: string }, locale: Locale): string {
  if (locale === 'en') return result.message
  const t = translator(locale)
  return result.why === 'cancelled' ? t('coordinator.actions.cancelled') : result.why === 'started' ? t('coordinator.actions.started') : result.message
}

export const REMOVED_BY_COORDINATOR = 'Removed by the coordinator'

export const MAX_REMOVAL_REASON = 500

/** What the "take off" confirmation shows: who, which session, and whether someone is waiting for the place. */
export interface RemovalView {
  session: repo.SessionRow
  volunteerId: number
  name: string
  waiting: number
}

/** The confirmation before a removal, refused for the same reasons the removal would be (nothing is changed here). */
export async function removalView(ctx: AppContext, user: SignedInUser, sessionId: number, volunteerId: number, locale: Locale = 'en'): Promise<RemovalView> {
  await assertSessionInScope(ctx.db, user, sessionId)
  const found = await repo.findSession(ctx.db, sessionId)
  if (!found) throw new NotFoundError({ key: 'coordinator.refusal.noSession' })
  const session = withLocalNames(found, locale)
  if (session.status === 'cancelled') throw new ConflictError({ key: 'coordinator.actions.cancelled' })
  if (session.starts_at <= ctx.clock.now()) throw new ConflictError({ key: 'coordinator.actions.started' })
  const people = await repo.peopleOnSession(ctx.db, sessionId)
  const person = people.find((p) => p.volunteer_id === volunteerId && p.state === 'confirmed')
  if (!person) throw new ConflictError({ key: 'coordinator.actions.notConfirmed' })
  return { session, volunteerId, name: person.name, waiting: people.filter((p) => p.state === 'waitlisted').length }
}

/** The coordinator's optional reason, as the volunteer's email will give it; too long is a field error. */
export function checkRemovalReason(value: unknown): string {
  const form = new FormReader({ reason: value })
  const reason = form.paragraph('reason', { label: 'Reason', max: MAX_REMOVAL_REASON })
  form.done()
  return reason
}

/**
 * Takes a confirmed volunteer off a session: they get a calendar cancellation (with the
 * coordinator's reason, if one was given); the waiting list is offered the place. The row keeps
 * REMOVED_BY_COORDINATOR (auto-fill reads it); the audit records only that a reason was given.
 */
export async function removeVolunteer(ctx: AppContext, user: SignedInUser, sessionId: number, volunteerId: number, reasonInput: unknown = '', locale: Locale = 'en'): Promise<string> {
  const { branch } = await assertSessionInScope(ctx.db, user, sessionId)
  const t = translator(locale)
  const reason = checkRemovalReason(reasonInput)
  return inTransaction(ctx.db, async (tx) => {
    const session = await places.lockSession(tx, sessionId)
    if (!session || session.status === 'cancelled') throw new ConflictError({ key: 'coordinator.actions.cancelled' })
    if (session.starts_at <= ctx.clock.now()) throw new ConflictError({ key: 'coordinator.actions.started' })
    const existing = await places.findAssignment(tx, sessionId, volunteerId)
    if (!existing || existing.state !== 'confirmed') throw new ConflictError({ key: 'coordinator.actions.notConfirmed' })
    const result = await releasePlaceInTx(tx, ctx, { sessionId, volunteerId, toState: 'cancelled', actorPersonId: user.personId, reason: REMOVED_BY_COORDINATOR, toldReason: reason, wording: 'removed' })
    // A request for cover from them ends: the place is no longer theirs to hand on.
    if (result.kind === 'released') await cancelCoverOfAssignmentInTx(tx, ctx, result.assignmentId)
    const name = (await places.loadProfiles(tx, [volunteerId], 0, 0)).get(volunteerId)?.name ?? t('coordinator.actions.theVolunteer')
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: branch.library_service_id, action: 'assignment.removed', objectType: 'session', objectId: sessionId, detail: { volunteerId, reasonGiven: reason !== '' }, at: ctx.clock.now() })
    const promoted = result.kind === 'released' ? result.promoted.length : 0
    return promoted ? t('coordinator.actions.takenOffPromoted', { name, count: promoted }) : t('coordinator.actions.takenOff', { name })
  })
}
