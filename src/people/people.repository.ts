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
  const person = await db
    .selectFrom('people')
    .select(['id', 'name', 'email'])
    .where('id', '=', personId)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst()
  if (!person) return null
  const [grants, volunteer] = await Promise.all([
    db.selectFrom('role_grants').select(['role', 'library_service_id', 'branch_id']).where('person_id', '=', personId).execute(),
    db
      .selectFrom('volunteers')
      .select(['id', 'status', 'library_service_id'])
      .where('person_id', '=', personId)
      .executeTakeFirst(),
  ])
  return {
    personId: person.id,
    name: person.name,
    email: person.email,
    sessionIdHash,
    volunteer: volunteer
      ? { id: volunteer.id, status: volunteer.status, libraryServiceId: volunteer.library_service_id }
      : null,
    grants: grants.map(
      (g): Grant => ({ role: g.role, libraryServiceId: g.library_service_id, branchId: g.branch_id }),
    ),
  }
}
