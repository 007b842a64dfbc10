// Giving up a place or a place in the queue: the withdraw page, the reason, and "I can't make it" after the cut-off with the coordinators alerted.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import type { Locale } from '../i18n/i18n.js'
import { withLocalNames } from '../i18n/names.js'
import { inTransaction } from '../db/transaction.js'
import { ConflictError, NotFoundError, UserError, ValidationError } from '../errors.js'
import { FormReader } from '../forms/fields.js'
import { audit } from '../audit/audit.repository.js'
import { lockVolunteer } from '../assignments/assignments.repository.js'
import { releasePlaceInTx } from '../assignments/places.service.js'
import { queueCoordinatorAlert } from '../notifications/notify.js'
import { cannotMakeItAlert, untilText } from './booking-wording.js'
import type { MySession } from './my-sessions.service.js'
import { isPastCutoff, withdrawalCutoff } from './cutoff.js'
import { volunteerOf } from './volunteer-scope.js'
import * as repo from './bookings.repository.js'
import { cancelCoverOfAssignmentInTx } from '../coordination/invitations.service.js'

export const MAX_REASON = 500

export interface WithdrawalView {
  booking: MySession
  kind: 'withdraw' | 'cannot-make-it' | 'leave-waitlist'
  startsIn: string
}

/** What the withdraw page shows for one of the volunteer's own places, or why it cannot be given up. */
export async function withdrawalView(ctx: AppContext, user: SignedInUser, assignmentId: number, locale: Locale = 'en'): Promise<WithdrawalView> {
  const volunteer = volunteerOf(user)
  const now = ctx.clock.now()
  const row = await repo.assignmentOf(ctx.db, volunteer.id, assignmentId)
  // Someone else's booking looks exactly like one that does not exist.
  if (!row) throw new NotFoundError({ key: 'volunteer.refusal.noBooking' })
  const booking: MySession = { ...withLocalNames(row, locale), cutoffAt: withdrawalCutoff(row), beforeCutoff: !isPastCutoff(row, now), position: null }
  if (row.status === 'cancelled') throw new ConflictError({ key: 'volunteer.refusal.cancelledNothingToWithdraw' })
  if (row.starts_at <= now) throw new ConflictError({ key: 'volunteer.refusal.startedTellStaff' })
  if (row.state === 'waitlisted') {
    booking.position = (await repo.waitlistPositions(ctx.db, volunteer.id, [row.session_id])).get(row.session_id) ?? null
    return { booking, kind: 'leave-waitlist', startsIn: untilText(row.starts_at - now, locale) }
  }
  if (row.state !== 'confirmed') throw new ConflictError({ key: 'volunteer.refusal.noLongerBooked' })
  return { booking, kind: booking.beforeCutoff ? 'withdraw' : 'cannot-make-it', startsIn: untilText(row.starts_at - now, locale) }
}

export function checkReason(value: unknown): string {
  const form = new FormReader({ reason: value })
  const reason = form.paragraph('reason', { label: 'Your reason', max: MAX_REASON })
  form.done()
  return reason
}

export type WithdrawOutcome = { kind: 'withdrew' | 'cannot-make-it' | 'left-waitlist'; title: string; localDate: string; coordinatorsTold: number }

/**
 * Gives up a place (or a place in the queue). Before the library service's cut-off it is a plain
 * withdrawal; after it, an "I can't make it": the branch's coordinators are alerted in the same
 * transaction and the reason is recorded. Either way the place goes to the waiting list.
 */
export async function withdraw(ctx: AppContext, user: SignedInUser, assignmentId: number, reasonInput: unknown): Promise<WithdrawOutcome> {
  const reason = checkReason(reasonInput)
  const view = await withdrawalView(ctx, user, assignmentId)
  const b = view.booking
  const volunteerId = volunteerOf(user).id
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    // Decided again under the volunteer's lock: the place may have changed since the page (a
    // waiting-list promotion, a second tab), and the cut-off may have passed meanwhile.
    await lockVolunteer(tx, volunteerId)
    const current = await repo.assignmentOf(tx, volunteerId, assignmentId)
    if (!current || (current.state !== 'confirmed' && current.state !== 'waitlisted')) throw new ConflictError({ key: 'volunteer.refusal.noLongerBooked' })
    if (current.starts_at <= now) throw new ConflictError({ key: 'volunteer.refusal.startedTellStaff' })
    const kind = current.state === 'waitlisted' ? 'left-waitlist' : isPastCutoff(current, now) ? 'cannot-make-it' : 'withdrew'
    const released = await releasePlaceInTx(tx, ctx, {
      sessionId: b.session_id,
      volunteerId,
      toState: 'withdrawn',
      actorPersonId: user.personId,
      reason: kind === 'cannot-make-it' && !reason ? 'Could not make it' : reason,
      wording: kind === 'cannot-make-it' ? 'cannot-make-it' : 'withdrew',
    })
    // Changed between the page and the button (a coordinator removed them, or a second tab).
    if (released.kind === 'not-held') throw new ConflictError({ key: 'volunteer.refusal.noLongerBooked' })
    // They asked for cover and now give the place up anyway: nobody needs to take it from them.
    await cancelCoverOfAssignmentInTx(tx, ctx, assignmentId)
    let coordinatorsTold = 0
    if (kind === 'cannot-make-it') {
      const session = await repo.sessionDetail(tx, b.session_id)
      const filled = released.promoted.length > 0
      const facts = { name: user.name, title: b.title, localDate: b.local_date, startsInMs: b.starts_at - now, reason, filled, confirmed: session!.confirmed_count, needed: session!.min_volunteers }
      coordinatorsTold = await queueCoordinatorAlert(tx, ctx, {
        sessionId: b.session_id,
        dedupeKey: `cannot-make-it:${assignmentId}:${now}`,
        subject: (locale) => cannotMakeItAlert(facts, locale).subject,
        message: (locale) => cannotMakeItAlert(facts, locale).message,
      })
    }
    await audit(tx, {
      actorPersonId: user.personId,
      libraryServiceId: volunteerOf(user).libraryServiceId,
      action: kind === 'cannot-make-it' ? 'cannot_make_it' : kind === 'left-waitlist' ? 'left_waitlist' : 'withdrew',
      objectType: 'assignment',
      objectId: assignmentId,
      detail: { sessionId: b.session_id, reason, hoursBefore: Math.round((b.starts_at - now) / 360_000) / 10, promoted: released.promoted },
      at: now,
    })
    return { kind, title: b.title, localDate: b.local_date, coordinatorsTold }
  })
}
