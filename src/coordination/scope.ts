// What a coordinator may touch: the branches they look after, and the sessions and volunteers of those branches. Checked for every object.
import type { AppContext } from '../context.js'
import type { Db, Tx } from '../db/connect.js'
import type { Branch } from '../db/schema.js'
import { canCoordinateBranch, singleBranchIds, wholeServiceIds, type SignedInUser } from '../auth/access.js'
import { branchesInScope, findBranch } from '../branches/branches.repository.js'
import { branchIdOfSession, serviceOfVolunteer, volunteerGoesToAnyOf } from './scope.repository.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import type { Locale } from '../i18n/i18n.js'
import { allWithLocalNames } from '../i18n/names.js'

export interface Scope {
  branches: Branch[]
  branchIds: number[]
  serviceIds: number[]
  has(branchId: number): boolean
}

/** `locale`: the language the branches are named in (an admin's Welsh names on a Welsh page, src/i18n/names.ts). */
export async function scopeOf(ctx: AppContext, user: SignedInUser, locale: Locale = 'en'): Promise<Scope> {
  const branches = allWithLocalNames(await branchesInScope(ctx.db, user), locale)
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
  const branch = await findBranch(db, branchId)
  if (!branch) throw new NotFoundError({ key: 'coordinator.refusal.noBranch' })
  if (!canCoordinateBranch(user, branch)) throw new ForbiddenError({ key: 'coordinator.refusal.notYourBranch' })
  return branch
}

/** A session's branch must be one this person coordinates. */
export async function assertSessionInScope(db: Db | Tx, user: SignedInUser, sessionId: number): Promise<{ branch: Branch }> {
  const branchId = await branchIdOfSession(db, sessionId)
  if (branchId === null) throw new NotFoundError({ key: 'coordinator.refusal.noSession' })
  return { branch: await branchInScope(db, user, branchId) }
}

/**
 * A volunteer is in scope when the person coordinates their whole library service, or one of
 * the branches the volunteer goes to.
 */
export async function volunteerInScope(db: Db | Tx, user: SignedInUser, volunteerId: number): Promise<boolean> {
  const serviceId = await serviceOfVolunteer(db, volunteerId)
  if (serviceId === null) return false
  if (wholeServiceIds(user).includes(serviceId)) return true
  const mine = singleBranchIds(user)
  if (mine.length === 0) return false
  return volunteerGoesToAnyOf(db, volunteerId, mine)
}

export async function assertVolunteerInScope(db: Db | Tx, user: SignedInUser, volunteerId: number): Promise<void> {
  if ((await serviceOfVolunteer(db, volunteerId)) === null) throw new NotFoundError({ key: 'coordinator.refusal.noVolunteer' })
  if (!(await volunteerInScope(db, user, volunteerId))) throw new ForbiddenError({ key: 'coordinator.refusal.volunteerNotInScope' })
}
