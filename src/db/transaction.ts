// Runs a unit of work in one transaction, retrying when PostgreSQL breaks a deadlock or a serialisation conflict.
//
// Booking-style transactions lock a volunteer row, then a session row, and waitlist promotion
// then locks another volunteer: two of those can deadlock on PostgreSQL, which aborts one of
// them (40P01). Retrying that one is safe because it changed nothing. SQLite has a single writer
// (BEGIN IMMEDIATE), so it never gets here.
import type { Db, Tx } from './connect.js'

const RETRYABLE = new Set(['40P01', '40001'])

interface Pending {
  open: boolean
  callbacks: Array<() => void>
}

// What each open transaction (begun by inTransaction) wants done once it has committed (waking the
// outbox worker), keyed by its handle. Not an AsyncLocalStorage: in Node 20 the first one used
// turns on promise hooks for the whole process, for good, and every await of every request then
// pays for them (a profile of the booking run: async_hooks' promise hooks in every request).
const pendingOf = new WeakMap<Db | Tx, Pending>()

/**
 * Runs `fn` once the transaction `db` is (begun by inTransaction) has committed, and never if it
 * rolls back; outside one (`db` the database itself), at once. The outbox worker is woken this
 * way: woken before the commit, its first pass cannot see the row (on PostgreSQL) and it sleeps a poll.
 */
export function afterCommit(db: Db | Tx, fn: () => void): void {
  const pending = pendingOf.get(db)
  if (pending?.open) pending.callbacks.push(fn)
  else fn()
}

export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const pending: Pending = { open: true, callbacks: [] }
    try {
      const result = await db.transaction().execute((tx) => {
        pendingOf.set(tx, pending)
        return work(tx)
      })
      pending.open = false
      for (const fn of pending.callbacks) fn()
      return result
    } catch (err) {
      // Rolled back: nothing it queued exists, so nothing is woken (a retry queues afresh).
      pending.open = false
      const code = (err as { code?: string }).code
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw err
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt))
    }
  }
}
