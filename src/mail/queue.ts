// Queueing a batch of emails: one transaction for the lot, and the worker woken once it has committed.
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import { inTransaction } from '../db/transaction.js'

/**
 * Runs `queueOne` for each item in one transaction (it writes the item's rows and queues its
 * email, saying whether it did) and returns how many were queued; the outbox worker is woken
 * after the commit, and only when there is something to send. A retried transaction counts afresh.
 */
export async function queueEach<T>(ctx: AppContext, items: readonly T[], queueOne: (tx: Tx, item: T) => Promise<boolean>): Promise<number> {
  const queued = await inTransaction(ctx.db, async (tx) => {
    let n = 0
    for (const item of items) if (await queueOne(tx, item)) n++
    return n
  })
  if (queued) ctx.outboxQueued(ctx.db)
  return queued
}
