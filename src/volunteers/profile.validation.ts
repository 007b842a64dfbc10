// The profile forms' rules as pure functions: form values in, clean values or GOV.UK-style messages out.
//
// No database: callers pass what is already stored (the admin's lists, existing windows and time
// off, today's date) so every message can be tested on its own.
import { DateTime } from 'luxon'
import type { FieldError } from '../errors.js'
import { clockTime } from '../views/format.js'
import { asArray, checkName, checkPhone } from './apply.service.js'

export const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const
export const MAX_WINDOWS_PER_DAY = 6
export const MAX_TIME_OFF_RANGES = 50
const MAX_TIME_OFF_DAYS_AHEAD = 2 * 366

export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

function done<T>(errors: FieldError[], value: T): Result<T> {
  return errors.length ? { ok: false, errors } : { ok: true, value }
}

/** Whole positive ids from a repeated form field; null if any value is not one (a tampered form). */
function ids(value: unknown): number[] | null {
  const list = asArray(value)
  if (list.length > 200) return null
  const out: number[] = []
  for (const v of list) {
    if (typeof v !== 'string' || !/^\d{1,9}$/.test(v)) return null
    out.push(Number(v))
  }
  return [...new Set(out)]
}

export function validateDetails(body: Record<string, unknown>): Result<{ name: string; phone: string | null }> {
  const errors: FieldError[] = []
  const name = checkName(body.name, errors)
  const phone = checkPhone(body.phone, errors)
  return done(errors, { name, phone })
}

export function validateSkills(body: Record<string, unknown>, allowed: ReadonlySet<number>): Result<number[]> {
  const chosen = ids(body.skills)
  if (!chosen || chosen.some((id) => !allowed.has(id))) {
    return { ok: false, errors: [{ field: 'skills', message: 'Select skills and languages from the list' }] }
  }
  return { ok: true, value: chosen }
}

export function validateLibraries(body: Record<string, unknown>, allowed: ReadonlySet<number>): Result<{ branchIds: number[]; homeBranchId: number }> {
  const chosen = ids(body.branches)
  if (!chosen || chosen.some((id) => !allowed.has(id))) return { ok: false, errors: [{ field: 'branches', message: 'Select libraries from the list' }] }
  if (chosen.length === 0) return { ok: false, errors: [{ field: 'branches', message: 'Select at least one library you can get to' }] }
  const home = body.home === undefined || body.home === '' ? null : ids(body.home)
  if (home === null) {
    if (chosen.length === 1) return { ok: true, value: { branchIds: chosen, homeBranchId: chosen[0]! } }
    return { ok: false, errors: [{ field: 'home', message: 'Select your home library' }] }
  }
  if (home.length !== 1 || !allowed.has(home[0]!)) return { ok: false, errors: [{ field: 'home', message: 'Select your home library from the list' }] }
  if (!chosen.includes(home[0]!)) {
    return { ok: false, errors: [{ field: 'home', message: 'Your home library must be one of the libraries you can get to' }] }
  }
  return { ok: true, value: { branchIds: chosen, homeBranchId: home[0]! } }
}

/**
 * A time as people type it: "9:30", "09:30", "9.30am", "2pm", "14:00", "noon". Returns 'HH:MM'
 * (24-hour), or null. Without am/pm the hour is read on the 24-hour clock.
 */
export function parseClockTime(input: unknown): string | null {
  if (typeof input !== 'string') return null
  const text = input.trim().toLowerCase().replace(/\s+/g, '')
  if (text === 'noon' || text === 'midday') return '12:00'
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm|a\.m\.|p\.m\.)?$/.exec(text)
  if (!m) return null
  let hour = Number(m[1])
  const minute = m[2] === undefined ? 0 : Number(m[2])
  const suffix = m[3]?.replace(/\./g, '')
  if (minute > 59) return null
  if (suffix) {
    if (hour < 1 || hour > 12) return null
    if (suffix === 'am') hour = hour === 12 ? 0 : hour
    else hour = hour === 12 ? 12 : hour + 12
  } else if (hour > 23) return null
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
}

export interface Window {
  day: number
  start: string
  end: string
}

/**
 * New weekly windows from the "add a time" form, checked against those already stored. The
 * same times on several days add one window a day. Touching windows are fine (9–1 and 1–5).
 */
export function validateNewWindows(body: Record<string, unknown>, existing: readonly Window[]): Result<Window[]> {
  const errors: FieldError[] = []
  const days = ids(body.days)
  if (days === null || days.some((d) => d < 1 || d > 7)) errors.push({ field: 'days', message: 'Select days from the list' })
  else if (days.length === 0) errors.push({ field: 'days', message: 'Select the days you can help' })

  const fromText = typeof body.from === 'string' ? body.from.trim() : ''
  const toText = typeof body.to === 'string' ? body.to.trim() : ''
  const start = parseClockTime(fromText)
  const end = parseClockTime(toText)
  if (!fromText) errors.push({ field: 'from', message: 'Enter the time you can start' })
  else if (!start) errors.push({ field: 'from', message: 'Enter the time you can start like 9:30am or 14:00' })
  if (!toText) errors.push({ field: 'to', message: 'Enter the time you need to finish' })
  else if (!end) errors.push({ field: 'to', message: 'Enter the time you need to finish like 1pm or 17:30' })
  else if (start && end <= start) errors.push({ field: 'to', message: 'The time you finish must be after the time you start' })
  if (errors.length || !days || !start || !end) return { ok: false, errors }

  for (const day of days) {
    const sameDay = existing.filter((w) => w.day === day)
    const overlap = sameDay.find((w) => w.start < end && start < w.end)
    if (overlap) {
      errors.push({
        field: 'from',
        message: `On ${DAY_NAMES[day]} this overlaps ${clockTime(overlap.start)} to ${clockTime(overlap.end)}, which you already have. Change the times, or remove that time first`,
      })
      break
    }
    if (sameDay.length >= MAX_WINDOWS_PER_DAY) {
      errors.push({ field: 'days', message: `You can add up to ${MAX_WINDOWS_PER_DAY} times for each day. Remove one from ${DAY_NAMES[day]} first` })
      break
    }
  }
  return done(
    errors,
    days.sort().map((day) => ({ day, start, end })),
  )
}

