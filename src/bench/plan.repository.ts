// SQL behind the web benchmark's plan (src/bench/plan.ts) and its checks after the run: who may sign in, their services, and the invariants.
//
// Only the benchmark calls these, on its own copy of the national dataset; the app never does.
import type { Db } from '../db/connect.js'
import { PLACE_STATES } from '../assignments/transitions.js'

/** Rows per multi-row INSERT of login sessions: 500 × 5 columns stays well under SQLite's 32,766 parameters. */
const LOGIN_CHUNK = 500

/** Active volunteers who have said when they are free (the others could book nothing), in id order. */
export async function activeVolunteersWithAvailability(db: Db): Promise<Array<{ id: number; person_id: number }>> {
  return db
    .selectFrom('volunteers')
    .select(['id', 'person_id'])
    .where('status', '=', 'active')
    .where((eb) => eb.exists(eb.selectFrom('availability_windows').select('id').whereRef('availability_windows.volunteer_id', '=', 'volunteers.id')))
    .orderBy('id')
    .execute()
}

/** Writes the login sessions in chunks, as the emailed sign-in link would one at a time. */
export async function insertLoginSessions(db: Db, rows: ReadonlyArray<{ idHash: string; personId: number }>, now: number, expiresAt: number): Promise<void> {
  for (let i = 0; i < rows.length; i += LOGIN_CHUNK) {
    await db
      .insertInto('login_sessions')
      .values(rows.slice(i, i + LOGIN_CHUNK).map((r) => ({ id_hash: r.idHash, person_id: r.personId, created_at: now, last_seen_at: now, expires_at: expiresAt })))
      .execute()
  }
}

/** Each volunteer's library service, by volunteer id. */
export async function serviceOfVolunteers(db: Db, volunteerIds: readonly number[]): Promise<Map<number, number>> {
  const rows = await db.selectFrom('volunteers').select(['id', 'library_service_id']).where('id', 'in', volunteerIds).execute()
  return new Map(rows.map((r) => [r.id, r.library_service_id]))
}

/** What must still hold after the bookings: no session above its maximum, counts in step with the places, nobody in two places at once. */
export async function invariants(db: Db): Promise<{ over: number; mismatched: number; overlapping: number }> {
  const over = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).whereRef('confirmed_count', '>', 'max_volunteers').executeTakeFirstOrThrow()
  const mismatched = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb(
        'confirmed_count',
        '!=',
        eb.selectFrom('assignments').select((e) => e.fn.countAll<number>().as('c')).whereRef('assignments.session_id', '=', 'sessions.id').where('assignments.state', 'in', PLACE_STATES),
      ),
    )
    .executeTakeFirstOrThrow()
  const overlapping = await db
    .selectFrom('assignments as a')
    .innerJoin('sessions as s', 's.id', 'a.session_id')
    .innerJoin('assignments as b', (j) => j.onRef('b.volunteer_id', '=', 'a.volunteer_id').onRef('b.id', '>', 'a.id'))
    .innerJoin('sessions as t', 't.id', 'b.session_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.state', '=', 'confirmed')
    .where('b.state', '=', 'confirmed')
    .whereRef('s.starts_at', '<', 't.ends_at')
    .whereRef('t.starts_at', '<', 's.ends_at')
    .executeTakeFirstOrThrow()
  return { over: Number(over.n), mismatched: Number(mismatched.n), overlapping: Number(overlapping.n) }
}

/** How many emails the run queued, and how many of them are invitations (one a new booking). */
export async function outboxCounts(db: Db): Promise<{ invites: number; queued: number }> {
  const invites = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'invite').executeTakeFirstOrThrow()
  const queued = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return { invites: Number(invites.n), queued: Number(queued.n) }
}
