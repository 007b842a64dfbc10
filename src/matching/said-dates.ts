// The dates and days the matching rules' words name (src/bookings/volunteer-wording.ts for volunteers,
// src/coordination/coordinator-wording.ts for coordinators), in a language: one home for both.
import { DateTime } from 'luxon'
import type { Locale } from '../i18n/i18n.js'

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** `m` is an area's message function (volunteer.match.*, coordinator.match.*), with days.* and parts.* keys. */
export function saidDates(locale: Locale, m: (key: string, values?: Record<string, unknown>) => string) {
  const as = (date: string, format: string) => {
    const d = DateTime.fromISO(date, { zone: 'UTC' })
    return d.isValid ? d.setLocale(locale === 'cy' ? 'cy' : 'en-GB').toFormat(format) : date
  }
  return {
    /** "12 Dec", "12 Rhag". */
    shortDay: (date: string) => as(date, 'd MMM'),
    /** "December", "Rhagfyr". */
    month: (date: string) => as(date, 'MMMM'),
    /** "Tuesday mornings" in the area's words (day 1 is Monday). */
    dayPart: (day: number, part: string) => m(`parts.${part}`, { day: m(`days.${DAYS[day - 1] ?? 'mon'}`) }),
  }
}
