// SQL for applying to volunteer: the branches one may choose, and the new person and volunteer records.
import type { Tx } from '../db/connect.js'

/** Those of these branches that are active, with their library service. */
export async function activeBranchesAmong(tx: Tx, branchIds: readonly number[]) {
  return tx.selectFrom('branches').select(['id', 'library_service_id']).where('id', 'in', branchIds).where('active', '=', 1).execute()
}

/** A new person who has applied: their person row, an "applied" volunteer record and the branches they chose (the first is home). */
export async function insertApplicant(
  tx: Tx,
  /** `language`: a language they chose in the header before applying, kept as their choice (null: their service's default). */
  input: { name: string; email: string; phone: string | null; libraryServiceId: number; branchIds: readonly number[]; now: number; language: string | null },
): Promise<{ personId: number; volunteerId: number }> {
  const person = await tx
    .insertInto('people')
    .values({ email: input.email, name: input.name, phone: input.phone, created_at: input.now, anonymised_at: null, language: input.language })
    .returning('id')
    .executeTakeFirstOrThrow()
  const volunteer = await tx
    .insertInto('volunteers')
    .values({
      person_id: person.id,
      library_service_id: input.libraryServiceId,
      status: 'applied',
      home_branch_id: input.branchIds[0]!,
      applied_at: input.now,
      approved_at: null,
      updated_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await tx
    .insertInto('volunteer_branches')
    .values(input.branchIds.map((branchId) => ({ volunteer_id: volunteer.id, branch_id: branchId })))
    .execute()
  return { personId: person.id, volunteerId: volunteer.id }
}
