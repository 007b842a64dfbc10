// A volunteer's own sessions: finding ones that suit them, booking, the waiting list, My sessions and withdrawing.
//
// Finding is advisory (it reads, then shows); booking decides again against the database's state
// inside places.service.ts, so what a volunteer is shown can go stale but what they are given
// never breaks a rule.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import type { AssignmentState, SessionKind } from '../db/schema.js'
import { inTransaction } from '../db/transaction.js'
import { ForbiddenError, NotFoundError, UserError, ValidationError, type FieldError } from '../errors.js'
import { audit } from '../audit/audit.repository.js'
import {
  ALL_RULES,
  BOOKING_RULES,
  checkRules,
  reasonsItFits,
  whatIsNeeded,
  type Names,
  type Rule,
  type RuleFailure,
  type SessionNeeds,
  type VolunteerProfile,
} from '../matching/eligibility.js'
import { commitmentsAmong, loadNameLists, loadNames, loadProfiles, lockVolunteer, needsFromRows } from '../assignments/assignments.repository.js'
import { joinWaitlist, monthWindow, releasePlaceInTx, takePlace, type TakePlaceInput, type TakePlaceResult } from '../assignments/places.service.js'
import { calendarFileFor, queueCoordinatorAlert } from '../notifications/notify.js'
import { addDays, isValidDate, todayForZones, todayIn } from '../time/wall-clock.js'
import { longDate, timeRange } from '../views/format.js'
import * as repo from './bookings.repository.js'

export const DEFAULT_WEEKS = 6
export const PAGE_SIZE = 20
/** Sessions considered per search before rules are applied: a volunteer's branches over the booking window. */
const CANDIDATE_LIMIT = 2000
const DAY_MS = 86_400_000

export const KIND_LABELS: Record<SessionKind, string> = {
  drop_in: 'Drop-in',
  one_to_one: 'Booked 1:1 appointments',
  group_class: 'Group class',
}

// ── Who is asking ───────────────────────────────────────────────────────────

function volunteerOf(user: SignedInUser): { id: number; libraryServiceId: number } {
  if (!user.volunteer) throw new ForbiddenError('This page is for volunteers')
  return user.volunteer
}

// ── Filters ─────────────────────────────────────────────────────────────────

export interface Filters {
  branchId: number | null
  from: string
  to: string
  topicId: number | null
  /** Also show sessions outside the volunteer's weekly availability. */
  outside: boolean
  /** Also show full sessions (to join their waiting list). */
  full: boolean
  page: number
}

export interface FilterInput {
  branch?: unknown
  from?: unknown
  to?: unknown
  topic?: unknown
  outside?: unknown
  full?: unknown
  page?: unknown
}

export interface ParsedFilters {
  filters: Filters
  errors: FieldError[]
  /** The end date was brought back to the furthest day that can be booked. */
  clamped: boolean
  /** The query string these filters stand for (for links and the pushed URL). */
  query: string
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}

function optionalId(value: unknown, allowed: ReadonlySet<number>): number | null | undefined {
  const v = text(value)
  if (v === '') return null
  if (!/^\d{1,9}$/.test(v) || !allowed.has(Number(v))) return undefined
  return Number(v)
}

/**
 * The "find sessions" filters from a query string, checked against the volunteer's own branches
 * and the service's topics. Defaults: the next 6 weeks, everywhere they go, any topic.
 */
export function parseFilters(input: FilterInput, context: { today: string; bookingWindowDays: number; branchIds: ReadonlySet<number>; topicIds: ReadonlySet<number> }): ParsedFilters {
  const errors: FieldError[] = []
  const lastBookable = addDays(context.today, context.bookingWindowDays)
  const branchId = optionalId(input.branch, context.branchIds)
  if (branchId === undefined) errors.push({ field: 'branch', message: 'Select a library from the list' })
  const topicId = optionalId(input.topic, context.topicIds)
  if (topicId === undefined) errors.push({ field: 'topic', message: 'Select a topic from the list' })

  let from = text(input.from)
  let to = text(input.to)
  if (from !== '' && !isValidDate(from)) errors.push({ field: 'from', message: 'Enter a real date for the first day, like 2026-12-01' })
  if (to !== '' && !isValidDate(to)) errors.push({ field: 'to', message: 'Enter a real date for the last day, like 2026-12-31' })
  if (from === '' || from < context.today) from = context.today
  if (to === '') to = addDays(from, DEFAULT_WEEKS * 7 - 1)
  let clamped = false
  if (!errors.some((e) => e.field === 'to' || e.field === 'from')) {
    if (to < from) errors.push({ field: 'to', message: 'The last day must be the same as or after the first day' })
    else if (to > lastBookable) {
      to = lastBookable
      clamped = true
    }
  }
  const pageText = text(input.page)
  const page = /^\d{1,4}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1
  const filters: Filters = {
    branchId: branchId ?? null,
    from,
    to,
    topicId: topicId ?? null,
    outside: text(input.outside) === '1',
    full: text(input.full) === '1',
    page,
  }
  return { filters, errors, clamped, query: filtersQuery(filters, context.today) }
}

