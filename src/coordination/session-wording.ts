// How sessions and their changes are put into words for coordinators and volunteers: kinds, days, a series, what changed.
import type { SessionKind } from '../db/schema.js'
import type { Weekday } from '../time/recurrence.js'
import { longDate, timeRange } from '../views/format.js'
import { weekdaysOf } from './series-rule.js'
import type * as repo from './sessions.repository.js'

export const KINDS: ReadonlyArray<{ value: SessionKind; label: string; hint: string }> = [
  { value: 'drop_in', label: 'Drop-in', hint: 'People come when they like' },
  { value: 'one_to_one', label: 'Booked 1:1', hint: 'Appointments with one person at a time' },
  { value: 'group_class', label: 'Group class', hint: 'A class for several learners' },
]

export const DAY_LABELS: Record<Weekday, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' }

/** What changed that a confirmed volunteer would want to know, in words for the update email. */
export function describeChange(before: repo.SessionRow, t: repo.SessionTemplate, date: string): string | null {
  const parts: string[] = []
  if (date !== before.local_date) parts.push(`it is now on ${longDate(date)} (it was ${longDate(before.local_date)})`)
  if (t.startTime !== before.start_time || t.endTime !== before.end_time) {
    parts.push(`it now runs ${timeRange(t.startTime, t.endTime)} (it was ${timeRange(before.start_time, before.end_time)})`)
  }
  if (t.title !== before.title) parts.push(`it is now called “${t.title}”`)
  if (t.notes !== before.notes) parts.push('the notes for volunteers have changed')
  return parts.length ? parts.join('; ') : null
}

/** A description of a series for people: "Every Tuesday and Thursday until Tuesday 12 January 2027". */
export function describeSeries(series: repo.SeriesRow): string {
  const days = weekdaysOf(series.rrule).map((d) => DAY_LABELS[d])
  const list = days.length > 1 ? `${days.slice(0, -1).join(', ')} and ${days[days.length - 1]}` : (days[0] ?? '')
  return `Every ${list} until ${longDate(series.until_on)}`
}
