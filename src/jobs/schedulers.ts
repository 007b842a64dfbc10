// Periodic jobs inside the server (or `npm run worker`): each runs on one instance at a time, via a lease row.
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { purgeExpiredSignInLinks } from '../auth/auth.service.js'
import { queueExpiryReminders, queueGapsDigests, queueSessionReminders, queueShortSessionAlerts } from '../reminders/reminders.service.js'
import { purgeOldMail } from '../mail/outbox.service.js'
import { applyRetention, scrubErasedMail } from '../privacy/privacy.service.js'
import { purgeExpiredRateLimitHits } from '../security/rate-limits.service.js'
import { queueRecordingPrompts } from '../evidence/recording-links.service.js'
import { queueCoverAlerts } from '../bookings/cover.service.js'
import { releaseLease, tryTakeLease } from './leases.js'

export interface ScheduledJob {
  name: string
  everyMs: number
  run(ctx: AppContext): Promise<void>
}

export const scheduledJobs: ScheduledJob[] = [
  { name: 'purge-sign-in-links', everyMs: 60 * 60_000, run: purgeExpiredSignInLinks },
  // Rate-limit windows that have ended (PostgreSQL's shared counts; on SQLite the table stays empty).
  { name: 'purge-rate-limit-hits', everyMs: 10 * 60_000, run: purgeExpiredRateLimitHits },
  // Every minute, so "08:00 on the day" goes at 08:00 and not at 08:14.
  { name: 'session-reminders', everyMs: 60_000, run: async (ctx) => void (await queueSessionReminders(ctx)) },
  { name: 'short-session-alerts', everyMs: 5 * 60_000, run: async (ctx) => void (await queueShortSessionAlerts(ctx)) },
  // Requests for cover nobody has accepted by their alert time: the coordinators are told, once each.
  { name: 'cover-alerts', everyMs: 5 * 60_000, run: async (ctx) => void (await queueCoverAlerts(ctx)) },
  { name: 'gaps-digest', everyMs: 5 * 60_000, run: async (ctx) => void (await queueGapsDigests(ctx)) },
  // When a session ends, its volunteers get the link to record it (within 5 minutes, while it is fresh).
  { name: 'recording-prompts', everyMs: 5 * 60_000, run: async (ctx) => void (await queueRecordingPrompts(ctx)) },
  { name: 'expiry-reminders', everyMs: 15 * 60_000, run: async (ctx) => void (await queueExpiryReminders(ctx)) },
  // Mail owed to someone who deleted their account goes out first; then its copies lose address and content.
  { name: 'scrub-erased-mail', everyMs: 5 * 60_000, run: async (ctx) => void (await scrubErasedMail(ctx)) },
  // Volunteers who left longer ago than their service keeps details are anonymised; old sign-in records go.
  { name: 'retention', everyMs: 24 * 60 * 60_000, run: async (ctx) => void (await applyRetention(ctx)) },
  { name: 'purge-old-mail', everyMs: 24 * 60 * 60_000, run: async (ctx) => void (await purgeOldMail(ctx)) },
]

/**
 * Runs every job that is due and whose lease this instance can take. A job that fails is
 * reported and tried again at its next time; it does not hold up the others. Exported for tests.
 */
export async function runDueJobs(
  ctx: AppContext,
  owner: string,
  jobs: ScheduledJob[] = scheduledJobs,
  onError: (job: string, err: unknown) => void = (job, err) => {
    throw Object.assign(err instanceof Error ? err : new Error(String(err)), { job })
  },
): Promise<string[]> {
  const ran: string[] = []
  for (const job of jobs) {
    if (await tryTakeLease(ctx, job.name, owner, job.everyMs)) {
      try {
        await job.run(ctx)
        ran.push(job.name)
      } catch (err) {
        onError(job.name, err)
      } finally {
        await releaseLease(ctx, job.name, owner)
      }
    }
  }
  return ran
}

export function startSchedulers(app: FastifyInstance, tickMs = 30_000): () => void {
  const owner = app.mail.worker.owner
  let busy = false
  const tick = async () => {
    if (busy) return
    busy = true
    try {
      await runDueJobs(app.ctx, owner, scheduledJobs, (job, err) => app.log.error({ err, job }, 'scheduled job failed'))
    } catch (err) {
      app.log.error({ err }, 'scheduled job failed')
    } finally {
      busy = false
    }
  }
  const timer = setInterval(() => void tick(), tickMs)
  void tick()
  return () => clearInterval(timer)
}
