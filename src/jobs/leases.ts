// Job leases in the database: of several instances, one runs a periodic job per interval.
import type { AppContext } from '../context.js'
import { clearLease, ensureLeaseRow, takeLeaseIfDue } from './leases.repository.js'

/**
 * Takes the named job if its last run is at least `everyMs` ago and nobody holds an unexpired
 * lease. Only one of several instances trying at once wins (see leases.repository.ts).
 */
export async function tryTakeLease(ctx: AppContext, name: string, owner: string, everyMs: number, leaseMs = 5 * 60_000): Promise<boolean> {
  const now = ctx.clock.now()
  await ensureLeaseRow(ctx.db, name)
  return takeLeaseIfDue(ctx.db, name, owner, now, now - everyMs, now + leaseMs)
}

/** Lets the next run start on time: the lease only guards against two runs at once. */
export async function releaseLease(ctx: AppContext, name: string, owner: string): Promise<void> {
  await clearLease(ctx.db, name, owner)
}
