// What each role sees first: a volunteer's upcoming sessions, a coordinator's week, an admin's branches and coordinators.
import { DateTime } from 'luxon'
import type { AppContext } from '../context.js'
import { adminServiceIds, type SignedInUser } from '../auth/access.js'
import { branchesInScope } from '../branches/branches.repository.js'
import * as repo from './dashboard.repository.js'
import { setupStatus } from '../volunteers/profile.service.js'

export async function volunteerHome(ctx: AppContext, user: SignedInUser) {
  const now = ctx.clock.now()
  const upcoming = user.volunteer
    ? await repo.upcomingSessionsOfVolunteer(ctx.db, user.volunteer.id, now, now + 42 * 24 * 3600_000)
    : []
  const setupNeeded = user.volunteer ? await setupStatus(ctx, user) : []
  return { status: user.volunteer?.status ?? null, upcoming, setupNeeded }
}

export async function coordinatorHome(ctx: AppContext, user: SignedInUser) {
  const now = ctx.clock.now()
  const branches = await branchesInScope(ctx.db, user)
  // "This week": Monday to Sunday in the UK, where the services run.
  const monday = DateTime.fromMillis(now, { zone: 'Europe/London' }).startOf('week')
  const sessions = await repo.sessionsOfBranches(
    ctx.db,
    branches.map((b) => b.id),
    monday.toMillis(),
    monday.plus({ weeks: 1 }).toMillis(),
  )
  return {
    weekLabel: `${monday.toFormat('d MMMM')} to ${monday.plus({ days: 6 }).toFormat('d MMMM yyyy')}`,
    branches: branches.map((b) => ({ id: b.id, name: b.name, sessions: sessions.filter((s) => s.branch_id === b.id) })),
  }
}

export async function adminHome(ctx: AppContext, user: SignedInUser) {
  const services = adminServiceIds(user)
  const branches = (await branchesInScope(ctx.db, user)).filter((b) => services.includes(b.library_service_id))
  return {
    branches: branches.map((b) => ({ id: b.id, name: b.name, address: b.address, postcode: b.postcode })),
    coordinators: await repo.coordinatorsOfServices(ctx.db, services),
  }
}
