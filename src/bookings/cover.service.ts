// Finding cover (issue 16 item 3): a volunteer who can no longer go asks the best-ranked candidates to take their place; they keep it until one accepts.
//
// The request invites up to COVER_INVITES candidates, ranked exactly as coordinators see them
// (coordination/candidates.service.rankCandidates), in one transaction through inviteOneInTx, so
// the invitations' emails go through the outbox with the request. Accepting one is an answer to
// an invitation (coordination/invitations.service): it swaps the places in one transaction under
// the session's lock. If nobody has accepted by alert_at, the coordinators are told, once.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { ConflictError } from '../errors.js'
import { audit } from '../audit/audit.repository.js'
import { lockVolunteer } from '../assignments/assignments.repository.js'
import { queueCoordinatorAlert } from '../notifications/notify.js'
import { rankCandidates } from '../coordination/candidates.service.js'
import { inviteOneInTx } from '../coordination/invitations.service.js'
import { formatFor, longDate } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { untilText } from './booking-wording.js'
import { withdrawalView } from './withdrawal.service.js'
import { volunteerOf } from './volunteer-scope.js'
import * as bookings from './bookings.repository.js'
import * as repo from './cover.repository.js'

/** How many candidates one request invites at once. */
export const COVER_INVITES = 5
/** The coordinators are told this long before the session if nobody has accepted (at once if it is sooner). */
export const COVER_ALERT_HOURS = 24
const HOUR = 3_600_000

export type CoverOutcome =
  | { kind: 'asked'; invited: number; title: string; localDate: string }
  | { kind: 'already-asked'; invited: number; title: string; localDate: string }
  | { kind: 'no-candidates'; title: string; localDate: string }

/** Rolls the request back when nobody could be invited (nothing is kept, nothing is sent). */
class NobodyToAsk extends Error {}

/** When the coordinators hear that nobody has accepted: a day before, or now if that has passed. */
export function coverAlertAt(startsAt: number, now: number): number {
  return Math.max(now, startsAt - COVER_ALERT_HOURS * HOUR)
}

/** The open request on one of the volunteer's places, if any (the withdraw page says it is in hand). */
export async function openCoverOf(ctx: AppContext, user: SignedInUser, assignmentId: number): Promise<{ invited: number } | null> {
  const row = await bookings.assignmentOf(ctx.db, volunteerOf(user).id, assignmentId)
  if (!row) return null
  const open = await repo.openRequestOfAssignment(ctx.db, assignmentId)
  if (!open) return null
  const withCount = (await repo.openRequestsForSessions(ctx.db, [open.session_id])).find((r) => r.id === open.id)
  return { invited: withCount?.invited ?? 0 }
}

/**
 * Asks for cover for one of the volunteer's own confirmed places (someone else's looks like one
 * that does not exist). They keep the place until someone accepts.
 */
export async function askForCover(ctx: AppContext, user: SignedInUser, assignmentId: number): Promise<CoverOutcome> {
  const view = await withdrawalView(ctx, user, assignmentId)
  if (view.kind === 'leave-waitlist') throw new ConflictError({ key: 'volunteer.refusal.waitlistNoCover' })
  const b = view.booking
  const volunteer = volunteerOf(user)
  const existing = await openCoverOf(ctx, user, assignmentId)
  if (existing) return { kind: 'already-asked', invited: existing.invited, title: b.title, localDate: b.local_date }
  // Ranked outside the transaction (it reads a lot); every invitation re-checks the rules under the locks.
  const ranked = (await rankCandidates(ctx, volunteer.libraryServiceId, b.session_id)).candidates
    // Someone waiting keeps their place in the queue: an invitation would take them off it.
    .filter((c) => c.volunteerId !== volunteer.id && !c.waitlisted)
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const now = ctx.clock.now()
      await lockVolunteer(tx, volunteer.id)
      const current = await bookings.assignmentOf(tx, volunteer.id, assignmentId)
      if (!current || current.state !== 'confirmed') throw new ConflictError({ key: 'volunteer.refusal.noLongerBooked' })
      if (current.starts_at <= now) throw new ConflictError({ key: 'volunteer.refusal.startedTellStaff' })
      const already = await repo.openRequestOfAssignment(tx, assignmentId)
      if (already) return { kind: 'already-asked' as const, invited: (await repo.pendingInvitationsOfRequest(tx, already.id)).length, title: b.title, localDate: b.local_date }
      const requestId = await repo.insertCoverRequest(tx, { assignmentId, sessionId: b.session_id, volunteerId: volunteer.id, alertAt: coverAlertAt(current.starts_at, now), now })
      let invited = 0
      for (const c of ranked) {
        if (invited >= COVER_INVITES) break
        const outcome = await inviteOneInTx(tx, ctx, { sessionId: b.session_id, volunteerId: c.volunteerId, source: 'invitation', actorPersonId: user.personId, cover: { requestId, askerName: user.name } })
        if (outcome.kind === 'invited') invited++
      }
      if (invited === 0) throw new NobodyToAsk()
      await audit(tx, { actorPersonId: user.personId, libraryServiceId: volunteer.libraryServiceId, action: 'cover.asked', objectType: 'assignment', objectId: assignmentId, detail: { sessionId: b.session_id, requestId, invited }, at: now })
      return { kind: 'asked' as const, invited, title: b.title, localDate: b.local_date }
    })
  } catch (err) {
    if (err instanceof NobodyToAsk) return { kind: 'no-candidates', title: b.title, localDate: b.local_date }
    throw err
  }
}

/** The message a volunteer sees after asking. */
export function coverMessage(outcome: CoverOutcome, locale: Locale = 'en'): string {
  const t = translator(locale)
  const what = { title: outcome.title, date: formatFor(locale).longDate(outcome.localDate) }
  if (outcome.kind === 'no-candidates') return t('volunteer.wording.noCandidates', what)
  return t('volunteer.wording.coverAsked', { ...what, count: outcome.invited })
}

/** The job: open requests whose alert time has come, each told to its branch's coordinators once. Returns how many requests were alerted. */
export async function queueCoverAlerts(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now()
  let alerted = 0
  for (const r of await repo.requestsDueForAlert(ctx.db, now)) {
    await inTransaction(ctx.db, async (tx) => {
      if (!(await repo.markAlerted(tx, r.id, now))) return
      const session = (await bookings.sessionDetail(tx, r.session_id))!
      const message = (locale: Locale) => {
        const t = translator(locale)
        return [
          t('email.alerts.coverStarts', { name: r.asker_name, until: untilText(r.starts_at - now, locale) }),
          t('email.alerts.coverNobody'),
          t('email.alerts.staffed', { confirmed: session.confirmed_count, needed: session.min_volunteers }),
        ].join(' ')
      }
      const subject = (locale: Locale) => translator(locale)('email.alerts.coverSubject', { name: r.asker_name, title: session.title, date: formatFor(locale).longDate(session.local_date) })
      await queueCoordinatorAlert(tx, ctx, { sessionId: r.session_id, dedupeKey: `cover-lapsed:${r.id}`, subject, message })
      alerted++
    })
  }
  return alerted
}
