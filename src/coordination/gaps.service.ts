// The gap board: for a coordinator's branches and a range of weeks, the sessions below their minimum (soonest first), counts per branch and week, and those with room for more.
import { DateTime } from 'luxon'
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import type { Branch } from '../db/schema.js'
import { ForbiddenError } from '../errors.js'
import { addDays, localDatesSpan, todayForZones } from '../time/wall-clock.js'
import { mondayOf } from '../time/weekdays.js'
import { scopeOf } from './scope.js'
import { parseId, parseSaneDate } from '../forms/fields.js'
import * as repo from './sessions.repository.js'
import * as cover from '../bookings/cover.repository.js'
import { LANG_TAGS, type Locale } from '../i18n/i18n.js'

export const WEEK_CHOICES = [1, 2, 4, 6, 8, 12] as const

export interface RangeFilters {
  /** null: all the coordinator's branches. */
  branch: number | null
  from: string
  weeks: number
}

/** Filters from a query string, with the defaults: all branches, from today, 4 weeks. Bad values fall back quietly. */
export function parseRange(query: Record<string, string>, today: string): RangeFilters {
  const branch = parseId(query.branch)
  const from = parseSaneDate(query.from)
  const weeks = Number(query.weeks)
  return {
    branch,
    from: from && from >= addDays(today, -366) ? from : today,
    weeks: (WEEK_CHOICES as readonly number[]).includes(weeks) ? weeks : 4,
  }
}

export function queryString(f: RangeFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  if (f.branch !== null) params.set('branch', String(f.branch))
  params.set('from', f.from)
  params.set('weeks', String(f.weeks))
  for (const [k, v] of Object.entries(extra)) params.set(k, v)
  return params.toString()
}

export interface GapSession extends repo.ListedSession {
  short: number
  room: number
}

export interface GapBoard {
  filters: RangeFilters
  branches: Branch[]
  until: string
  below: GapSession[]
  room: GapSession[]
  weeks: Array<{ monday: string; label: string }>
  counts: Array<{ branchId: number; name: string; cells: Array<{ sessions: number; places: number }>; sessions: number; places: number }>
  totals: Array<{ sessions: number; places: number }>
  shortSessions: number
  shortPlaces: number
  /** Sessions where a booked volunteer has asked for someone to take their place, and nobody has yet. */
  cover: Array<GapSession & { askerName: string; invited: number }>
}

/** The branches a filter covers, refusing a branch outside the coordinator's scope. */
export async function branchesFor(ctx: AppContext, user: SignedInUser, branch: number | null, locale: Locale = 'en'): Promise<{ all: Branch[]; chosen: Branch[] }> {
  const scope = await scopeOf(ctx, user, locale)
  if (branch === null) return { all: scope.branches, chosen: scope.branches }
  if (!scope.has(branch)) throw new ForbiddenError({ key: 'coordinator.refusal.notYourBranch' })
  return { all: scope.branches, chosen: scope.branches.filter((b) => b.id === branch) }
}


/** `locale` names the months of the week labels (the page puts "w/c" around them). */
export async function gapBoard(ctx: AppContext, user: SignedInUser, filters: RangeFilters, locale: Locale = 'en'): Promise<GapBoard> {
  const { all, chosen } = await branchesFor(ctx, user, filters.branch, locale)
  const now = ctx.clock.now()
  const until = addDays(filters.from, filters.weeks * 7 - 1)
  // The dates are each branch's own (its zone); the instants cover them in every zone chosen.
  const span = localDatesSpan(filters.from, until, chosen.map((b) => b.timezone))
  const sessions = (await repo.sessionsInRange(ctx.db, chosen.map((b) => b.id), Math.max(now, span.from), span.until, { now, scheduledOnly: true, locale }))
    .filter((s) => s.local_date >= filters.from && s.local_date <= until)
    .map((s) => ({
    ...s,
    short: Math.max(0, s.min_volunteers - s.confirmed_count),
    room: Math.max(0, s.max_volunteers - s.confirmed_count),
  }))
  const firstMonday = mondayOf(filters.from)
  const weeks: GapBoard['weeks'] = []
  for (let m = firstMonday; m <= until; m = addDays(m, 7)) {
    weeks.push({ monday: m, label: DateTime.fromISO(m, { zone: 'UTC' }).setLocale(LANG_TAGS[locale]).toFormat('d MMM') })
  }
  const weekIndex = (date: string) => Math.round((Date.parse(mondayOf(date)) - Date.parse(firstMonday)) / (7 * 86_400_000))
  const below = sessions.filter((s) => s.short > 0)
  const counts = chosen.map((b) => {
    const cells = weeks.map(() => ({ sessions: 0, places: 0 }))
    for (const s of below.filter((x) => x.branch_id === b.id)) {
      const cell = cells[weekIndex(s.local_date)]
      if (!cell) continue
      cell.sessions++
      cell.places += s.short
    }
    return { branchId: b.id, name: b.name, cells, sessions: cells.reduce((n, c) => n + c.sessions, 0), places: cells.reduce((n, c) => n + c.places, 0) }
  })
  const requests = await cover.openRequestsForSessions(ctx.db, sessions.map((s) => s.id))
  const byId = new Map(sessions.map((s) => [s.id, s]))
  const covers = requests.flatMap((r) => {
    const s = byId.get(r.session_id)
    return s ? [{ ...s, askerName: r.asker_name, invited: r.invited }] : []
  })
  const totals = weeks.map((_, i) => ({ sessions: counts.reduce((n, c) => n + c.cells[i]!.sessions, 0), places: counts.reduce((n, c) => n + c.cells[i]!.places, 0) }))
  return {
    filters,
    branches: all,
    until,
    below,
    room: sessions.filter((s) => s.short === 0 && s.room > 0),
    weeks,
    counts,
    totals,
    shortSessions: below.length,
    shortPlaces: below.reduce((n, s) => n + s.short, 0),
    cover: covers.sort((a, b) => a.starts_at - b.starts_at),
  }
}

/** Today for this coordinator's branches, each in its own zone (the earliest of their dates): where ranges start by default. */
export async function todayHere(ctx: AppContext, user: SignedInUser): Promise<string> {
  const scope = await scopeOf(ctx, user)
  return todayForZones(ctx.clock.now(), scope.branches.map((b) => b.timezone))
}

/** All sessions (scheduled and cancelled) in the range, for the sessions list; `locale` names the branches. */
export async function sessionList(ctx: AppContext, user: SignedInUser, filters: RangeFilters, locale: Locale = 'en') {
  const { all, chosen } = await branchesFor(ctx, user, filters.branch, locale)
  const until = addDays(filters.from, filters.weeks * 7 - 1)
  const span = localDatesSpan(filters.from, until, chosen.map((b) => b.timezone))
  const sessions = (await repo.sessionsInRange(ctx.db, chosen.map((b) => b.id), span.from, span.until, { now: ctx.clock.now(), limit: 1000, locale })).filter(
    (s) => s.local_date >= filters.from && s.local_date <= until,
  )
  return { filters, branches: all, until, sessions }
}
