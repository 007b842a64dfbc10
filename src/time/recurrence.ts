// Weekly recurrence with the rrule library: which local dates a series falls on (times are applied per date).
//
// Dates are computed as floating calendar days (UTC midnight stands for "that date"), so the
// wall-clock time of each session is applied afterwards in the branch's zone and a 10:00
// session stays at 10:00 across the clock changes.
import rrule from 'rrule'
const { RRule } = rrule

import type { Weekday } from './weekdays.js'
export { WEEKDAYS, type Weekday } from './weekdays.js'

function toUtcDate(localDate: string): Date {
  const [y, m, d] = localDate.split('-').map(Number)
  return new Date(Date.UTC(y!, m! - 1, d!))
}

export interface WeeklyRule {
  startsOn: string
  untilOn: string
  days: readonly Weekday[]
}

/** The RFC 5545 RRULE line stored with a series, e.g. "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20270110T000000Z". */
export function weeklyRRule(rule: WeeklyRule): string {
  return new RRule({
    freq: RRule.WEEKLY,
    byweekday: rule.days.map((d) => RRule[d]),
    dtstart: toUtcDate(rule.startsOn),
    until: toUtcDate(rule.untilOn),
    wkst: RRule.MO,
  })
    .toString()
    .split('\n')
    .find((line) => line.startsWith('RRULE:'))!
    .slice('RRULE:'.length)
}

/** Every local date of a weekly series, minus skipped dates, in order. */
export function weeklyDates(rule: WeeklyRule, skipped: Iterable<string> = []): string[] {
  const skip = new Set(skipped)
  const r = new RRule({
    freq: RRule.WEEKLY,
    byweekday: rule.days.map((d) => RRule[d]),
    dtstart: toUtcDate(rule.startsOn),
    until: toUtcDate(rule.untilOn),
    wkst: RRule.MO,
  })
  return r
    .all()
    .map((d) => d.toISOString().slice(0, 10))
    .filter((date) => !skip.has(date))
}
