// SQL for people, their role grants and their volunteer record: what a signed-in user is.
import type { Db, Tx } from '../db/connect.js'
import type { Grant, SignedInUser } from '../auth/access.js'

export async function findPersonIdByEmail(db: Db | Tx, email: string): Promise<number | null> {
  const row = await db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst()
  return row?.id ?? null
}

export async function loadSignedInUser(db: Db, personId: number, sessionIdHash: string): Promise<SignedInUser | null> {
  // On every signed-in request: the person and their volunteer record in one read, then their grants.
  const person = await db
    .selectFrom('people')
    .leftJoin('volunteers', 'volunteers.person_id', 'people.id')
    .select(['people.id', 'people.name', 'people.email', 'volunteers.id as volunteer_id', 'volunteers.status', 'volunteers.library_service_id'])
    .where('people.id', '=', personId)
    .where('people.anonymised_at', 'is', null)
    .executeTakeFirst()
  if (!person) return null
  const grants = await db.selectFrom('role_grants').select(['role', 'library_service_id', 'branch_id']).where('person_id', '=', personId).execute()
  return {
    personId: person.id,
    name: person.name,
    email: person.email,
    sessionIdHash,
    volunteer:
      person.volunteer_id !== null && person.status !== null && person.library_service_id !== null
        ? { id: person.volunteer_id, status: person.status, libraryServiceId: person.library_service_id }
        : null,
    grants: grants.map(
      (g): Grant => ({ role: g.role, libraryServiceId: g.library_service_id, branchId: g.branch_id }),
    ),
  }
}
