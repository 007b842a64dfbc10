// What a coordinator may touch: the branches they look after, and the sessions and volunteers of those branches. Checked for every object.
import type { AppContext } from '../context.js'
import type { Db, Tx } from '../db/connect.js'
import type { Branch } from '../db/schema.js'
import { canCoordinateBranch, singleBranchIds, wholeServiceIds, type SignedInUser } from '../auth/access.js'
import { branchesInScope } from '../branches/branches.repository.js'
import { ForbiddenError, NotFoundError } from '../errors.js'

export interface Scope {
  branches: Branch[]
  branchIds: number[]
  serviceIds: number[]
  has(branchId: number): boolean
}

export async function scopeOf(ctx: AppContext, user: SignedInUser): Promise<Scope> {
  const branches = await branchesInScope(ctx.db, user)
  const ids = new Set(branches.map((b) => b.id))
  return {
    branches,
    branchIds: [...ids],
    serviceIds: [...new Set(branches.map((b) => b.library_service_id))],
    has: (branchId) => ids.has(branchId),
  }
}

/** The branch, if this person coordinates it; otherwise a refusal that says so. */
export async function branchInScope(db: Db | Tx, user: SignedInUser, branchId: number): Promise<Branch> {
  const branch = await db.selectFrom('branches').selectAll().where('id', '=', branchId).executeTakeFirst()
  if (!branch) throw new NotFoundError('There is no such branch')
  if (!canCoordinateBranch(user, branch)) throw new ForbiddenError('You do not coordinate this branch')
  return branch
}

/** A session's branch must be one this person coordinates. */
export async function assertSessionInScope(db: Db | Tx, user: SignedInUser, sessionId: number): Promise<{ branch: Branch }> {
  const row = await db.selectFrom('sessions').select('branch_id').where('id', '=', sessionId).executeTakeFirst()
  if (!row) throw new NotFoundError('There is no such session')
  return { branch: await branchInScope(db, user, row.branch_id) }
}

/**
 * A volunteer is in scope when the person coordinates their whole library service, or one of
 * the branches the volunteer goes to.
 */
export async function volunteerInScope(db: Db | Tx, user: SignedInUser, volunteerId: number): Promise<boolean> {
  const v = await db.selectFrom('volunteers').select(['id', 'library_service_id']).where('id', '=', volunteerId).executeTakeFirst()
  if (!v) return false
  if (wholeServiceIds(user).includes(v.library_service_id)) return true
  const mine = singleBranchIds(user)
  if (mine.length === 0) return false
  const hit = await db.selectFrom('volunteer_branches').select('branch_id').where('volunteer_id', '=', volunteerId).where('branch_id', 'in', mine).executeTakeFirst()
  return !!hit
}

export async function assertVolunteerInScope(db: Db | Tx, user: SignedInUser, volunteerId: number): Promise<void> {
  const exists = await db.selectFrom('volunteers').select('id').where('id', '=', volunteerId).executeTakeFirst()
  if (!exists) throw new NotFoundError('There is no such volunteer')
  if (!(await volunteerInScope(db, user, volunteerId))) throw new ForbiddenError('This volunteer does not go to a branch you coordinate')
}
