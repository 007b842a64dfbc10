// Finding sessions that suit a volunteer: their branches over the booking window, the rules applied, hidden ones counted by reason.
//
// Finding is advisory (it reads, then shows); booking decides again against the database's state
// inside places.service.ts, so what a volunteer is shown can go stale but what they are given
// never breaks a rule.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import type { AssignmentState } from '../db/schema.js'
import { NotFoundError } from '../errors.js'
import { ADVICE_FOR_VOLUNTEERS, ALL_RULES, BOOKING_RULES, checkRules, type Names, type Rule, type SessionNeeds, type VolunteerProfile } from '../matching/eligibility.js'
import { commitmentsAmong, loadNameLists, loadProfiles, needsFromRows } from '../assignments/assignments.repository.js'
import { monthWindow } from '../assignments/places.service.js'
import { addDays, todayForZones } from '../time/wall-clock.js'
import { parseFilters, type FilterInput, type Filters, type ParsedFilters } from './find-filters.js'
import { describeSession, type SessionCard } from './session-card.js'
import { toVolunteer } from './volunteer-wording.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { volunteerOf } from './volunteer-scope.js'
import * as repo from './bookings.repository.js'

export const PAGE_SIZE = 20
/** Sessions considered per search before rules are applied: a volunteer's branches over the booking window. */
const CANDIDATE_LIMIT = 2000
const DAY_MS = 86_400_000

/** The month windows that cover [from, to], so the monthly cap counts every session of each month. */
function commitmentWindow(from: string, to: string): { from: number; until: number } {
  return { from: monthWindow(from).from, until: monthWindow(to).until }
}

/** Why sessions were left out, counted by the first rule each one fails. */
export type HiddenCounts = Partial<Record<Rule | 'full' | 'booked', number>>

export interface FindResult {
  status: string
  statusMessage: string | null
  cards: SessionCard[]
  total: number
  page: number
  pages: number
  hidden: HiddenCounts
  maxPerMonth: number
}

export interface FindPage extends ParsedFilters {
  branches: Array<{ id: number; name: string }>
  topics: Array<{ id: number; name: string; kind: string }>
  today: string
  lastBookable: string
  result: FindResult | null
  upcomingCount: number
}

export async function findSessions(ctx: AppContext, user: SignedInUser, input: FilterInput, locale: Locale = 'en'): Promise<FindPage> {
  const volunteer = volunteerOf(user)
  const now = ctx.clock.now()
  const service = await repo.libraryServiceOfVolunteer(ctx.db, volunteer.id)
  if (!service) throw new NotFoundError({ key: 'volunteer.refusal.noProfile' })
  // Names in the page's language (an admin's Welsh forms on a Welsh page), for the filters and the results.
  const lists = await loadNameLists(ctx.db, service.id, locale)
  // Today is the service's branches' own (the earliest of their dates), not London's.
  const today = todayForZones(now, lists.branches.map((b) => b.timezone))
  const lastBookable = addDays(today, service.booking_window_days)
  const window = commitmentWindow(today, lastBookable)
  // One read of their own assignments serves the profile's commitments, each result's state and the upcoming count.
  const own = await repo.ownAssignmentsSince(ctx.db, volunteer.id, Math.min(window.from, now))
  const profiles = await loadProfiles(ctx.db, [volunteer.id], window.from, window.until, new Map([[volunteer.id, commitmentsAmong(own, window.from, window.until)]]))
  const names = lists.names
  // The admin's list, as the profile offers it: topics first, then languages, in their order.
  const topics = lists.skills
    .filter((k) => k.active === 1)
    .sort((a, b) => (a.kind === b.kind ? a.sort_order - b.sort_order || a.name.localeCompare(b.name) : a.kind === 'topic' ? -1 : 1))
  const profile = profiles.get(volunteer.id)
  if (!profile) throw new NotFoundError({ key: 'volunteer.refusal.noProfile' })
  const branches = profile.branchIds.map((id) => ({ id, name: names.branch(id) })).sort((a, b) => a.name.localeCompare(b.name))
  const parsed = parseFilters(input, {
    today,
    bookingWindowDays: service.booking_window_days,
    branchIds: new Set(branches.map((b) => b.id)),
    topicIds: new Set(topics.map((t) => t.id)),
  }, locale === 'en' ? undefined : translator(locale))
  const page: FindPage = {
    ...parsed,
    branches,
    topics,
    today,
    lastBookable,
    result: null,
    upcomingCount: repo.countUpcoming(own, now),
  }
  if (parsed.errors.length) return page
  page.result = searchFor(ctx, profile, names, parsed.filters, now, await candidatesFor(ctx, profile, parsed.filters, now, own), locale)
  return page
}

