// /reports: the evidence of a coordinator's branches (or an admin's library service) over a date range, as figures, charts and CSV.
import { DateTime } from 'luxon'
import { stringify } from 'csv-stringify/sync'
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { ForbiddenError, type FieldError, type Wording } from '../errors.js'
import * as forms from '../forms/fields.js'
import { scopeOf } from '../coordination/scope.js'
import { todayIn } from '../time/wall-clock.js'
import { computeFigures, type Figures, type Measures } from './figures.js'
import { monthLabel, monthTrend, topicBreakdown, type Chart } from './charts.js'
import * as repo from './reports.repository.js'
import { translator, type Locale } from '../i18n/i18n.js'

const ZONE = 'Europe/London'
const MAX_MONTHS = 36

export interface ReportFilters {
  from: string
  to: string
  branch: number | null
}

export const TABLES = ['months', 'branches', 'topics', 'areas'] as const
export type TableName = (typeof TABLES)[number]

/** The range asked for, or the last six months (this one included); a bad value is reported and the default used. */
/** A mistake in the figures' filters: the field's message in the language asked for, and its wording (for a download's refusal, said in the reader's language). */
export type FigureError = FieldError & { wording: Wording }

export function figureError(locale: Locale, field: string, key: string, values?: Record<string, unknown>): FigureError {
  return { field, message: translator(locale)(key, values), wording: values ? { key, values } : { key } }
}

export function parseFilters(query: unknown, today: string, locale: Locale = 'en'): { filters: ReportFilters; errors: FigureError[] } {
  const q = forms.query(query)
  const { from, to, errors } = parseRange(q, today, locale)
  const branch = q.branch ? forms.parseId(q.branch) : null
  if (q.branch && branch === null) errors.push(figureError(locale, 'branch', 'evidence.figures.chooseBranch'))
  return { filters: { from, to, branch }, errors }
}

/** The date range of /reports and /network, checked the same way for both (the messages in `locale`). */
export function parseRange(q: Record<string, string>, today: string, locale: Locale = 'en'): { from: string; to: string; errors: FigureError[] } {
  const errors: FigureError[] = []
  const defaultFrom = DateTime.fromISO(today, { zone: 'UTC' }).startOf('month').minus({ months: 5 }).toISODate()!
  let from = forms.parseSaneDate(q.from)
  let to = forms.parseSaneDate(q.to)
  if (from === null) errors.push(figureError(locale, 'from', 'evidence.figures.fromInvalid'))
  if (to === null) errors.push(figureError(locale, 'to', 'evidence.figures.toInvalid'))
  from = from || defaultFrom
  to = to || today
  if (!errors.length && to < from) {
    errors.push(figureError(locale, 'to', 'evidence.figures.toBeforeFrom'))
    ;[from, to] = [defaultFrom, today]
  }
  if (!errors.length && DateTime.fromISO(to).diff(DateTime.fromISO(from), 'months').months > MAX_MONTHS) {
    errors.push(figureError(locale, 'from', 'evidence.figures.tooLong', { months: MAX_MONTHS }))
    from = DateTime.fromISO(to).startOf('month').minus({ months: MAX_MONTHS - 1 }).toISODate()!
  }
  return { from, to, errors }
}

export function todayForReports(ctx: AppContext): string {
  return todayIn(ctx.clock.now(), ZONE)
}

export interface Report {
  filters: ReportFilters
  branches: Array<{ id: number; name: string }>
  figures: Figures
  charts: { months: Chart; topics: Chart }
  /** The filters as a query string, for CSV links and presets. */
  qs: string
}

export function queryOf(f: ReportFilters): string {
  const p = new URLSearchParams({ from: f.from, to: f.to })
  if (f.branch) p.set('branch', String(f.branch))
  return p.toString()
}

/** The report; `locale` is the language of its charts' words. */
export async function reportFor(ctx: AppContext, user: SignedInUser, filters: ReportFilters, locale: Locale = 'en'): Promise<Report> {
  const scope = await scopeOf(ctx, user)
  if (filters.branch !== null && !scope.has(filters.branch)) throw new ForbiddenError({ key: 'evidence.refusal.reportsBranch' })
  const branches = scope.branches.filter((b) => filters.branch === null || b.id === filters.branch).map((b) => ({ id: b.id, name: b.name }))
  const range = { branchIds: branches.map((b) => b.id), from: filters.from, to: filters.to }
  const serviceIds = [...new Set(scope.branches.filter((b) => range.branchIds.includes(b.id)).map((b) => b.library_service_id))]
  const now = ctx.clock.now()
  const [cells, volunteers, newVolunteers, topics, topicInfo, areas] = await Promise.all([
    repo.sessionCells(ctx.db, range, now, 'branch'),
    repo.attendedVolunteersPerBranch(ctx.db, range, now),
    repo.newVolunteers(ctx.db, range, now),
    repo.topicPeople(ctx.db, range, now, 'all'),
    repo.topicsWithAreas(ctx.db, serviceIds),
    repo.frameworkAreas(ctx.db),
  ])
  const figures = computeFigures({ from: filters.from, to: filters.to, branches, cells, volunteers, newVolunteers, topics, topicNames: topicInfo.names, topicAreas: topicInfo.areas, areas })
  return {
    filters,
    branches: scope.branches.map((b) => ({ id: b.id, name: b.name })),
    figures,
    charts: { months: monthTrend('chart-months', figures.months, locale), topics: topicBreakdown('chart-topics', figures.topics, locale) },
    qs: queryOf(filters),
  }
}