/** Query string for filters, leaving out defaults, so links stay short and shareable. */
export function filtersQuery(f: Filters, today: string, page = f.page): string {
  const params = new URLSearchParams()
  if (f.branchId !== null) params.set('branch', String(f.branchId))
  if (f.from !== today) params.set('from', f.from)
  if (f.to !== addDays(f.from, DEFAULT_WEEKS * 7 - 1)) params.set('to', f.to)
  if (f.topicId !== null) params.set('topic', String(f.topicId))
  if (f.outside) params.set('outside', '1')
  if (f.full) params.set('full', '1')
  if (page > 1) params.set('page', String(page))
  const q = params.toString()
  return q ? `?${q}` : ''
}

// ── Describing one session for one volunteer ────────────────────────────────

export type CardState = 'open' | 'full' | 'booked' | 'waitlisted' | 'invited' | 'refused'

export interface SessionCard {
  id: number
  title: string
  kind: string
  branchName: string
  localDate: string
  startTime: string
  endTime: string
  needed: string
  confirmed: number
  max: number
  reasons: string[]
  /** Something to know before booking ("Thursday afternoons are not in your availability"). */
  caveats: string[]
  state: CardState
  position: number | null
  assignmentId: number | null
  /** A message about what just happened to this session (booked, refused…). */
  message: string | null
  /** Move keyboard focus here after an htmx swap. */
  focus: boolean
}

interface CardInput {
  row: { id: number; title: string; kind: SessionKind; branch_name: string; local_date: string; start_time: string; end_time: string }
  needs: SessionNeeds
  /** null: the reasons it fits are not wanted (a swap that only updates the state). */
  profile: VolunteerProfile | null
  names: Names
  mine: { id: number; state: AssignmentState } | undefined
  position: number | null
  failures: RuleFailure[]
}

export function describeSession(input: CardInput): SessionCard {
  const { row, needs, profile, names, mine } = input
  const full = needs.confirmed >= needs.max
  let state: CardState = full ? 'full' : 'open'
  if (mine?.state === 'confirmed') state = 'booked'
  else if (mine?.state === 'waitlisted') state = 'waitlisted'
  else if (mine?.state === 'invited') state = 'invited'
  else if (input.failures.some((f) => f.rule !== 'availability')) state = 'refused'
  return {
    id: row.id,
    title: row.title,
    kind: KIND_LABELS[row.kind] ?? row.kind,
    branchName: row.branch_name,
    localDate: row.local_date,
    startTime: row.start_time,
    endTime: row.end_time,
    needed: whatIsNeeded(needs, names),
    confirmed: needs.confirmed,
    max: needs.max,
    reasons: profile ? reasonsItFits(profile, needs, names) : [],
    caveats: input.failures.map((f) => f.toVolunteer),
    state,
    position: input.position,
    assignmentId: mine?.id ?? null,
    message: null,
    focus: false,
  }
}

/** The month windows that cover [from, to], so the monthly cap counts every session of each month. */
function commitmentWindow(from: string, to: string): { from: number; until: number } {
  return { from: monthWindow(from).from, until: monthWindow(to).until }
}

// ── Find sessions ───────────────────────────────────────────────────────────

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

