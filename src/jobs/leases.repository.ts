// SQL for job leases: the row per periodic job that says who runs it and when it last ran.
import type { Db } from '../db/connect.js'

/** Makes sure the job has a lease row (a new job starts as never run and held by nobody). */
export async function ensureLeaseRow(db: Db, name: string): Promise<void> {
  await db
    .insertInto('job_leases')
    .values({ name, owner: null, lease_until: 0, last_run_at: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
}

/**
 * Takes the lease if the last run is at or before `dueBy` and nobody holds an unexpired lease.
 * The conditional UPDATE is atomic on both databases, so only one taker wins.
 */
export async function takeLeaseIfDue(db: Db, name: string, owner: string, now: number, dueBy: number, leaseUntil: number): Promise<boolean> {
  const taken = await db
    .updateTable('job_leases')
    .set({ owner, lease_until: leaseUntil, last_run_at: now })
    .where('name', '=', name)
    .where('last_run_at', '<=', dueBy)
    .where('lease_until', '<', now)
    .executeTakeFirst()
  return Number(taken.numUpdatedRows) === 1
}

export async function clearLease(db: Db, name: string, owner: string): Promise<void> {
  await db.updateTable('job_leases').set({ lease_until: 0 }).where('name', '=', name).where('owner', '=', owner).execute()
}
