// SQL behind the mail benchmark's feed request (src/bench/mail.ts): one volunteer with many confirmed places, on a throwaway SQLite file.
import type { Insertable } from 'kysely'
import type { Tx } from '../db/connect.js'
import type { SessionsTable } from '../db/schema.js'

/** A library service with one branch and one active volunteer homed there. */
export async function insertServiceWithVolunteer(
  tx: Tx,
  names: { service: string; slug: string; branch: string; email: string; person: string },
): Promise<{ branchId: number; personId: number; volunteerId: number }> {
  const ls = await tx.insertInto('library_services').values({ name: names.service, slug: names.slug, created_at: 0 }).returning('id').executeTakeFirstOrThrow()
  const branch = await tx.insertInto('branches').values({ library_service_id: ls.id, name: names.branch, created_at: 0 }).returning('id').executeTakeFirstOrThrow()
  const person = await tx.insertInto('people').values({ email: names.email, name: names.person, phone: null, created_at: 0, anonymised_at: null }).returning('id').executeTakeFirstOrThrow()
  const volunteer = await tx
    .insertInto('volunteers')
    .values({ person_id: person.id, library_service_id: ls.id, status: 'active', home_branch_id: branch.id, applied_at: 0, approved_at: 0, updated_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { branchId: branch.id, personId: person.id, volunteerId: volunteer.id }
}

/** The session, with the volunteer confirmed on it (the caller's `confirmed_count` counts that place). */
export async function insertConfirmedSession(tx: Tx, session: Insertable<SessionsTable>, volunteerId: number): Promise<void> {
  const row = await tx.insertInto('sessions').values(session).returning('id').executeTakeFirstOrThrow()
  await tx.insertInto('assignments').values({ session_id: row.id, volunteer_id: volunteerId, state: 'confirmed', source: 'self', ical_sequence: 1, confirmed_at: 0, created_at: 0, updated_at: 0 }).execute()
}
