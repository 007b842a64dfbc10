// The profile forms' rules as pure functions: form values in, clean values or GOV.UK-style messages out.
//
// No database: callers pass what is already stored (the admin's lists, existing windows and time
// off, today's date) so every message can be tested on its own.
import { LOCALES, translator, type Locale, type Translate } from '../i18n/i18n.js'
import { DateTime } from 'luxon'
import type { FieldError } from '../errors.js'
import { FormReader, sayIn, type FormBody } from '../forms/fields.js'
import { readFullName, readPhone } from '../forms/people.js'
import { formatFor } from '../views/format.js'
import { ISO_WEEKDAYS } from '../time/weekdays.js'

export const MAX_WINDOWS_PER_DAY = 6
export const MAX_TIME_OFF_RANGES = 50
/** Days of the week as the availability form sends them: 1 (Monday) to 7 (Sunday). */
const WEEKDAY_NUMBERS: ReadonlySet<number> = new Set(ISO_WEEKDAYS)
const MAX_TIME_OFF_DAYS_AHEAD = 2 * 366

export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

/** A form read in a language: its messages, and the labels the rules give, from the catalogue. */
function reader(body: FormBody, locale: Locale): { form: FormReader; t: Translate } {
  const t = translator(locale)
  return { form: new FormReader(body, sayIn(t)), t }
}

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** An ISO day's name in a language: as a label or at the start of a sentence ("Monday", "Dydd Llun"). */
export function dayLabel(t: Translate, isoDay: number): string {
  return t(`profile.days.${DAY_KEYS[isoDay - 1]}`)
}

/** An ISO day's name inside a sentence ("Monday", "dydd Llun"). */
function dayInSentence(t: Translate, isoDay: number): string {
  return t(`volunteer.match.days.${DAY_KEYS[isoDay - 1]}`)
}

function done<T>(errors: FieldError[], value: T): Result<T> {
  return errors.length ? { ok: false, errors } : { ok: true, value }
}

export function validateDetails(body: FormBody, locale: Locale = 'en'): Result<{ name: string; phone: string | null }> {
  const { form, t } = reader(body, locale)
  const name = readFullName(form, 'name', t)
  const phone = readPhone(form, 'phone', t)
  return done(form.errors, { name, phone })
}

export function validateSkills(body: FormBody, allowed: ReadonlySet<number>, locale: Locale = 'en'): Result<number[]> {
  const { form, t } = reader(body, locale)
  const chosen = form.choices('skills', allowed, { label: t('profile.skills.label'), what: t('profile.skills.what'), max: 200 })
  return done(form.errors, chosen)
}

