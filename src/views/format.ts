// Plain-English formatting of dates, times and counts, in the GOV.UK style ("Tuesday 1 December 2026", "10:30am").
import { DateTime } from 'luxon'
import { perDate } from '../time/wall-clock.js'
import { translator, type Locale } from '../i18n/i18n.js'

/** 'YYYY-MM-DD' → "Tuesday 1 December 2026". */
export const longDate = perDate((localDate) => {
  const d = DateTime.fromISO(localDate, { zone: 'UTC' })
  return d.isValid ? d.setLocale('en-GB').toFormat('cccc d MMMM yyyy') : localDate
})

/** 'YYYY-MM-DD' → "Tue 1 Dec". */
export const shortDate = perDate((localDate) => {
  const d = DateTime.fromISO(localDate, { zone: 'UTC' })
  return d.isValid ? d.setLocale('en-GB').toFormat('ccc d MMM') : localDate
})

/** 'HH:MM' → "10am", "10:30am", "12pm" (midday), "12am" (midnight). */
export function clockTime(time: string): string {
  const m = /^(\d{2}):(\d{2})$/.exec(time)
  if (!m) return time
  const h = Number(m[1])
  const minutes = m[2]!
  const suffix = h < 12 ? 'am' : 'pm'
  const h12 = h % 12 === 0 ? 12 : h % 12
  return minutes === '00' ? `${h12}${suffix}` : `${h12}:${minutes}${suffix}`
}

export function timeRange(start: string, end: string): string {
  return `${clockTime(start)} to ${clockTime(end)}`
}

/** An instant (ms) shown in a zone: "1 December 2026 at 10:30am". */
export function instant(ms: number, zone = 'Europe/London'): string {
  const d = DateTime.fromMillis(ms, { zone })
  return `${d.setLocale('en-GB').toFormat('d MMMM yyyy')} at ${clockTime(d.toFormat('HH:mm'))}`
}

/**
 * The one way a count meets a noun: "1 session", "3 sessions", and whole phrases whose verb agrees
 * ("1 session that needs…", "2 sessions that need…"). Every page, email and message uses it.
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

/** A message shown as a sentence ends with a full stop (or the ? or ! it already has). */
export function sentence(message: string): string {
  const text = message.trim()
  return text === '' || /[.!?…]$/.test(text) ? text : `${text}.`
}


/** The message for one field from a GOV.UK-style error list, or undefined. */
export function errorFor(errors: ReadonlyArray<{ field: string; message: string }> | undefined, field: string): string | undefined {
  return errors?.find((e) => e.field === field)?.message
}

export const formatHelpers = Object.freeze({ longDate, shortDate, clockTime, timeRange, instant, plural, sentence, errorFor })
export type FormatHelpers = typeof formatHelpers

// The same helpers in Welsh: Luxon's Welsh month and day names ("Dydd Mawrth 1 Rhagfyr 2026"),
// "10:30yb" / "2yh", "10yb i 12yh", and the catalogue's words around them (time.* in src/i18n).
const t = translator('cy')
const cyLongDate = perDate((localDate) => {
  const d = DateTime.fromISO(localDate, { zone: 'UTC' })
  return d.isValid ? d.setLocale('cy').toFormat('cccc d MMMM yyyy') : localDate
})
const cyShortDate = perDate((localDate) => {
  const d = DateTime.fromISO(localDate, { zone: 'UTC' })
  return d.isValid ? d.setLocale('cy').toFormat('ccc d MMM') : localDate
})
function cyClockTime(time: string): string {
  const m = /^(\d{2}):(\d{2})$/.exec(time)
  if (!m) return time
  const h = Number(m[1])
  const suffix = t(h < 12 ? 'time.am' : 'time.pm')
  const h12 = h % 12 === 0 ? 12 : h % 12
  return m[2] === '00' ? `${h12}${suffix}` : `${h12}:${m[2]}${suffix}`
}
const welsh: FormatHelpers = Object.freeze({
  ...formatHelpers,
  longDate: cyLongDate,
  shortDate: cyShortDate,
  clockTime: cyClockTime,
  timeRange: (start: string, end: string) => t('time.range', { start: cyClockTime(start), end: cyClockTime(end) }),
  instant: (ms: number, zone = 'Europe/London') => {
    const d = DateTime.fromMillis(ms, { zone })
    return t('time.instant', { date: d.setLocale('cy').toFormat('d MMMM yyyy'), time: cyClockTime(d.toFormat('HH:mm')) })
  },
})

/** The formatting helpers for a language. */
export function formatFor(locale: Locale): FormatHelpers {
  return locale === 'cy' ? welsh : formatHelpers
}
