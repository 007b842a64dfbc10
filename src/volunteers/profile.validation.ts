// The profile forms' rules as pure functions: form values in, clean values or GOV.UK-style messages out.
//
// No database: callers pass what is already stored (the admin's lists, existing windows and time
// off, today's date) so every message can be tested on its own.
import { LOCALES, type Locale } from '../i18n/i18n.js'
import { DateTime } from 'luxon'
import type { FieldError } from '../errors.js'
import { FormReader, type FormBody } from '../forms/fields.js'
import { readFullName, readPhone } from '../forms/people.js'
import { clockTime } from '../views/format.js'
import { dayName, ISO_WEEKDAYS } from '../time/weekdays.js'

export const MAX_WINDOWS_PER_DAY = 6
export const MAX_TIME_OFF_RANGES = 50
/** Days of the week as the availability form sends them: 1 (Monday) to 7 (Sunday). */
const WEEKDAY_NUMBERS: ReadonlySet<number> = new Set(ISO_WEEKDAYS)
const MAX_TIME_OFF_DAYS_AHEAD = 2 * 366

export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

function done<T>(errors: FieldError[], value: T): Result<T> {
  return errors.length ? { ok: false, errors } : { ok: true, value }
}

export function validateDetails(body: FormBody): Result<{ name: string; phone: string | null }> {
  const form = new FormReader(body)
  const name = readFullName(form)
  const phone = readPhone(form)
  return done(form.errors, { name, phone })
}

export function validateSkills(body: FormBody, allowed: ReadonlySet<number>): Result<number[]> {
  const form = new FormReader(body)
  const chosen = form.choices('skills', allowed, { label: 'Skills', what: 'skills and languages', max: 200 })
  return done(form.errors, chosen)
}

export function validateLibraries(body: FormBody, allowed: ReadonlySet<number>): Result<{ branchIds: number[]; homeBranchId: number }> {
  const form = new FormReader(body)
  const chosen = form.choices('branches', allowed, { label: 'Libraries', what: 'libraries', max: 200 })
  if (!form.ok) return done(form.errors, { branchIds: [], homeBranchId: 0 })
  if (chosen.length === 0) return { ok: false, errors: [{ field: 'branches', message: 'Select at least one library you can get to' }] }
  const home = form.choice('home', allowed, { label: 'Home library', what: 'your home library' })
  if (!form.ok) return done(form.errors, { branchIds: [], homeBranchId: 0 })
  if (home === null) {
    if (chosen.length === 1) return { ok: true, value: { branchIds: chosen, homeBranchId: chosen[0]! } }
    return { ok: false, errors: [{ field: 'home', message: 'Select your home library' }] }
  }
  if (!chosen.includes(home)) {
    return { ok: false, errors: [{ field: 'home', message: 'Your home library must be one of the libraries you can get to' }] }
  }
  return { ok: true, value: { branchIds: chosen, homeBranchId: home } }
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
export function validateNewWindows(body: FormBody, existing: readonly Window[]): Result<Window[]> {
  const form = new FormReader(body)
  const days = form.choices('days', WEEKDAY_NUMBERS, { label: 'Days', what: 'days' })
  if (form.ok && days.length === 0) form.fail('days', 'Select the days you can help')
  const start = form.time('from', { label: 'The time you can start', required: true })
  const end = form.time('to', { label: 'The time you need to finish', required: true })
  if (start && end && end <= start) form.fail('to', 'The time you finish must be after the time you start')
  const errors = form.errors
  if (errors.length) return { ok: false, errors }

  for (const day of days) {
    const sameDay = existing.filter((w) => w.day === day)
    const overlap = sameDay.find((w) => w.start < end && start < w.end)
    if (overlap) {
      errors.push({
        field: 'from',
        message: `On ${dayName(day)} this overlaps ${clockTime(overlap.start)} to ${clockTime(overlap.end)}, which you already have. Change the times, or remove that time first`,
      })
      break
    }
    if (sameDay.length >= MAX_WINDOWS_PER_DAY) {
      errors.push({ field: 'days', message: `You can add up to ${MAX_WINDOWS_PER_DAY} times for each day. Remove one from ${dayName(day)} first` })
      break
    }
  }
  return done(
    errors,
    [...days].sort().map((day) => ({ day, start, end })),
  )
}

/**
 * New time off from the start and end date inputs (end left blank: one day). The range may not be
 * wholly in the past, reach more than two years ahead, or overlap time off already recorded.
 */
export function validateTimeOff(
  body: FormBody,
  today: string,
  existing: ReadonlyArray<{ start: string; end: string }>,
): Result<{ start: string; end: string; note: string }> {
  const form = new FormReader(body)
  const start = form.dateParts('start', { label: 'The date your time off starts', required: true })
  const endBlank = ['end-day', 'end-month', 'end-year'].every((k) => typeof body[k] !== 'string' || (body[k] as string).trim() === '')
  const end = endBlank ? start : form.dateParts('end', { label: 'The date your time off ends', required: true })
  const note = form.line('note', { label: 'Note', max: 100 })
  const errors = form.errors
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

export function validatePreferences(body: FormBody): Result<{ maxPerMonth: number; remindersEnabled: boolean; groupMessagesEnabled?: boolean; language?: Locale }> {
  const form = new FormReader(body)
  const maxPerMonth = form.wholeNumber('maxPerMonth', { label: 'The most sessions in a month', what: 'the most sessions you want to do in a month', min: 1, max: 31, required: true })
  const reminders = form.oneOf('reminders', ['yes', 'no'] as const, { label: 'Reminders', what: 'yes if you want reminder emails before your sessions' })
  // Absent (a form from before the question existed): left as it is.
  const groupMessages = body.groupMessages !== undefined ? form.oneOf('groupMessages', ['yes', 'no'] as const, { label: 'Messages from coordinators', what: 'yes if you want messages from coordinators to volunteers of your libraries' }) : undefined
  const language = body.language !== undefined ? form.oneOf('language', LOCALES, { label: 'Language', what: 'the language you want your emails and calendar invitations in' }) : undefined
  return done(form.errors, {
    maxPerMonth: maxPerMonth ?? 0,
    remindersEnabled: reminders === 'yes',
    ...(groupMessages === undefined ? {} : { groupMessagesEnabled: groupMessages === 'yes' }),
    ...(language === undefined || language === null ? {} : { language }),
  })
}
