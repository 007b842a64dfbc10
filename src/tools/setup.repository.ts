// SQL for creating a library service from a file: the service, its branches, skills, trainings, people and role grants.
import type { Insertable } from 'kysely'
import type { Tx } from '../db/connect.js'
import type { BranchesTable, LibraryServicesTable, RoleGrantsTable, SkillsTable, TrainingKindsTable } from '../db/schema.js'

export async function serviceNameOrSlugTaken(tx: Tx, name: string, slug: string): Promise<boolean> {
  const row = await tx.selectFrom('library_services').select('id').where((eb) => eb.or([eb('name', '=', name), eb('slug', '=', slug)])).executeTakeFirst()
  return !!row
}

export async function insertLibraryService(tx: Tx, values: Insertable<LibraryServicesTable>): Promise<number> {
  return (await tx.insertInto('library_services').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertBranch(tx: Tx, values: Insertable<BranchesTable>): Promise<number> {
  return (await tx.insertInto('branches').values(values).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertSkill(tx: Tx, values: Insertable<SkillsTable>): Promise<void> {
  await tx.insertInto('skills').values(values).execute()
}

export async function insertTrainingKind(tx: Tx, values: Insertable<TrainingKindsTable>): Promise<void> {
  await tx.insertInto('training_kinds').values(values).execute()
}

/** A person with no phone number yet (they add it on their profile). */
export async function insertPerson(tx: Tx, values: { email: string; name: string; created_at: number }): Promise<number> {
  return (await tx.insertInto('people').values({ ...values, phone: null, anonymised_at: null }).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertRoleGrant(tx: Tx, values: Insertable<RoleGrantsTable>): Promise<void> {
  await tx.insertInto('role_grants').values(values).execute()
}
