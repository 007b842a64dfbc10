// Runs a unit of work in one transaction, retrying when PostgreSQL breaks a deadlock or a serialisation conflict.
//
// Booking-style transactions lock a volunteer row, then a session row, and waitlist promotion
// then locks another volunteer: two of those can deadlock on PostgreSQL, which aborts one of
// them (40P01). Retrying that one is safe because it changed nothing. SQLite has a single writer
// (BEGIN IMMEDIATE), so it never gets here.
import type { Db, Tx } from './connect.js'

const RETRYABLE = new Set(['40P01', '40001'])

export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work)
    } catch (err) {
      const code = (err as { code?: string }).code
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw err
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt))
    }
  }
}
