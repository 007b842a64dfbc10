// What `npm run bench:web` reads from a database after its runs (SQLite or PostgreSQL): the places it booked and the emails queued.
import SqliteDatabase from 'better-sqlite3'
import type { Db } from '../db/connect.js'

export async function bookedAndQueued(db: Db): Promise<{ invites: number; queued: number }> {
  const invites = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'invite').executeTakeFirstOrThrow()
  const queued = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return { invites: Number(invites.n), queued: Number(queued.n) }
}

/** The run's login sessions, copied from one SQLite file into another (the 4× dataset holds the 1× people under the same ids). */
export function copyLoginSessions(fromFile: string, toFile: string): number {
  const db = new SqliteDatabase(toFile)
  try {
    db.prepare('attach database ? as source').run(fromFile)
    const { changes } = db.prepare('insert into login_sessions select * from source.login_sessions').run()
    db.prepare('detach database source').run()
    return changes
  } finally {
    db.close()
  }
}
