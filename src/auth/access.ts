// Who is signed in and what they may touch: roles scoped to a library service or a branch, checked for every object.
import type { Locale } from '../i18n/i18n.js'
import type { Role, VolunteerStatus } from '../db/schema.js'
import { ForbiddenError } from '../errors.js'

export interface Grant {
  readonly role: Role
  readonly libraryServiceId: number
  /** null: the whole library service. */
  readonly branchId: number | null
}

export interface SignedInUser {
  readonly personId: number
  readonly name: string
  readonly email: string
  /** The language they chose on their profile, or null (src/i18n/i18n.ts chooses). */
  readonly language: Locale | null
  /** Their library service's default language (volunteers), or null. */
  readonly serviceLanguage: Locale | null
  readonly sessionIdHash: string
  readonly volunteer: { readonly id: number; readonly status: VolunteerStatus; readonly libraryServiceId: number } | null
  readonly grants: readonly Grant[]
}

export function isVolunteer(user: SignedInUser | null | undefined): boolean {
  return !!user?.volunteer
}

/**
 * The grants that let someone coordinate: coordinator and admin ones. A partner grant (read-only
 * figures for the network view) never does, so every coordination check starts from these.
 */
export function coordinatingGrants(user: SignedInUser): readonly Grant[] {
  return user.grants.filter((g) => g.role === 'coordinator' || g.role === 'admin')
}

/** Coordinators and admins (an admin can do what a coordinator does in their library service). */
export function isCoordinator(user: SignedInUser | null | undefined): boolean {
  return !!user && coordinatingGrants(user).length > 0
}

/** Partners: read-only, aggregated figures of the library services they were granted (the network view). */
export function isPartner(user: SignedInUser | null | undefined): boolean {
  return !!user && user.grants.some((g) => g.role === 'partner')
}

/** The library services whose figures this partner may see. */
export function partnerServiceIds(user: SignedInUser): number[] {
  return [...new Set(user.grants.filter((g) => g.role === 'partner').map((g) => g.libraryServiceId))]
}

export function isAdmin(user: SignedInUser | null | undefined): boolean {
  return !!user && user.grants.some((g) => g.role === 'admin')
}

/** May this person coordinate this branch (of this library service)? */
export function canCoordinateBranch(user: SignedInUser, branch: { id: number; library_service_id: number }): boolean {
  return coordinatingGrants(user).some(
    (g) => g.libraryServiceId === branch.library_service_id && (g.branchId === null || g.branchId === branch.id),
  )
}

export function assertCanCoordinateBranch(user: SignedInUser, branch: { id: number; library_service_id: number }): void {
  if (!canCoordinateBranch(user, branch)) throw new ForbiddenError({ key: 'auth.refusal.notYourBranch' })
}

/** Library services where this person coordinates every branch (or administers). */
export function wholeServiceIds(user: SignedInUser): number[] {
  return [...new Set(coordinatingGrants(user).filter((g) => g.branchId === null).map((g) => g.libraryServiceId))]
}

/** Single branches granted outside the whole-service grants. */
export function singleBranchIds(user: SignedInUser): number[] {
  const whole = new Set(wholeServiceIds(user))
  return [...new Set(coordinatingGrants(user).filter((g) => g.branchId !== null && !whole.has(g.libraryServiceId)).map((g) => g.branchId!))]
}

export function adminServiceIds(user: SignedInUser): number[] {
  return [...new Set(user.grants.filter((g) => g.role === 'admin').map((g) => g.libraryServiceId))]
}

export function assertAdminOf(user: SignedInUser, libraryServiceId: number): void {
  if (!adminServiceIds(user).includes(libraryServiceId)) throw new ForbiddenError({ key: 'auth.refusal.notYourService' })
}
