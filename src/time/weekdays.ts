// Days of the week in one place: ISO numbers (1 = Monday … 7 = Sunday), RRULE codes (MO … SU), their names, and a date's weekday.
//
// Availability windows store ISO numbers, series store RRULE codes, and pages say "Monday": every
// conversion between them is here, so a week starts on Monday everywhere.

/** RRULE's two-letter day codes, Monday first (the order of the coordinator's checkboxes). */
export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU'
export const WEEKDAYS: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']

/** ISO day numbers, as availability windows store them. */
export const ISO_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5, 6, 7]

const NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

/** The name of an ISO day: dayName(1) is "Monday". */
export function dayName(isoDay: number): string {
  return NAMES[isoDay - 1] ?? ''
}

/** The ISO number of an RRULE day code: MO is 1, SU is 7. */
export function isoDayOf(code: Weekday): number {
  return WEEKDAYS.indexOf(code) + 1
}

/** The name of an RRULE day code: MO is "Monday". */
export function weekdayName(code: Weekday): string {
  return dayName(isoDayOf(code))
}

const weekdayCache = new Map<string, number>()

/** ISO day of the week (1 = Monday) of a calendar date 'YYYY-MM-DD'. Remembered: searches and auto-fill ask for the same few dates again and again. */
export function isoWeekday(localDate: string): number {
  let day = weekdayCache.get(localDate)
  if (day === undefined) {
    const d = new Date(Date.UTC(Number(localDate.slice(0, 4)), Number(localDate.slice(5, 7)) - 1, Number(localDate.slice(8, 10)))).getUTCDay()
    day = d === 0 ? 7 : d
    if (weekdayCache.size > 10_000) weekdayCache.clear()
    weekdayCache.set(localDate, day)
  }
  return day
}

/** The Monday of the week a calendar date is in. */
export function mondayOf(localDate: string): string {
  const d = new Date(Date.UTC(Number(localDate.slice(0, 4)), Number(localDate.slice(5, 7)) - 1, Number(localDate.slice(8, 10))))
  d.setUTCDate(d.getUTCDate() - (isoWeekday(localDate) - 1))
  return d.toISOString().slice(0, 10)
}

/** Names joined for a sentence: "Tuesday", "Tuesday and Thursday", "Monday, Wednesday and Friday". */
export function listOfDays(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? '')
}
