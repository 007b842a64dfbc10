// The "find sessions" filters: reading them from a query string against the volunteer's own options, and writing them back as a short query.
import type { FieldError } from '../errors.js'
import { addDays } from '../time/wall-clock.js'
import { FormReader, sayIn, text, type FormBody } from '../forms/fields.js'
import type { Translate } from '../i18n/i18n.js'

export const DEFAULT_WEEKS = 6

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

/**
 * The "find sessions" filters from a query string, checked against the volunteer's own branches
 * and the service's topics. Defaults: the next 6 weeks, everywhere they go, any topic.
 */
export function parseFilters(
  input: FilterInput,
  context: { today: string; bookingWindowDays: number; branchIds: ReadonlySet<number>; topicIds: ReadonlySet<number> },
  /** The page's language, for a page not in English (the messages and labels from the catalogue). */
  t?: Translate,
): ParsedFilters {
  const form = new FormReader(input as FormBody, t ? sayIn(t) : undefined)
  const label = (key: string, english: string) => (t ? t(`volunteer.find.labels.${key}`) : english)
  const lastBookable = addDays(context.today, context.bookingWindowDays)
  const branchId = form.choice('branch', context.branchIds, { label: label('library', 'Library'), what: label('aLibrary', 'a library') })
  const topicId = form.choice('topic', context.topicIds, { label: label('topic', 'Topic'), what: label('aTopic', 'a topic') })
  let from = form.date('from', { label: label('firstDay', 'The first day') })
  let to = form.date('to', { label: label('lastDay', 'The last day') })
  if (from === '' || from < context.today) from = context.today
  if (to === '') to = addDays(from, DEFAULT_WEEKS * 7 - 1)
  let clamped = false
  if (!form.has('to') && !form.has('from')) {
    if (to < from) form.fail('to', t ? t('volunteer.find.lastBeforeFirst') : 'The last day must be the same as or after the first day')
    else if (to > lastBookable) {
      to = lastBookable
      clamped = true
    }
  }
  const pageText = text(input.page)
  const page = /^\d{1,4}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1
  const filters: Filters = {
    branchId,
    from,
    to,
    topicId,
    outside: text(input.outside) === '1',
    full: text(input.full) === '1',
    page,
  }
  return { filters, errors: form.errors, clamped, query: filtersQuery(filters, context.today) }
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
