// Small-number suppression for figures shown beyond a library service (the network view): a count of 1 to 4 is "fewer than 5". Pure.
//
// Why: a partner sees many services' months; a month with two volunteers, or three people helped
// with one topic, could point at someone. Zero stays zero (it names nobody). A rate is withheld
// when the count above or below its line is small, since 1 of 3 says as much as the counts do;
// volunteer hours are withheld when fewer than 5 volunteers gave them (they are someone's hours).
import type { ServiceMonthRow } from './figures.js'

export const FEWER_THAN_5 = 'fewer than 5'
const SMALLEST_SHOWN = 5

/** A count as it may be shown: exact, or 'fewer than 5' for 1 to 4. */
export type Count = number | typeof FEWER_THAN_5
/** A rate as it may be shown: null when there is nothing to divide by, 'withheld' when a count behind it is small. */
export type Rate = number | null | 'withheld'

export function isSmall(n: number): boolean {
  return n >= 1 && n < SMALLEST_SHOWN
}

export function count(n: number): Count {
  return isSmall(n) ? FEWER_THAN_5 : n
}

export function rate(value: number | null, numerator: number, denominator: number): Rate {
  if (value === null) return null
  return isSmall(numerator) || isSmall(denominator) ? 'withheld' : value
}

/** One library service's month, every count suppressed: what the page and the CSV of /network show. */
export interface NetworkRow {
  serviceId: number
  serviceName: string
  month: string
  sessionsHeld: Count
  sessionsCancelled: Count
  fillOfMin: Rate
  fillOfMax: Rate
  volunteerHours: number | 'withheld'
  distinctVolunteers: Count
  noShowRate: Rate
  peopleHelped: Count
  sessionsUnreported: Count
  areas: Array<{ key: string; name: string; people: Count }>
}

export function suppressed(r: ServiceMonthRow): NetworkRow {
  return {
    serviceId: r.serviceId,
    serviceName: r.serviceName,
    month: r.month,
    sessionsHeld: count(r.sessionsHeld),
    sessionsCancelled: count(r.sessionsCancelled),
    fillOfMin: rate(r.fillOfMin, r.placesTaken, r.minPlaces),
    fillOfMax: rate(r.fillOfMax, r.placesTaken, r.maxPlaces),
    volunteerHours: isSmall(r.distinctVolunteers) ? 'withheld' : r.volunteerHours,
    distinctVolunteers: count(r.distinctVolunteers),
    noShowRate: rate(r.noShowRate, r.noShows, r.attended + r.noShows),
    peopleHelped: count(r.peopleHelped),
    sessionsUnreported: count(r.sessionsUnreported),
    areas: r.areas.map((a) => ({ key: a.key, name: a.name, people: count(a.people) })),
  }
}
