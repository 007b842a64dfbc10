// Job leases in the database: of several instances, one runs a periodic job per interval.
import type { AppContext } from '../context.js'

/**
 * Takes the named job if its last run is at least `everyMs` ago and nobody holds an unexpired
 * lease. The conditional UPDATE is atomic on both databases, so only one taker wins.
 */
export async function tryTakeLease(ctx: AppContext, name: string, owner: string, everyMs: number, leaseMs = 5 * 60_000): Promise<boolean> {
  const now = ctx.clock.now()
  await ctx.db
    .insertInto('job_leases')
    .values({ name, owner: null, lease_until: 0, last_run_at: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  const taken = await ctx.db
    .updateTable('job_leases')
    .set({ owner, lease_until: now + leaseMs, last_run_at: now })
    .where('name', '=', name)
    .where('last_run_at', '<=', now - everyMs)
    .where('lease_until', '<', now)
    .executeTakeFirst()
  return Number(taken.numUpdatedRows) === 1
}

/** Lets the next run start on time: the lease only guards against two runs at once. */
export async function releaseLease(ctx: AppContext, name: string, owner: string): Promise<void> {
  await ctx.db.updateTable('job_leases').set({ lease_until: 0 }).where('name', '=', name).where('owner', '=', owner).execute()
}