interface DateParts {
  day: string
  month: string
  year: string
}

function partsOf(body: Record<string, unknown>, prefix: string): DateParts {
  const get = (k: string) => {
    const v = body[`${prefix}-${k}`]
    return typeof v === 'string' ? v.trim() : ''
  }
  return { day: get('day'), month: get('month'), year: get('year') }
}

/** The GOV.UK date input's rules: what is missing, then whether it is a real date. */
function parseDateParts(parts: DateParts, what: string, field: string, errors: FieldError[]): string | null {
  const missing = (['day', 'month', 'year'] as const).filter((k) => parts[k] === '')
  if (missing.length === 3) {
    errors.push({ field: `${field}-day`, message: `Enter ${what}` })
    return null
  }
  if (missing.length) {
    errors.push({ field: `${field}-${missing[0]}`, message: `${capitalise(what)} must include a ${missing.join(' and ')}` })
    return null
  }
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
  const monthByName = months.indexOf(parts.month.toLowerCase().slice(0, 3)) + 1
  const month = /^\d{1,2}$/.test(parts.month) ? Number(parts.month) : monthByName
  if (!/^\d{1,2}$/.test(parts.day) || month < 1 || !/^\d{4}$/.test(parts.year)) {
    errors.push({ field: `${field}-day`, message: `${capitalise(what)} must be a real date` })
    return null
  }
  const date = DateTime.fromObject({ year: Number(parts.year), month, day: Number(parts.day) }, { zone: 'UTC' })
  if (!date.isValid) {
    errors.push({ field: `${field}-day`, message: `${capitalise(what)} must be a real date` })
    return null
  }
  return date.toISODate()
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * New time off from the start and end date inputs (end left blank: one day). The range may not be
 * wholly in the past, reach more than two years ahead, or overlap time off already recorded.
 */
export function validateTimeOff(
  body: Record<string, unknown>,
  today: string,
  existing: ReadonlyArray<{ start: string; end: string }>,
): Result<{ start: string; end: string; note: string }> {
  const errors: FieldError[] = []
  const start = parseDateParts(partsOf(body, 'start'), 'the date your time off starts', 'start', errors)
  const endParts = partsOf(body, 'end')
  const endBlank = endParts.day === '' && endParts.month === '' && endParts.year === ''
  const end = endBlank ? start : parseDateParts(endParts, 'the date your time off ends', 'end', errors)
  const note = typeof body.note === 'string' ? body.note.trim() : ''
  if (note.length > 100) errors.push({ field: 'note', message: 'Note must be 100 characters or fewer' })
  if (!start || !end) return { ok: false, errors }
  if (end < start) errors.push({ field: 'end-day', message: 'The date your time off ends must be the same as or after the date it starts' })
  else if (end < today) errors.push({ field: 'end-day', message: 'The date your time off ends must be today or in the future' })
  else if (start > DateTime.fromISO(today, { zone: 'UTC' }).plus({ days: MAX_TIME_OFF_DAYS_AHEAD }).toISODate()!) {
    errors.push({ field: 'start-day', message: 'The date your time off starts must be within the next 2 years' })
  }
  if (!errors.length) {
    const overlap = existing.find((r) => r.start <= end && start <= r.end)
    if (overlap) {
      errors.push({
        field: 'start-day',
        message: `You already have time off from ${shortLong(overlap.start)} to ${shortLong(overlap.end)}. Change the dates, or remove that time off first`,
      })
    } else if (existing.length >= MAX_TIME_OFF_RANGES) {
      errors.push({ field: 'start-day', message: `You can have up to ${MAX_TIME_OFF_RANGES} periods of time off. Remove an old one first` })
    }
  }
  return done(errors, { start, end, note })
}

function shortLong(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).setLocale('en-GB').toFormat('d MMMM yyyy')
}

export function validatePreferences(body: Record<string, unknown>): Result<{ maxPerMonth: number; remindersEnabled: boolean }> {
  const errors: FieldError[] = []
  const text = typeof body.maxPerMonth === 'string' ? body.maxPerMonth.trim() : ''
  let maxPerMonth = 0
  if (!text) errors.push({ field: 'maxPerMonth', message: 'Enter the most sessions you want to do in a month' })
  else if (!/^\d{1,3}$/.test(text)) errors.push({ field: 'maxPerMonth', message: 'The most sessions in a month must be a whole number, like 4' })
  else {
    maxPerMonth = Number(text)
    if (maxPerMonth < 1 || maxPerMonth > 31) errors.push({ field: 'maxPerMonth', message: 'The most sessions in a month must be between 1 and 31' })
  }
  const reminders = body.reminders
  if (reminders !== 'yes' && reminders !== 'no') errors.push({ field: 'reminders', message: 'Select yes if you want reminder emails before your sessions' })
  return done(errors, { maxPerMonth, remindersEnabled: reminders === 'yes' })
}
