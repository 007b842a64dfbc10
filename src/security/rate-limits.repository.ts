// SQL for the shared rate-limit counts: one atomic upsert per counted request, and the purge of old windows.
import { sql } from 'kysely'
import type { Db } from '../db/connect.js'

export interface RateLimitCount {
  /** Requests in the window so far, this one included. */
  hits: number
  expiresAt: number
}

/**
 * Counts one request for `key` and answers the count so far in its window. One statement: the row is
 * created, or counted up, or (when its window has expired) started again at 1, and the database's row
 * lock on the key makes concurrent counts from any number of instances queue up, so each sees a
 * different count and no two can both be the one that passes the limit. (Inside ON CONFLICT DO UPDATE
 * every `rate_limit_hits.…` is the row as it was, so the three CASEs agree on whether it had expired.)
 */
export async function countRateLimitHit(db: Db, key: string, now: number, windowMs: number): Promise<RateLimitCount> {
  const expired = sql<boolean>`rate_limit_hits.expires_at <= ${now}`
  const row = await db
    .insertInto('rate_limit_hits')
    .values({ key, window_start: now, hits: 1, expires_at: now + windowMs })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when ${expired} then 1 else rate_limit_hits.hits + 1 end`,
        window_start: sql<number>`case when ${expired} then ${now} else rate_limit_hits.window_start end`,
        expires_at: sql<number>`case when ${expired} then ${now + windowMs} else rate_limit_hits.expires_at end`,
      }),
    )
    .returning(['hits', 'expires_at'])
    .executeTakeFirstOrThrow()
  return { hits: Number(row.hits), expiresAt: Number(row.expires_at) }
}

/** Deletes the windows that ended at or before `now` (a later request would start them again anyway). */
export async function deleteExpiredRateLimitHits(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('rate_limit_hits').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
