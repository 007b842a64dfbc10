// Reading a stored weekly series' RRULE back into the weekdays it runs on (writing one is in src/time/recurrence.ts).
import rrule from 'rrule'
import { WEEKDAYS, type Weekday } from '../time/weekdays.js'

const { RRule } = rrule

/** The weekdays of a weekly RRULE, in the order it lists them. */
export function weekdaysOf(rule: string): Weekday[] {
  const options = RRule.parseString(rule)
  const raw = Array.isArray(options.byweekday) ? options.byweekday : options.byweekday !== undefined && options.byweekday !== null ? [options.byweekday] : []
  return raw.map((d) => WEEKDAYS[typeof d === 'number' ? d : (d as { weekday: number }).weekday]!).filter(Boolean)
}
