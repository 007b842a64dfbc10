// The coordinator's session form: reading and checking its fields into a template, its dates, and placing it in the branch's zone.
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import { ValidationError } from '../errors.js'
import { localToInstant, existsInZone } from '../time/wall-clock.js'
import { formatFor } from '../views/format.js'
import { list, text, type FormBody, type FormReader } from '../forms/fields.js'
import { translator, type Locale, type Translate } from '../i18n/i18n.js'
import { SESSION_KINDS } from '../sessions/kinds.js'
import * as repo from './sessions.repository.js'

/** A series may run for up to a year at a time (it can be extended later). */
export const MAX_SERIES_DAYS = 366
/** How far ahead a session (or a series' first week) may be put: beyond that a date is a typo. */
export const MAX_AHEAD_DAYS = 2 * 366
export const TOO_FAR = 'Sessions can be scheduled up to 2 years ahead. Check the year'
const EN = translator('en')

/** How a session form names a field in its errors, in the page's language (planning.names.*). */
export function named(t: Translate, key: string): { label: string; what: string } {
  return { label: t(`planning.names.${key}.label`), what: t(`planning.names.${key}.what`) }
}

/** The page's language for a form's words: English unless the route gives its own. */
export function wordsFor(locale: Locale = 'en'): { t: Translate; locale: Locale } {
  return { t: locale === 'en' ? EN : translator(locale), locale }
}
const MAX_VOLUNTEERS = 50

export interface SessionForm {
  branch?: string
  title?: string
  kind?: string
  repeat?: string
  date?: string
  from?: string
  until?: string
  days?: string[]
  skipped?: string
  start?: string
  end?: string
  required?: string[]
  preferred?: string[]
  trainings?: string[]
  min?: string
  max?: string
  notes?: string
  reason?: string
}

/** The form as typed, for showing it again with errors. */
export function formValues(body: FormBody): SessionForm {
  return {
    branch: text(body.branch),
    title: text(body.title),
    kind: text(body.kind),
    repeat: text(body.repeat),
    date: text(body.date),
    from: text(body.from),
    until: text(body.until),
    days: list(body.days),
    skipped: text(body.skipped),
    start: text(body.start),
    end: text(body.end),
    required: list(body.required),
    preferred: list(body.preferred),
    trainings: list(body.trainings),
    min: text(body.min),
    max: text(body.max),
    notes: text(body.notes),
    reason: text(body.reason),
  }
}

export interface Catalogue {
  skillIds: Set<number>
  trainingIds: Set<number>
}

export async function catalogueOf(tx: Tx | AppContext['db'], libraryServiceId: number): Promise<Catalogue> {
  const c = await repo.catalogue(tx, [libraryServiceId])
  return { skillIds: new Set(c.skills.map((s) => s.id)), trainingIds: new Set(c.trainings.map((t) => t.id)) }
}

/** The parts every session form shares: what the session is, when in the day, who it needs. */
export function readTemplate(form: FormReader, catalogue: Catalogue, t: Translate = EN): repo.SessionTemplate {
  const title = form.line('title', { ...named(t, 'title'), max: 100, required: true })
  const kind = form.oneOf('kind', SESSION_KINDS.map((k) => k.value), named(t, 'kind'))
  const start = form.time('start', { ...named(t, 'start'), required: true })
  const end = form.time('end', { ...named(t, 'end'), required: true })
  if (start && end && end <= start) form.fail('end', t('planning.errors.endAfterStart'))
  const required = form.choices('required', catalogue.skillIds, named(t, 'skills'))
  const preferred = form.choices('preferred', catalogue.skillIds, named(t, 'skills')).filter((id) => !required.includes(id))
  const trainings = form.choices('trainings', catalogue.trainingIds, named(t, 'trainings'))
  const min = form.wholeNumber('min', { ...named(t, 'min'), min: 0, max: MAX_VOLUNTEERS, required: true })
  const max = form.wholeNumber('max', { ...named(t, 'max'), min: 1, max: MAX_VOLUNTEERS, required: true })
  if (min !== null && max !== null && min > max) form.fail('max', t('planning.errors.maxAtLeastMin'))
  const notes = form.paragraph('notes', { ...named(t, 'notes'), max: 2000 })
  return {
    title,
    kind: kind ?? 'drop_in',
    startTime: start,
    endTime: end,
    requiredSkillIds: required,
    preferredSkillIds: preferred,
    requiredTrainingIds: trainings,
    min: min ?? 0,
    max: max ?? 1,
    notes,
  }
}

/** A date on the session form ("the date of the session"); a year past the range is a session too far ahead. */
export function readDate(form: FormReader, field: string, name: 'date' | 'from' | 'until', t: Translate = EN): string {
  return form.date(field, { ...named(t, name), required: true, tooLate: t('planning.errors.tooFar') })
}

/**
 * A session's instants on a date in its branch's zone. A time the clocks skip that day (01:30 on
 * the last Sunday of March in the UK) has no instant: that is the coordinator's to choose again.
 */
export function placeInZone(date: string, t: repo.SessionTemplate, zone: string, locale: Locale = 'en'): repo.NewSession {
  for (const [field, time] of [['start', t.startTime], ['end', t.endTime]] as const) {
    if (!existsInZone(date, time, zone)) {
      throw new ValidationError([
        { field, message: wordsFor(locale).t('planning.errors.clocks', { date: formatFor(locale).longDate(date), time }) },
      ])
    }
  }
  return { date, startsAt: localToInstant(date, t.startTime, zone), endsAt: localToInstant(date, t.endTime, zone) }
}
