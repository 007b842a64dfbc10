// Cancelling one session or the rest of a series (never the past): confirmed and waiting volunteers told, pending invitations withdrawn.
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import type { SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { ConflictError, NotFoundError, UserError } from '../errors.js'
import { audit } from '../audit/audit.repository.js'
import { weeklyRRule } from '../time/recurrence.js'
import { addDays } from '../time/wall-clock.js'
import * as places from '../assignments/assignments.repository.js'
import { cancelPlacesOfSessionInTx } from '../assignments/places.service.js'
import { assertSessionInScope } from './scope.js'
import { FormReader } from '../forms/fields.js'
import { weekdaysOf } from './series-rule.js'
import * as repo from './sessions.repository.js'
import { withdrawPendingInvitationsInTx } from './invitations.service.js'
import { translator } from '../i18n/i18n.js'
import * as cover from '../bookings/cover.repository.js'

/** Cancels one session inside a transaction: each confirmed volunteer gets a calendar cancellation. Returns how many were emailed. */
export async function cancelOneInTx(tx: Tx, ctx: AppContext, sessionId: number, actorPersonId: number, reason: string): Promise<number> {
  const now = ctx.clock.now()
  const session = await places.lockSession(tx, sessionId)
  if (!session || session.status === 'cancelled') return 0
  await repo.markCancelled(tx, sessionId, now)
  // Requests for cover end with the session (their invitations are withdrawn just below, with the rest).
  await cover.cancelOpenRequestsOfSession(tx, sessionId, now)
  await withdrawPendingInvitationsInTx(tx, ctx, sessionId, actorPersonId, (locale) => translator(locale)(reason ? 'email.reasons.sessionCancelledBecause' : 'email.reasons.sessionCancelled', { reason }))
  // The places on it are cancelled by the places module (counts, calendar cancellations, the waiting list told).
  return cancelPlacesOfSessionInTx(tx, ctx, sessionId, actorPersonId, reason)
}

export interface Cancelled {
  sessions: number
  emailed: number
}

/** Cancels one session, or it and the rest of its series (never the past). */
export async function cancelSessions(ctx: AppContext, user: SignedInUser, sessionId: number, scope: 'one' | 'rest', reasonInput: unknown): Promise<Cancelled> {
  const { branch } = await assertSessionInScope(ctx.db, user, sessionId)
  const reason = new FormReader({ reason: reasonInput }).paragraph('reason', { label: 'Reason', max: 500 }).slice(0, 500)
  const now = ctx.clock.now()
  const current = await repo.findSession(ctx.db, sessionId)
  if (!current) throw new NotFoundError({ key: 'coordinator.refusal.noSession' })
  if (current.status === 'cancelled' && scope === 'one') throw new ConflictError({ key: 'coordinator.refusal.alreadyCancelled' })
  if (current.starts_at <= now) throw new ConflictError({ key: 'coordinator.refusal.startedCannotCancel' })
  if (scope === 'rest' && current.series_id === null) throw new UserError({ key: 'coordinator.refusal.notSeries' })
  return inTransaction(ctx.db, async (tx) => {
    const targets = scope === 'one' ? [current] : (await repo.seriesSessionsFrom(tx, current.series_id!, current.local_date)).filter((s) => s.starts_at > now)
    let emailed = 0
    for (const s of targets) emailed += await cancelOneInTx(tx, ctx, s.id, user.personId, reason)
    if (scope === 'rest') {
      const series = await repo.findSeries(tx, current.series_id!)
      const newUntil = addDays(current.local_date, -1)
      if (series && newUntil >= series.starts_on) {
        await repo.setSeriesUntil(tx, series.id, newUntil, weeklyRRule({ startsOn: series.starts_on, untilOn: newUntil, days: weekdaysOf(series.rrule) }), now)
      }
    }
    await audit(tx, {
      actorPersonId: user.personId,
      libraryServiceId: branch.library_service_id,
      action: scope === 'one' ? 'session.cancelled' : 'series.cancelled-from',
      objectType: 'session',
      objectId: sessionId,
      detail: { sessions: targets.length, emailed, reason },
      at: now,
    })
    return { sessions: targets.length, emailed }
  })
}
