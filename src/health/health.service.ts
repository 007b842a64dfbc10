// Whether the service can answer: the database replies within a bound (a hung pool must not hang the monitor too).
import type { Db } from '../db/connect.js'
import { pingDatabase } from './health.repository.js'

/** Resolves when the database answers within `timeoutMs`; rejects with the reason otherwise. */
export async function checkDatabase(db: Db, timeoutMs = 2000): Promise<void> {
  await Promise.race([
    pingDatabase(db),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`database did not answer in ${timeoutMs / 1000} s`)), timeoutMs).unref()),
  ])
}
