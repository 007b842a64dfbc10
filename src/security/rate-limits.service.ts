// Rate-limit counts shared by every instance (issue 15): @fastify/rate-limit's store, backed by the rate_limit_hits table.
//
// Why a PostgreSQL table and not Redis through the plugin's RedisStore: the database is already shared
// by every instance and transactional, so one upsert (rate-limits.repository.ts) counts atomically with
// no new service to run, secure, monitor and back up. The cost is one round trip per request on the
// few limited routes (sign-in, apply, invitation answers), which already write to the database.
import type { Clock } from '../clock.js'
import type { Db } from '../db/connect.js'
import type { AppContext } from '../context.js'
import { countRateLimitHit, deleteExpiredRateLimitHits } from './rate-limits.repository.js'

/** What @fastify/rate-limit 10 calls on a store (its index.js; the .d.ts leaves out incr's last two arguments). */
export interface RateLimitStore {
  incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void
  /** Called once per route with a `config.rateLimit`: the route's own counts. */
  child(routeOptions: { routeInfo?: { method?: string | string[]; url?: string } }): RateLimitStore
}

/** The plugin's `store` option is a class it constructs itself (with its own options, unused here). */
export type RateLimitStoreClass = new (options: unknown) => RateLimitStore

export interface SharedStoreOptions {
  db: Db
  clock: Clock
  /** The store could not count (the database did not answer): the request went through uncounted. */
  onError(err: unknown): void
}

/**
 * A store class whose counts live in PostgreSQL, keyed by route and client key, so N instances allow
 * the limit once and not N times. Not supported (no route here uses them): continueExceeding and
 * exponentialBackoff; a window is fixed from its first request, as in the in-process store.
 */
export function sharedRateLimitStore(options: SharedStoreOptions): RateLimitStoreClass {
  const { db, clock, onError } = options

  class SharedRateLimitStore implements RateLimitStore {
    readonly #prefix: string
    constructor(_pluginOptions: unknown, prefix = '') {
      this.#prefix = prefix
    }

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = clock.now()
      countRateLimitHit(db, this.#prefix + key, now, timeWindow).then(
        ({ hits, expiresAt }) => callback(null, { current: hits, ttl: Math.max(0, expiresAt - now) }),
        (err: unknown) => {
          // Fails open: the request is let through uncounted, and the operator hears of it. The limited
          // routes (sign-in, apply, invitation answers) all need the database themselves, so while it is
          // down they answer 503 "try again" anyway; failing closed would add nothing but a misleading
          // "Too many attempts" to people who tried once, and a slow count must not lock everyone out.
          onError(err)
          callback(null, { current: 0, ttl: timeWindow })
        },
      )
    }

    child(routeOptions: { routeInfo?: { method?: string | string[]; url?: string } }): RateLimitStore {
      const route = routeOptions.routeInfo ?? {}
      const method = Array.isArray(route.method) ? route.method.join(',') : (route.method ?? '')
      return new SharedRateLimitStore(undefined, `${this.#prefix}${method} ${route.url ?? ''} `)
    }
  }
  return SharedRateLimitStore
}

/** The scheduled purge: windows that have ended are deleted (a later request would start them again anyway). */
export async function purgeExpiredRateLimitHits(ctx: AppContext): Promise<void> {
  await deleteExpiredRateLimitHits(ctx.db, ctx.clock.now())
}
