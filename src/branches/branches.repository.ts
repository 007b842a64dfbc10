// SQL for branches and library services, including "the branches this coordinator looks after".
import type { Db, Tx } from '../db/connect.js'
import type { Branch } from '../db/schema.js'
import { singleBranchIds, wholeServiceIds, type SignedInUser } from '../auth/access.js'

export async function findBranch(db: Db | Tx, id: number): Promise<Branch | null> {
  return (await db.selectFrom('branches').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
}

/** The branches a coordinator or admin may work with, by name. */
export async function branchesInScope(db: Db, user: SignedInUser): Promise<Branch[]> {
  const services = wholeServiceIds(user)
  const branches = singleBranchIds(user)
  if (services.length === 0 && branches.length === 0) return []
  return db
    .selectFrom('branches')
    .selectAll()
    .where((eb) => {
      const ors = []
      if (services.length) ors.push(eb('library_service_id', 'in', services))
      if (branches.length) ors.push(eb('id', 'in', branches))
      return eb.or(ors)
    })
    .where('active', '=', 1)
    .orderBy('name')
    .execute()
}

export async function activeBranchesByService(db: Db): Promise<Array<Branch & { library_service_name: string }>> {
  return db
    .selectFrom('branches')
    .innerJoin('library_services', 'library_services.id', 'branches.library_service_id')
    .selectAll('branches')
    .select('library_services.name as library_service_name')
    .where('branches.active', '=', 1)
    .orderBy('library_services.name')
    .orderBy('branches.name')
    .execute()
}