/** A rate as shown on the page: a whole percentage, or a dash when there is nothing to divide by. */
export function percent(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)}%`
}

function rate(r: number | null): string {
  return r === null ? '' : r.toFixed(3)
}

const MEASURE_COLUMNS: Array<[string, (m: Measures) => string | number]> = [
  ['Sessions held', (m) => m.sessionsHeld],
  ['Sessions cancelled', (m) => m.sessionsCancelled],
  ['Places taken', (m) => m.placesTaken],
  ['Fill rate of minimum', (m) => rate(m.fillOfMin)],
  ['Fill rate of maximum', (m) => rate(m.fillOfMax)],
  ['Unfilled places', (m) => m.unfilledPlaces],
  ['Volunteer hours', (m) => m.volunteerHours],
  ['Distinct volunteers', (m) => m.distinctVolunteers],
  ['New volunteers', (m) => m.newVolunteers],
  ['Attended', (m) => m.attended],
  ['No-shows', (m) => m.noShows],
  ['Places not marked', (m) => m.notMarked],
  ['No-show rate', (m) => rate(m.noShowRate)],
  ['Sessions reported', (m) => m.sessionsReported],
  ['Sessions not reported yet', (m) => m.sessionsUnreported],
  ['People helped', (m) => m.peopleHelped],
  ['New to the library', (m) => m.newToLibrary],
  ['Came back', (m) => m.cameBack],
]

/**
 * One table as CSV: a header row, ISO dates, and a byte-order mark so Excel reads it as UTF-8.
 * The column headers stay in English whatever the page's language: the files feed spreadsheets and
 * returns that pick columns by name, and tests/evidence hold those names, so they must not change
 * with the reader's language. Branch, topic and area names are data and come as stored.
 */
export function csvOf(table: TableName, report: Report): string {
  const f = report.figures
  let rows: Array<Array<string | number>>
  if (table === 'months') {
    rows = [['Month starting', ...MEASURE_COLUMNS.map((c) => c[0])], ...f.months.map((r) => [`${r.month}-01`, ...MEASURE_COLUMNS.map((c) => c[1](r))])]
  } else if (table === 'branches') {
    rows = [['Branch', 'Month starting', ...MEASURE_COLUMNS.map((c) => c[0])], ...f.branchMonths.map((r) => [r.branchName, `${r.month}-01`, ...MEASURE_COLUMNS.map((c) => c[1](r))])]
  } else if (table === 'topics') {
    rows = [['Topic', 'Framework areas', 'People helped'], ...f.topics.map((t) => [t.name, t.areas.join('; '), t.people])]
  } else {
    rows = [['Framework area', 'People helped'], ...f.areas.map((a) => [a.name, a.people])]
  }
  return csvText(rows)
}

/** Rows as CSV text: a byte-order mark so Excel reads it as UTF-8, and no cell a spreadsheet would run as a formula. */
export function csvText(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  // A cell starting like a formula is opened by spreadsheets as one: a leading apostrophe keeps it text.
  const safe = rows.map((r) => r.map((c) => (typeof c === 'string' && /^[=+\-@\t\r]/.test(c) ? `'${c}` : c)))
  return '\uFEFF' + stringify(safe, { record_delimiter: '\r\n' })
}

export function csvFilename(table: TableName, f: ReportFilters): string {
  return `champion-rota-${table}-${f.from}-to-${f.to}.csv`
}

/** Ready-made ranges offered as plain links (they work as htmx swaps too). */
export function presets(today: string, branch: number | null, locale: Locale = 'en'): Array<{ label: string; qs: string }> {
  const t = translator(locale)
  const d = DateTime.fromISO(today, { zone: 'UTC' })
  const range = (label: string, from: DateTime) => ({ label, qs: queryOf({ from: from.toISODate()!, to: today, branch }) })
  return [
    range(t('evidence.figures.last3'), d.startOf('month').minus({ months: 2 })),
    range(t('evidence.figures.last12'), d.startOf('month').minus({ months: 11 })),
    range(t('evidence.figures.thisYear'), d.startOf('year')),
  ]
}

export { monthLabel }

const UNREPORTED_DAYS = 30

/** For /coordinate: sessions at the person's branches that ended in the last 30 days without a report (they can still be recorded). */
export async function sessionsWithoutReport(ctx: AppContext, user: SignedInUser, limit = 20) {
  const scope = await scopeOf(ctx, user)
  const now = ctx.clock.now()
  return repo.unreportedSessions(ctx.db, scope.branchIds, now - UNREPORTED_DAYS * 86_400_000, now, limit)
}

/** For the weekly digest: how many sessions of some branches ended in the last 30 days without a report, and the latest few. */
export async function unreportedAtBranches(ctx: AppContext, branchIds: readonly number[], limit: number) {
  const now = ctx.clock.now()
  const since = now - UNREPORTED_DAYS * 86_400_000
  const [count, sessions] = await Promise.all([repo.countUnreportedSessions(ctx.db, branchIds, since, now), repo.unreportedSessions(ctx.db, branchIds, since, now, limit)])
  return { count, sessions }
}
