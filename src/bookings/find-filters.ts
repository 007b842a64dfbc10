// The "find sessions" filters: reading them from a query string against the volunteer's own options, and writing them back as a short query.
import type { FieldError } from '../errors.js'
import { addDays, isValidDate } from '../time/wall-clock.js'

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