export async function findSessions(ctx: AppContext, user: SignedInUser, input: FilterInput): Promise<FindPage> {
  const volunteer = volunteerOf(user)
  const now = ctx.clock.now()
  const service = await repo.libraryServiceOfVolunteer(ctx.db, volunteer.id)
  if (!service) throw new NotFoundError('We could not find your volunteer profile')
  const lists = await loadNameLists(ctx.db, service.id)
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
  if (!profile) throw new NotFoundError('We could not find your volunteer profile')
  const branches = profile.branchIds.map((id) => ({ id, name: names.branch(id) })).sort((a, b) => a.name.localeCompare(b.name))
  const parsed = parseFilters(input, {
    today,
    bookingWindowDays: service.booking_window_days,
    branchIds: new Set(branches.map((b) => b.id)),
    topicIds: new Set(topics.map((t) => t.id)),
  })
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
  page.result = searchFor(ctx, profile, names, parsed.filters, now, await candidatesFor(ctx, profile, parsed.filters, now, own))
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

function searchFor(ctx: AppContext, profile: VolunteerProfile, names: Names, f: Filters, now: number, c: Candidates): FindResult {
  const statusFailure = checkRules(profile, { ...emptyNeeds(), branchId: profile.branchIds[0] ?? 0 }, names, ['status'])[0]
  if (statusFailure) {
    return { status: profile.status, statusMessage: statusFailure.toVolunteer, cards: [], total: 0, page: 1, pages: 1, hidden: {}, maxPerMonth: profile.maxPerMonth }
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
    const caveats = holding || !f.outside ? [] : checkRules(profile, needs, names, ['availability'])
    shown.push(describeSession({ row: { ...row, branch_name: names.branch(row.branch_id) }, needs, profile, names, mine, position: c.positions.get(row.id) ?? null, failures: caveats }))
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

// ── One session, as this volunteer sees it ──────────────────────────────────

/** A session the volunteer may see: in their library service. Anything else is "not found". */
async function visibleSession(ctx: AppContext, user: SignedInUser, sessionId: number): Promise<repo.SessionDetailRow> {
  const volunteer = volunteerOf(user)
  const session = await repo.sessionDetail(ctx.db, sessionId)
  if (!session || session.library_service_id !== volunteer.libraryServiceId) throw new NotFoundError('We could not find that session. It may have been removed')
  return session
}

/**
 * The card for one session as it is now, for this volunteer. `known` saves reading the session
 * again when the caller has just read it; never pass a row from before a change (stale counts).
 */
export async function cardFor(ctx: AppContext, user: SignedInUser, sessionId: number, known?: repo.SessionDetailRow): Promise<SessionCard> {
  const volunteer = volunteerOf(user)
  const session = known && known.id === sessionId ? known : await visibleSession(ctx, user, sessionId)
  const window = monthWindow(session.local_date)
  const [profiles, needsMap, names, mineMap, positions] = await Promise.all([
    loadProfiles(ctx.db, [volunteer.id], window.from, window.until),
    needsFromRows(ctx.db, [session]),
    loadNames(ctx.db, session.library_service_id),
    repo.statesOn(ctx.db, volunteer.id, [sessionId]),
    repo.waitlistPositions(ctx.db, volunteer.id, [sessionId]),
  ])
  const profile = profiles.get(volunteer.id)!
  const needs = needsMap.get(sessionId)!
  const mine = mineMap.get(sessionId)
  const holding = mine && ['confirmed', 'waitlisted', 'invited'].includes(mine.state)
  // Outside the weekly times is no bar to booking, only something to mention.
  const failures = holding ? [] : checkRules(profile, needs, names, ALL_RULES)
  return describeSession({ row: { ...session }, needs, profile, names, mine, position: positions.get(sessionId) ?? null, failures })
}

/**
 * What changes on a result when its volunteer books or queues: their state and the session's
 * counts, read fresh, and how many sessions they now have coming up. The htmx answer swaps only
 * these, so the rest of the card (why it fits) stays as it was and is not worked out again.
 */
export async function statusFor(ctx: AppContext, user: SignedInUser, sessionId: number, outcome: BookingOutcome): Promise<{ card: SessionCard; upcomingCount: number }> {
  const volunteer = volunteerOf(user)
  const now = ctx.clock.now()
  const session = await visibleSession(ctx, user, sessionId)
  // Their assignments on sessions not over yet: the state on this one and the count at the top, in one read.
  const [needsMap, own, lists] = await Promise.all([
    needsFromRows(ctx.db, [session]),
    repo.ownAssignmentsSince(ctx.db, volunteer.id, now),
    loadNameLists(ctx.db, session.library_service_id),
  ])
  const needs = needsMap.get(sessionId)!
  const here = own.find((a) => a.session_id === sessionId)
  const mine = here ? { id: here.id, state: here.state } : undefined
  const positions = mine?.state === 'waitlisted' ? await repo.waitlistPositions(ctx.db, volunteer.id, [sessionId]) : new Map<number, number>()
  const failures: RuleFailure[] = outcome.kind === 'refused' ? [{ rule: 'status', toVolunteer: outcome.message, toCoordinator: '' }] : []
  const card = describeSession({ row: session, needs, profile: null, names: lists.names, mine, position: positions.get(sessionId) ?? null, failures })
  return { card, upcomingCount: repo.countUpcoming(own, now) }
}

// ── Booking and the waiting list ────────────────────────────────────────────

export type BookingOutcome =
  | { kind: 'booked'; already: boolean }
  | { kind: 'waitlisted'; position: number; already: boolean }
  | { kind: 'full' }
  | { kind: 'refused'; message: string }

export function describeOutcome(outcome: BookingOutcome, session: { title: string; local_date: string; start_time: string; end_time: string; branch_name: string }): string {
  const when = `${session.title}, ${longDate(session.local_date)}, ${timeRange(session.start_time, session.end_time)} at ${session.branch_name}`
  switch (outcome.kind) {
    case 'booked':
      return outcome.already ? `You are already booked on ${when}` : `You are booked on ${when}. We have emailed you a calendar invite`
    case 'waitlisted':
      return `${outcome.already ? 'You are already' : 'You are now'} number ${outcome.position} on the waiting list for ${when}. We will book you and email you if a place comes up`
    case 'full':
      return 'Sorry, this session is full. You can join the waiting list: if a place comes up we will book you and email you'
    case 'refused':
      return outcome.message
  }
}

/** A volunteer booking for themselves: every rule but weekly availability, within the booking window. */
function selfBooking(user: SignedInUser, sessionId: number): TakePlaceInput {
  return { sessionId, volunteerId: volunteerOf(user).id, source: 'self', actorPersonId: user.personId, rules: BOOKING_RULES, bookingWindow: true, wording: 'booked' }
}

function outcomeOf(result: TakePlaceResult): BookingOutcome {
  switch (result.kind) {
    case 'confirmed':
    case 'already-confirmed':
      return { kind: 'booked', already: result.kind === 'already-confirmed' }
    case 'full':
      return { kind: 'full' }
    case 'refused':
      return { kind: 'refused', message: result.message }
  }
}

export async function book(ctx: AppContext, user: SignedInUser, sessionId: number): Promise<{ outcome: BookingOutcome; session: repo.SessionDetailRow }> {
  const session = await visibleSession(ctx, user, sessionId)
  return { outcome: outcomeOf(await takePlace(ctx, selfBooking(user, sessionId))), session }
}

export async function waitFor(ctx: AppContext, user: SignedInUser, sessionId: number): Promise<{ outcome: BookingOutcome; session: repo.SessionDetailRow }> {
  const session = await visibleSession(ctx, user, sessionId)
  const result = await joinWaitlist(ctx, selfBooking(user, sessionId))
  if (result.kind === 'waitlisted' || result.kind === 'already-waitlisted') {
    return { outcome: { kind: 'waitlisted', position: result.position, already: result.kind === 'already-waitlisted' }, session }
  }
  // A place came free since the page was shown: take it instead of queueing for it.
  if (result.kind === 'place-free') return book(ctx, user, sessionId)
  return { outcome: outcomeOf(result), session }
}

// ── My sessions ─────────────────────────────────────────────────────────────

export interface MySession extends repo.MySessionRow {
  cutoffAt: number
  beforeCutoff: boolean
  position: number | null
}

export async function mySessions(ctx: AppContext, user: SignedInUser) {
  const volunteer = volunteerOf(user)
  const now = ctx.clock.now()
  const [upcoming, past, totals] = await Promise.all([
    repo.upcomingOf(ctx.db, volunteer.id, now),
    repo.pastOf(ctx.db, volunteer.id, now, 100),
    repo.helpedTotals(ctx.db, volunteer.id, now),
  ])
  const positions = await repo.waitlistPositions(
    ctx.db,
    volunteer.id,
    upcoming.filter((u) => u.state === 'waitlisted').map((u) => u.session_id),
  )
  const decorate = (row: repo.MySessionRow): MySession => {
    const cutoffAt = row.starts_at - row.withdraw_cutoff_hours * 3_600_000
    return { ...row, cutoffAt, beforeCutoff: now < cutoffAt, position: positions.get(row.session_id) ?? null }
  }
  return {
    upcoming: upcoming.map(decorate),
    past: past.map(decorate),
    totals: { sessions: totals.sessions, hours: Math.round(totals.minutes / 6) / 10 },
    now,
  }
}

export const MAX_REASON = 500

export interface WithdrawalView {
  booking: MySession
  kind: 'withdraw' | 'cannot-make-it' | 'leave-waitlist'
  startsIn: string
}

function untilText(ms: number): string {
  const hours = Math.max(0, Math.round(ms / 3_600_000))
  if (hours < 1) return 'less than an hour'
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`
  return `${Math.round(hours / 24)} days`
}

/** What the withdraw page shows for one of the volunteer's own places, or why it cannot be given up. */
export async function withdrawalView(ctx: AppContext, user: SignedInUser, assignmentId: number): Promise<WithdrawalView> {
  const volunteer = volunteerOf(user)
  const now = ctx.clock.now()
  const row = await repo.assignmentOf(ctx.db, volunteer.id, assignmentId)
  // Someone else's booking looks exactly like one that does not exist.
  if (!row) throw new NotFoundError('We could not find that booking')
  const cutoffAt = row.starts_at - row.withdraw_cutoff_hours * 3_600_000
  const booking: MySession = { ...row, cutoffAt, beforeCutoff: now < cutoffAt, position: null }
  if (row.status === 'cancelled') throw new UserError('This session has been cancelled, so there is nothing to withdraw from', 409)
  if (row.starts_at <= now) throw new UserError('This session has already started. If you cannot stay, tell the library staff', 409)
  if (row.state === 'waitlisted') {
    booking.position = (await repo.waitlistPositions(ctx.db, volunteer.id, [row.session_id])).get(row.session_id) ?? null
    return { booking, kind: 'leave-waitlist', startsIn: untilText(row.starts_at - now) }
  }
  if (row.state !== 'confirmed') throw new UserError('You are no longer booked on this session', 409)
  return { booking, kind: booking.beforeCutoff ? 'withdraw' : 'cannot-make-it', startsIn: untilText(row.starts_at - now) }
}

export function checkReason(value: unknown): string {
  const reason = typeof value === 'string' ? value.trim().replace(/\r\n/g, '\n') : ''
  if (reason.length > MAX_REASON) throw new ValidationError([{ field: 'reason', message: `Your reason must be ${MAX_REASON} characters or fewer` }])
  return reason
}

export type WithdrawOutcome = { kind: 'withdrew' | 'cannot-make-it' | 'left-waitlist'; title: string; localDate: string; coordinatorsTold: number }

/**
 * Gives up a place (or a place in the queue). Before the library service's cut-off it is a plain
 * withdrawal; after it, an "I can't make it": the branch's coordinators are alerted in the same
 * transaction and the reason is recorded. Either way the place goes to the waiting list.
 */
export async function withdraw(ctx: AppContext, user: SignedInUser, assignmentId: number, reasonInput: unknown): Promise<WithdrawOutcome> {
  const reason = checkReason(reasonInput)
  const view = await withdrawalView(ctx, user, assignmentId)
  const b = view.booking
  const volunteerId = volunteerOf(user).id
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    // Decided again under the volunteer's lock: the place may have changed since the page (a
    // waiting-list promotion, a second tab), and the cut-off may have passed meanwhile.
    await lockVolunteer(tx, volunteerId)
    const current = await repo.assignmentOf(tx, volunteerId, assignmentId)
    if (!current || (current.state !== 'confirmed' && current.state !== 'waitlisted')) throw new UserError('You are no longer booked on this session', 409)
    if (current.starts_at <= now) throw new UserError('This session has already started. If you cannot stay, tell the library staff', 409)
    const kind = current.state === 'waitlisted' ? 'left-waitlist' : now >= b.cutoffAt ? 'cannot-make-it' : 'withdrew'
    const released = await releasePlaceInTx(tx, ctx, {
      sessionId: b.session_id,
      volunteerId,
      toState: 'withdrawn',
      actorPersonId: user.personId,
      reason: kind === 'cannot-make-it' && !reason ? 'Could not make it' : reason,
      wording: kind === 'cannot-make-it' ? 'cannot-make-it' : 'withdrew',
    })
    // Changed between the page and the button (a coordinator removed them, or a second tab).
    if (released.kind === 'not-held') throw new UserError('You are no longer booked on this session', 409)
    let coordinatorsTold = 0
    if (kind === 'cannot-make-it') {
      const session = await repo.sessionDetail(tx, b.session_id)
      const filled = released.promoted.length > 0
      const message = [
        `${user.name} cannot make it to this session, which starts in ${untilText(b.starts_at - now)}.`,
        reason ? `They said: “${reason}”.` : 'They did not give a reason.',
        filled
          ? 'The first person on the waiting list has been booked in their place.'
          : `Their place is open again: ${session!.confirmed_count} of the ${session!.min_volunteers} volunteers it needs are booked.`,
      ].join(' ')
      coordinatorsTold = await queueCoordinatorAlert(tx, ctx, {
        sessionId: b.session_id,
        dedupeKey: `cannot-make-it:${assignmentId}:${now}`,
        subject: `${user.name} cannot make it: ${b.title}, ${longDate(b.local_date)}`,
        message,
      })
    }
    await audit(tx, {
      actorPersonId: user.personId,
      libraryServiceId: volunteerOf(user).libraryServiceId,
      action: kind === 'cannot-make-it' ? 'cannot_make_it' : kind === 'left-waitlist' ? 'left_waitlist' : 'withdrew',
      objectType: 'assignment',
      objectId: assignmentId,
      detail: { sessionId: b.session_id, reason, hoursBefore: Math.round((b.starts_at - now) / 360_000) / 10, promoted: released.promoted },
      at: now,
    })
    return { kind, title: b.title, localDate: b.local_date, coordinatorsTold }
  })
}

// ── The session page ────────────────────────────────────────────────────────

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name
}

export async function sessionPage(ctx: AppContext, user: SignedInUser, sessionId: number) {
  const volunteer = volunteerOf(user)
  const session = await visibleSession(ctx, user, sessionId)
  const now = ctx.clock.now()
  const [card, people, coordinators, needsMap, names] = await Promise.all([
    cardFor(ctx, user, sessionId, session),
    repo.confirmedNames(ctx.db, sessionId),
    repo.coordinatorsOf(ctx.db, session.library_service_id, session.branch_id),
    needsFromRows(ctx.db, [session]),
    loadNames(ctx.db, session.library_service_id),
  ])
  const needs = needsMap.get(sessionId)!
  const others = people.filter((p) => p.volunteer_id !== volunteer.id).map((p) => (p.anonymised ? 'a volunteer' : firstName(p.name)))
  const seen = new Set<number>()
  return {
    session,
    card,
    others,
    youAreOn: people.some((p) => p.volunteer_id === volunteer.id),
    coordinators: coordinators.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true))).slice(0, 3),
    required: needs.requiredSkillIds.map((id) => names.skill(id)),
    preferred: needs.preferredSkillIds.map((id) => ({ name: names.skill(id), kind: names.skillKind(id) })),
    trainings: needs.requiredTrainingIds.map((id) => names.training(id)),
    started: session.starts_at <= now,
    ended: session.ends_at <= now,
    cutoffAt: session.starts_at - session.withdraw_cutoff_hours * 3_600_000,
    cutoffPassed: now >= session.starts_at - session.withdraw_cutoff_hours * 3_600_000,
    kindLabel: KIND_LABELS[session.kind] ?? session.kind,
    bookableUntil: addDays(todayIn(now, session.timezone), session.booking_window_days),
  }
}

/** The single-event calendar file for a session the volunteer is booked on (same UID as the emailed invite). */
export async function calendarFile(ctx: AppContext, user: SignedInUser, sessionId: number): Promise<{ filename: string; content: string }> {
  const volunteer = volunteerOf(user)
  await visibleSession(ctx, user, sessionId)
  const mine = (await repo.statesOn(ctx.db, volunteer.id, [sessionId])).get(sessionId)
  if (!mine || mine.state !== 'confirmed') throw new NotFoundError('You are not booked on this session, so there is nothing to add to your calendar')
  return { filename: `session-${sessionId}.ics`, content: await calendarFileFor(ctx.db, ctx, mine.id) }
}
