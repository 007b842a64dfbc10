// How sessions and their changes are put into words for coordinators and volunteers: a series, what changed (kinds: src/sessions/kinds.ts).
import { isoDayOf, listOfDays, weekdayName } from '../time/weekdays.js'
import { formatFor, longDate } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { weekdaysOf } from './series-rule.js'
import type * as repo from './sessions.repository.js'


/** What changed that a confirmed volunteer would want to know, in words for the update email. */
export function describeChange(before: repo.SessionRow, t: repo.SessionTemplate, date: string, locale: Locale = 'en'): string | null {
  const say = translator(locale)
  const fmt = formatFor(locale)
  const parts: string[] = []
  if (date !== before.local_date) parts.push(say('email.changes.date', { date: fmt.longDate(date), was: fmt.longDate(before.local_date) }))
  if (t.startTime !== before.start_time || t.endTime !== before.end_time) {
    parts.push(say('email.changes.time', { time: fmt.timeRange(t.startTime, t.endTime), was: fmt.timeRange(before.start_time, before.end_time) }))
  }
  if (t.title !== before.title) parts.push(say('email.changes.title', { title: t.title }))
  if (t.notes !== before.notes) parts.push(say('email.changes.notes'))
  return parts.length ? parts.join('; ') : null
}

/** A description of a series for people: "Every Tuesday and Thursday until Tuesday 12 January 2027". */
export function describeSeries(series: repo.SeriesRow, locale: Locale = 'en'): string {
  if (locale === 'en') return `Every ${listOfDays(weekdaysOf(series.rrule).map(weekdayName))} until ${longDate(series.until_on)}`
  const say = translator(locale)
  const names = weekdaysOf(series.rrule).map((d) => say(`coordinator.match.days.${DAY_KEYS[isoDayOf(d) - 1] ?? 'mon'}`))
  const days = names.length > 1 ? `${names.slice(0, -1).join(say('coordinator.actions.listJoin'))}${say('coordinator.actions.and')}${names[names.length - 1]}` : (names[0] ?? '')
  return say('coordinator.actions.seriesEvery', { days, date: formatFor(locale).longDate(series.until_on) })
}

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