interface Candidates {
  rows: repo.CandidateRow[]
  needs: Map<number, SessionNeeds>
  mine: Map<number, { id: number; state: AssignmentState }>
  positions: Map<number, number>
}

async function candidatesFor(ctx: AppContext, profile: VolunteerProfile, f: Filters, now: number, own: readonly repo.OwnAssignment[]): Promise<Candidates> {
  const branchIds = f.branchId === null ? profile.branchIds : profile.branchIds.filter((b) => b === f.branchId)
  const rows = await repo.candidateSessions(ctx.db, {
    branchIds,
    fromDate: f.from,
    toDate: f.to,
    after: Math.max(now, Date.parse(`${f.from}T00:00:00Z`) - DAY_MS),
    before: Date.parse(`${f.to}T00:00:00Z`) + 2 * DAY_MS,
    limit: CANDIDATE_LIMIT,
  })
  const ids = new Set(rows.map((r) => r.id))
  const mine = new Map<number, { id: number; state: AssignmentState }>()
  for (const a of own) if (ids.has(a.session_id)) mine.set(a.session_id, { id: a.id, state: a.state })
  const needs = await needsFromRows(ctx.db, rows)
  const waiting = [...mine.entries()].filter(([, a]) => a.state === 'waitlisted').map(([id]) => id)
  const positions = await repo.waitlistPositions(ctx.db, profile.id, waiting)
  return { rows, needs, mine, positions }
}

function searchFor(ctx: AppContext, profile: VolunteerProfile, names: Names, f: Filters, now: number, c: Candidates, locale: Locale): FindResult {
  const statusFailure = checkRules(profile, { ...emptyNeeds(), branchId: profile.branchIds[0] ?? 0 }, names, ['status'])[0]
  if (statusFailure) {
    return { status: profile.status, statusMessage: toVolunteer(statusFailure, locale), cards: [], total: 0, page: 1, pages: 1, hidden: {}, maxPerMonth: profile.maxPerMonth }
  }
  const rules = f.outside ? BOOKING_RULES : ALL_RULES
  const hidden: HiddenCounts = {}
  const shown: SessionCard[] = []
  for (const row of c.rows) {
    const needs = c.needs.get(row.id)
    if (!needs || row.starts_at <= now) continue
    if (f.topicId !== null && !needs.requiredSkillIds.includes(f.topicId) && !needs.preferredSkillIds.includes(f.topicId)) continue
    const mine = c.mine.get(row.id)
    // Booked ones live in My sessions; the list is for finding more.
    if (mine?.state === 'confirmed') {
      hidden.booked = (hidden.booked ?? 0) + 1
      continue
    }
    const holding = mine && ['waitlisted', 'invited'].includes(mine.state)
    const failures = holding ? [] : checkRules(profile, needs, names, rules)
    if (failures.length) {
      const rule = failures[0]!.rule
      hidden[rule] = (hidden[rule] ?? 0) + 1
      continue
    }
    if (!holding && needs.confirmed >= needs.max && !f.full) {
      hidden.full = (hidden.full ?? 0) + 1
      continue
    }
    // Outside the weekly times is allowed when asked for: say so on the card.
    const caveats = holding || !f.outside ? [] : checkRules(profile, needs, names, ADVICE_FOR_VOLUNTEERS)
    shown.push(describeSession({ row: { ...row, branch_name: names.branch(row.branch_id) }, needs, profile, names, mine, position: c.positions.get(row.id) ?? null, failures: caveats, locale }))
  }
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE))
  const page = Math.min(f.page, pages)
  return {
    status: profile.status,
    statusMessage: null,
    cards: shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    total: shown.length,
    page,
    pages,
    hidden,
    maxPerMonth: profile.maxPerMonth,
  }
}

function emptyNeeds(): SessionNeeds {
  return { id: 0, branchId: 0, seriesId: null, title: '', localDate: '2000-01-01', startTime: '00:00', endTime: '00:00', startsAt: 0, endsAt: 0, requiredSkillIds: [], preferredSkillIds: [], requiredTrainingIds: [], min: 0, max: 1, confirmed: 0 }
}
