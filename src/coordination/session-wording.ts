// How sessions and their changes are put into words for coordinators and volunteers: a series, what changed (kinds: src/sessions/kinds.ts).
import { listOfDays, weekdayName } from '../time/weekdays.js'
import { longDate, timeRange } from '../views/format.js'
import { weekdaysOf } from './series-rule.js'
import type * as repo from './sessions.repository.js'


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
  return `Every ${listOfDays(weekdaysOf(series.rrule).map(weekdayName))} until ${longDate(series.until_on)}`
}
