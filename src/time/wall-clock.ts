// Wall-clock times in a branch's IANA zone ↔ UTC instants, with Luxon. The one place this conversion happens.
import { DateTime } from 'luxon'

export const DEFAULT_ZONE = 'Europe/London'

/** 'YYYY-MM-DD' + 'HH:MM' in `zone` → ms since the epoch. A time skipped by a clock change moves forward. */
export function localToInstant(localDate: string, time: string, zone: string): number {
  const dt = DateTime.fromISO(`${localDate}T${time}`, { zone })
  if (!dt.isValid) throw new RangeError(`not a valid local time: ${localDate} ${time} ${zone}`)
  return dt.toMillis()
}

/** Whether a wall-clock time exists on that date in that zone (a spring clock change skips an hour). */
export function existsInZone(localDate: string, time: string, zone: string): boolean {
  const dt = DateTime.fromISO(`${localDate}T${time}`, { zone })
  return dt.isValid && dt.toFormat('HH:mm') === time
}

export function instantToLocal(ms: number, zone: string): { date: string; time: string; dayOfWeek: number } {
  const dt = DateTime.fromMillis(ms, { zone })
  return { date: dt.toISODate()!, time: dt.toFormat('HH:mm'), dayOfWeek: dt.weekday }
}

/**
 * "Today" for a set of branches, each in its own zone: the earliest of their local dates, so a
 * range starting today leaves out no branch's today (a branch in Los Angeles still has this
 * evening when London has tomorrow). With no branches, DEFAULT_ZONE's today.
 */
export function todayForZones(ms: number, zones: Iterable<string>): string {
  let earliest: string | null = null
  for (const zone of new Set(zones)) {
    const date = todayIn(ms, zone)
    if (earliest === null || date < earliest) earliest = date
  }
  return earliest ?? todayIn(ms, DEFAULT_ZONE)
}

/**
 * The instants that local dates `from`…`until` (inclusive) span in any of these zones: a query
 * by instants between them finds every session on those dates in each zone (and some either side,
 * which the caller drops by local date).
 */
export function localDatesSpan(from: string, until: string, zones: Iterable<string>): { from: number; until: number } {
  const list = [...new Set(zones)]
  if (list.length === 0) list.push(DEFAULT_ZONE)
  const next = addDays(until, 1)
  return {
    from: Math.min(...list.map((z) => localToInstant(from, '00:00', z))),
    until: Math.max(...list.map((z) => localToInstant(next, '00:00', z))),
  }
}

/** The local day last asked for in each zone, with the instants it runs between (clock changes included). */
const currentDay = new Map<string, { date: string; from: number; until: number }>()

/**
 * Today's date in a zone. Working it out takes Luxon tens of microseconds (an Intl formatter), and
 * every signed-in page asks: so the answer is kept with the span of instants it holds for, from the
 * zone's midnight to the next (23 or 25 hours long on clock-change days), and asked again outside it.
 */
export function todayIn(ms: number, zone: string): string {
  const known = currentDay.get(zone)
  if (known && ms >= known.from && ms < known.until) return known.date
  const local = DateTime.fromMillis(ms, { zone })
  const date = local.toISODate()!
  const start = local.startOf('day')
  if (currentDay.size > 500) currentDay.clear()
  currentDay.set(zone, { date, from: start.toMillis(), until: start.plus({ days: 1 }).toMillis() })
  return date
}

/** ISO day of week (1 = Monday) of a local date. */
export function dayOfWeek(localDate: string): number {
  return DateTime.fromISO(localDate, { zone: 'UTC' }).weekday
}

export function addDays(localDate: string, days: number): string {
  // Calendar days in UTC have no clock changes, so plain Date arithmetic is exact (and cheap: this is on every search).
  if (/^\d{4}-\d{2}-\d{2}$/.test(localDate)) {
    const ms = Date.parse(`${localDate}T00:00:00Z`)
    // Date.parse rolls 30 February over; only a date that reads back the same takes the fast path.
    if (!Number.isNaN(ms) && new Date(ms).toISOString().startsWith(localDate)) return new Date(ms + days * 86_400_000).toISOString().slice(0, 10)
  }
  return DateTime.fromISO(localDate, { zone: 'UTC' }).plus({ days }).toISODate()!
}

export function isValidZone(zone: string): boolean {
  return DateTime.local().setZone(zone).isValid
}

export function isValidDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid
}

export function isValidTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value)
}

/**
 * Remembers a pure function of a local date ('YYYY-MM-DD'): pages and rules format the same few
 * dozen dates over and over, and Luxon is costly on that hot path. Bounded, so it cannot grow.
 */
export function perDate<T>(compute: (localDate: string) => T): (localDate: string) => T {
  const cache = new Map<string, T>()
  return (localDate) => {
    let value = cache.get(localDate)
    if (value === undefined) {
      value = compute(localDate)
      if (cache.size >= 10_000) cache.clear()
      cache.set(localDate, value)
    }
    return value
  }
}
