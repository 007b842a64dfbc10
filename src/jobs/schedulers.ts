// Periodic jobs inside the server (or `npm run worker`): each runs on one instance at a time, via a lease row.
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { purgeExpiredSignInLinks } from '../auth/auth.service.js'
import { releaseLease, tryTakeLease } from './leases.js'

export interface ScheduledJob {
  name: string
  everyMs: number
  run(ctx: AppContext): Promise<void>
}

export const scheduledJobs: ScheduledJob[] = [
  { name: 'purge-sign-in-links', everyMs: 60 * 60_000, run: purgeExpiredSignInLinks },
]

/** Runs every job that is due and whose lease this instance can take. Exported for tests. */
export async function runDueJobs(ctx: AppContext, owner: string, jobs: ScheduledJob[] = scheduledJobs): Promise<string[]> {
  const ran: string[] = []
  for (const job of jobs) {
    if (await tryTakeLease(ctx, job.name, owner, job.everyMs)) {
      try {
        await job.run(ctx)
        ran.push(job.name)
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
      await runDueJobs(app.ctx, owner)
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
