// /network: the figures of /reports for a partner organisation, per library service and month, for the services granted only, with small numbers suppressed.
//
// The measures come from src/evidence/figures.ts (one home for them), grouped per library service
// and month in SQL; nothing here is per volunteer or per branch. The services come from the
// partner's own grants, never from the query: asking for another service is refused without naming it.
import { DateTime } from 'luxon'
import type { AppContext } from '../context.js'
import { partnerServiceIds, type SignedInUser } from '../auth/access.js'
import { ForbiddenError } from '../errors.js'
import * as forms from '../forms/fields.js'
import { serviceMonthFigures } from './figures.js'
import { csvText, figureError, parseRange, percent, type FigureError } from './reports.service.js'
import { FEWER_THAN_5, suppressed, type Count, type NetworkRow, type Rate } from './suppression.js'
import * as repo from './reports.repository.js'
import { translator, type Locale } from '../i18n/i18n.js'

export interface NetworkFilters {
  from: string
  to: string
  /** One of the partner's services, or null for all of them. */
  service: number | null
}

export interface NetworkView {
  filters: NetworkFilters
  /** Every service the partner was granted (for the filter). */
  services: Array<{ id: number; name: string }>
  /** The services shown, each with its months. */
  shown: Array<{ id: number; name: string; months: NetworkRow[] }>
  areas: Array<{ key: string; name: string }>
  qs: string
}

export function parseNetworkFilters(query: unknown, today: string, locale: Locale = 'en'): { filters: NetworkFilters; errors: FigureError[] } {
  const q = forms.query(query)
  const { from, to, errors } = parseRange(q, today, locale)
  const service = q.service ? forms.parseId(q.service) : null
  if (q.service && service === null) errors.push(figureError(locale, 'service', 'evidence.figures.chooseService'))
  return { filters: { from, to, service }, errors }
}

export function networkQuery(f: NetworkFilters): string {
  const p = new URLSearchParams({ from: f.from, to: f.to })
  if (f.service) p.set('service', String(f.service))
  return p.toString()
}

export async function networkFor(ctx: AppContext, user: SignedInUser, filters: NetworkFilters): Promise<NetworkView> {
  const granted = partnerServiceIds(user)
  if (filters.service !== null && !granted.includes(filters.service)) throw new ForbiddenError({ key: 'evidence.refusal.networkService' })
  const { services, branches } = await repo.servicesWithBranches(ctx.db, granted)
  const serviceIds = filters.service === null ? granted : [filters.service]
  const wanted = services.filter((s) => serviceIds.includes(s.id))
  const scoped = branches.filter((b) => serviceIds.includes(b.library_service_id))
  const range = { branchIds: scoped.map((b) => b.id), from: filters.from, to: filters.to }
  const now = ctx.clock.now()
  const [cells, volunteers, topics, topicInfo, areas] = await Promise.all([
    repo.sessionCells(ctx.db, range, now, 'service'),
    repo.attendedVolunteersPerService(ctx.db, range, now),
    repo.topicPeople(ctx.db, range, now, 'service'),
    repo.topicsWithAreas(ctx.db, serviceIds),
    repo.frameworkAreas(ctx.db),
  ])
  const serviceMonths = serviceMonthFigures({ from: filters.from, to: filters.to, services: wanted, cells, volunteers, topics, topicAreas: topicInfo.areas, areas })
  const rows = serviceMonths.map(suppressed)
  return {
    filters,
    services: services.map((s) => ({ id: s.id, name: s.name })),
    shown: wanted.map((s) => ({ id: s.id, name: s.name, months: rows.filter((r) => r.serviceId === s.id) })),
    areas: areas.map((a) => ({ key: a.key, name: a.name })),
    qs: networkQuery(filters),
  }
}

/** A count on the page: the number, or "fewer than 5" (in `locale`). */
export function shownCount(c: Count, locale: Locale = 'en'): string {
  return c === FEWER_THAN_5 ? translator(locale)('evidence.figures.fewerThan5') : String(c)
}

/** A rate on the page: a whole percentage, a dash when there is nothing to divide by or it is withheld. */
export function shownRate(r: Rate): string {
  return r === 'withheld' ? '–' : percent(r)
}

const WITHHELD_IN_CSV = 'too few to show'

function csvRate(r: Rate): string {
  if (r === 'withheld') return WITHHELD_IN_CSV
  return r === null ? '' : r.toFixed(3)
}

const COLUMNS: Array<[string, (r: NetworkRow) => string | number]> = [
  ['Sessions held', (r) => r.sessionsHeld],
  ['Sessions cancelled', (r) => r.sessionsCancelled],
  ['Fill rate of minimum', (r) => csvRate(r.fillOfMin)],
  ['Fill rate of maximum', (r) => csvRate(r.fillOfMax)],
  ['Volunteer hours', (r) => (r.volunteerHours === 'withheld' ? WITHHELD_IN_CSV : r.volunteerHours)],
  ['Distinct volunteers', (r) => r.distinctVolunteers],
  ['No-show rate', (r) => csvRate(r.noShowRate)],
  ['People helped', (r) => r.peopleHelped],
  ['Sessions not reported yet', (r) => r.sessionsUnreported],
]

/**
 * One row per library service and month; counts of 1 to 4 read "fewer than 5", as on the page.
 * In English whatever the page's language, as /reports' CSV files (see csvOf there): the headers
 * are what a partner's spreadsheet picks columns by.
 */
export function networkCsv(view: NetworkView): string {
  const header = ['Library service', 'Month starting', ...COLUMNS.map((c) => c[0]), ...view.areas.map((a) => `People helped: ${a.name}`)]
  const rows = view.shown.flatMap((s) => s.months.map((r) => [r.serviceName, `${r.month}-01`, ...COLUMNS.map((c) => c[1](r)), ...r.areas.map((a) => a.people)]))
  return csvText([header, ...rows])
}

export function networkCsvFilename(f: NetworkFilters): string {
  return `champion-rota-network-${f.from}-to-${f.to}.csv`
}

/** Ready-made ranges offered as plain links (they work as htmx swaps too). */
export function networkPresets(today: string, service: number | null, locale: Locale = 'en'): Array<{ label: string; qs: string }> {
  const t = translator(locale)
  const d = DateTime.fromISO(today, { zone: 'UTC' })
  const range = (label: string, from: DateTime) => ({ label, qs: networkQuery({ from: from.toISODate()!, to: today, service }) })
  return [
    range(t('evidence.figures.last3'), d.startOf('month').minus({ months: 2 })),
    range(t('evidence.figures.last12'), d.startOf('month').minus({ months: 11 })),
    range(t('evidence.figures.thisYear'), d.startOf('year')),
  ]
}