export function validateLibraries(body: FormBody, allowed: ReadonlySet<number>, locale: Locale = 'en'): Result<{ branchIds: number[]; homeBranchId: number }> {
  const { form, t } = reader(body, locale)
  const chosen = form.choices('branches', allowed, { label: t('profile.libraries.label'), what: t('profile.libraries.what'), max: 200 })
  if (!form.ok) return done(form.errors, { branchIds: [], homeBranchId: 0 })
  if (chosen.length === 0) return { ok: false, errors: [{ field: 'branches', message: t('profile.libraries.atLeastOne') }] }
  const home = form.choice('home', allowed, { label: t('profile.libraries.homeLabel'), what: t('profile.libraries.homeWhat') })
  if (!form.ok) return done(form.errors, { branchIds: [], homeBranchId: 0 })
  if (home === null) {
    if (chosen.length === 1) return { ok: true, value: { branchIds: chosen, homeBranchId: chosen[0]! } }
    return { ok: false, errors: [{ field: 'home', message: t('profile.libraries.selectHome') }] }
  }
  if (!chosen.includes(home)) {
    return { ok: false, errors: [{ field: 'home', message: t('profile.libraries.homeAmong') }] }
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
export function validateNewWindows(body: FormBody, existing: readonly Window[], locale: Locale = 'en'): Result<Window[]> {
  const { form, t } = reader(body, locale)
  const days = form.choices('days', WEEKDAY_NUMBERS, { label: t('profile.availability.daysLabel'), what: t('profile.availability.daysWhat') })
  if (form.ok && days.length === 0) form.fail('days', t('profile.availability.selectDays'))
  const start = form.time('from', { label: t('profile.availability.startLabel'), required: true })
  const end = form.time('to', { label: t('profile.availability.endLabel'), required: true })
  if (start && end && end <= start) form.fail('to', t('profile.availability.finishAfter'))
  const { clockTime } = formatFor(locale)
  const errors = form.errors
  if (errors.length) return { ok: false, errors }

  for (const day of days) {
    const sameDay = existing.filter((w) => w.day === day)
    const overlap = sameDay.find((w) => w.start < end && start < w.end)
    if (overlap) {
      errors.push({
        field: 'from',
        message: t('profile.availability.overlap', { day: dayLabel(t, day), start: clockTime(overlap.start), end: clockTime(overlap.end) }),
      })
      break
    }
    if (sameDay.length >= MAX_WINDOWS_PER_DAY) {
      errors.push({ field: 'days', message: t('profile.availability.tooMany', { max: MAX_WINDOWS_PER_DAY, day: dayInSentence(t, day) }) })
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
  locale: Locale = 'en',
): Result<{ start: string; end: string; note: string }> {
  const { form, t } = reader(body, locale)
  const start = form.dateParts('start', { label: t('profile.timeOff.startLabel'), required: true })
  const endBlank = ['end-day', 'end-month', 'end-year'].every((k) => typeof body[k] !== 'string' || (body[k] as string).trim() === '')
  const end = endBlank ? start : form.dateParts('end', { label: t('profile.timeOff.endLabel'), required: true })
  const note = form.line('note', { label: t('profile.timeOff.noteLabel'), max: 100 })
  const errors = form.errors
  if (!start || !end) return { ok: false, errors }
  if (end < start) errors.push({ field: 'end-day', message: t('profile.timeOff.endBeforeStart') })
  else if (end < today) errors.push({ field: 'end-day', message: t('profile.timeOff.endPast') })
  else if (start > DateTime.fromISO(today, { zone: 'UTC' }).plus({ days: MAX_TIME_OFF_DAYS_AHEAD }).toISODate()!) {
    errors.push({ field: 'start-day', message: t('profile.timeOff.tooFar') })
  }
  if (!errors.length) {
    const overlap = existing.find((r) => r.start <= end && start <= r.end)
    if (overlap) {
      errors.push({
        field: 'start-day',
        message: t('profile.timeOff.overlap', { start: shortLong(overlap.start, locale), end: shortLong(overlap.end, locale) }),
      })
    } else if (existing.length >= MAX_TIME_OFF_RANGES) {
      errors.push({ field: 'start-day', message: t('profile.timeOff.tooMany', { max: MAX_TIME_OFF_RANGES }) })
    }
  }
  return done(errors, { start, end, note })
}

function shortLong(date: string, locale: Locale): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).setLocale(locale === 'cy' ? 'cy' : 'en-GB').toFormat('d MMMM yyyy')
}

export function validatePreferences(body: FormBody, locale: Locale = 'en'): Result<{ maxPerMonth: number; remindersEnabled: boolean; groupMessagesEnabled?: boolean; language?: Locale }> {
  const { form, t } = reader(body, locale)
  const maxPerMonth = form.wholeNumber('maxPerMonth', { label: t('profile.preferences.mostLabel'), what: t('profile.preferences.mostWhat'), min: 1, max: 31, required: true })
  const reminders = form.oneOf('reminders', ['yes', 'no'] as const, { label: t('profile.preferences.remindersLabel'), what: t('profile.preferences.remindersWhat') })
  // Absent (a form from before the question existed): left as it is.
  const groupMessages = body.groupMessages !== undefined ? form.oneOf('groupMessages', ['yes', 'no'] as const, { label: t('profile.preferences.messagesLabel'), what: t('profile.preferences.messagesWhat') }) : undefined
  const language = body.language !== undefined ? form.oneOf('language', LOCALES, { label: t('profile.preferences.languageLabel'), what: t('profile.preferences.languageWhat') }) : undefined
  return done(form.errors, {
    maxPerMonth: maxPerMonth ?? 0,
    remindersEnabled: reminders === 'yes',
    ...(groupMessages === undefined ? {} : { groupMessagesEnabled: groupMessages === 'yes' }),
    ...(language === undefined || language === null ? {} : { language }),
  })
}
