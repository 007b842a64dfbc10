// What each role sees first: a volunteer's upcoming sessions, a coordinator's next 7 days, an admin's branches and coordinators.
import { DateTime } from 'luxon'
import type { AppContext } from '../context.js'
import { adminServiceIds, type SignedInUser } from '../auth/access.js'
import { branchesInScope } from '../branches/branches.repository.js'
import * as repo from './dashboard.repository.js'
import { setupStatus } from '../volunteers/profile.service.js'
import { addDays, todayIn } from '../time/wall-clock.js'
import { LANG_TAGS, translator, type Locale } from '../i18n/i18n.js'
import { allWithLocalNames } from '../i18n/names.js'

/** `locale`: the page's language, for the names of branches (src/i18n/names.ts); so for the others. */
export async function volunteerHome(ctx: AppContext, user: SignedInUser, locale: Locale = 'en') {
  const now = ctx.clock.now()
  const upcoming = user.volunteer
    ? allWithLocalNames(await repo.upcomingSessionsOfVolunteer(ctx.db, user.volunteer.id, now, now + 42 * 24 * 3600_000), locale)
    : []
  const setupNeeded = user.volunteer ? await setupStatus(ctx, user) : []
  return { status: user.volunteer?.status ?? null, upcoming, setupNeeded }
}

/** How many days, today included, the coordinator's first page looks ahead. */
const COMING_DAYS = 7
const DAY_MS = 24 * 3600_000

export async function coordinatorHome(ctx: AppContext, user: SignedInUser, locale: Locale = 'en') {
  const now = ctx.clock.now()
  const branches = allWithLocalNames(await branchesInScope(ctx.db, user), locale)
  // "The next 7 days": what is still to come today and the six days after. A Monday-to-Sunday week
  // showed, on a Sunday, a week nearly over, with "Needs 1 more" on sessions already held.
  // One query wide enough for any zone (a day either side covers UTC-12 to UTC+14); then each
  // branch keeps the sessions up to its own seventh day, as its local dates are in its own zone.
  const sessions = await repo.sessionsOfBranches(
    ctx.db,
    branches.map((b) => b.id),
    now,
    now + (COMING_DAYS + 1) * DAY_MS,
  )
  const lastDateIn = (zone: string) => addDays(todayIn(now, zone), COMING_DAYS - 1)
  // The label in the UK's time, where the services run (a branch elsewhere keeps its own days above).
  const today = DateTime.fromMillis(now, { zone: 'Europe/London' }).setLocale(LANG_TAGS[locale])
  const range = { start: today.toFormat('cccc d MMMM'), end: today.plus({ days: COMING_DAYS - 1 }).toFormat('cccc d MMMM yyyy') }
  return {
    days: COMING_DAYS,
    rangeLabel: translator(locale)('time.range', range),
    branches: branches.map((b) => {
      const lastDate = lastDateIn(b.timezone)
      return { id: b.id, name: b.name, sessions: sessions.filter((s) => s.branch_id === b.id && s.local_date <= lastDate) }
    }),
  }
}

export async function adminHome(ctx: AppContext, user: SignedInUser, locale: Locale = 'en') {
  const services = adminServiceIds(user)
  const branches = allWithLocalNames(await branchesInScope(ctx.db, user), locale).filter((b) => services.includes(b.library_service_id))
  return {
    branches: branches.map((b) => ({ id: b.id, name: b.name, address: b.address, postcode: b.postcode })),
    coordinators: onePerPerson(allWithLocalNames(await repo.coordinatorsOfServices(ctx.db, services), locale)),
  }
}

export interface PersonWithGrants {
  personId: number
  name: string
  email: string
  /** 'Admin', 'Coordinator' or 'Admin and coordinator'. */
  roles: string
  /** 'All branches', or the branches they look after, in name order. */
  covers: string
  /** The same in the catalogue's terms (admin.dashboard.*), for a page in either language. */
  roleKey: 'adminAndCoordinator' | 'admin' | 'coordinator'
  /** Whether they cover all branches; else `covers` lists the branches (names are data). */
  allBranches: boolean
}

/** A grant is a row; a person is one line, however many branches they look after. */
export function onePerPerson(rows: repo.CoordinatorRow[]): PersonWithGrants[] {
  const people = new Map<number, { name: string; email: string; roles: Set<string>; whole: boolean; branches: Set<string> }>()
  for (const r of rows) {
    const p = people.get(r.person_id) ?? { name: r.name, email: r.email, roles: new Set<string>(), whole: false, branches: new Set<string>() }
    p.roles.add(r.role)
    if (r.branch_name === null) p.whole = true
    else p.branches.add(r.branch_name)
    people.set(r.person_id, p)
  }
  return [...people.entries()].map(([personId, p]) => ({
    personId,
    name: p.name,
    email: p.email,
    roles: p.roles.has('admin') && p.roles.has('coordinator') ? 'Admin and coordinator' : p.roles.has('admin') ? 'Admin' : 'Coordinator',
    roleKey: p.roles.has('admin') && p.roles.has('coordinator') ? 'adminAndCoordinator' : p.roles.has('admin') ? 'admin' : 'coordinator',
    allBranches: p.whole,
    covers: p.whole ? 'All branches' : [...p.branches].sort((a, b) => a.localeCompare(b)).join(', '),
  }))
}
