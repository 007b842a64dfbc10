// The coordinator's session form: reading and checking its fields into a template, its dates, and placing it in the branch's zone.
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import type { SessionKind } from '../db/schema.js'
import { ValidationError, type FieldError } from '../errors.js'
import { localToInstant, todayIn, existsInZone, DEFAULT_ZONE } from '../time/wall-clock.js'
import { longDate } from '../views/format.js'
import * as forms from './forms.js'
import { KINDS } from './session-wording.js'
import * as repo from './sessions.repository.js'

/** A series may run for up to a year at a time (it can be extended later). */
export const MAX_SERIES_DAYS = 366
/** How far ahead a session (or a series' first week) may be put: beyond that a date is a typo. */
export const MAX_AHEAD_DAYS = 2 * 366
export const TOO_FAR = 'Sessions can be scheduled up to 2 years ahead. Check the year'
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
export function formValues(body: forms.FormBody): SessionForm {
  return {
    branch: forms.text(body.branch),
    title: forms.text(body.title),
    kind: forms.text(body.kind),
    repeat: forms.text(body.repeat),
    date: forms.text(body.date),
    from: forms.text(body.from),
    until: forms.text(body.until),
    days: forms.list(body.days),
    skipped: forms.text(body.skipped),
    start: forms.text(body.start),
    end: forms.text(body.end),
    required: forms.list(body.required),
    preferred: forms.list(body.preferred),
    trainings: forms.list(body.trainings),
    min: forms.text(body.min),
    max: forms.text(body.max),
    notes: forms.text(body.notes),
    reason: forms.text(body.reason),
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
export function validateTemplate(body: forms.FormBody, catalogue: Catalogue, errors: FieldError[]): repo.SessionTemplate {
  const title = forms.text(body.title).replace(/\s+/g, ' ')
  if (!title) errors.push({ field: 'title', message: 'Enter a title for the session' })
  else if (title.length > 100) errors.push({ field: 'title', message: 'Title must be 100 characters or fewer' })
  const kind = forms.text(body.kind) as SessionKind
  if (!KINDS.some((k) => k.value === kind)) errors.push({ field: 'kind', message: 'Select what kind of session it is' })
  const start = forms.time(body.start)
  const end = forms.time(body.end)
  if (start === '') errors.push({ field: 'start', message: 'Enter a start time, like 10:00' })
  else if (start === null) errors.push({ field: 'start', message: 'Start time must be a real time, like 10:00 or 14:30' })
  if (end === '') errors.push({ field: 'end', message: 'Enter an end time, like 12:00' })
  else if (end === null) errors.push({ field: 'end', message: 'End time must be a real time, like 12:00 or 16:30' })
  else if (start && end <= start) errors.push({ field: 'end', message: 'End time must be after the start time' })
  const required = forms.ids(body.required)
  const preferred = forms.ids(body.preferred).filter((id) => !required.includes(id))
  const trainings = forms.ids(body.trainings)
  if (required.some((id) => !catalogue.skillIds.has(id))) errors.push({ field: 'required', message: 'Select skills from the list' })
  if (preferred.some((id) => !catalogue.skillIds.has(id))) errors.push({ field: 'preferred', message: 'Select skills from the list' })
  if (trainings.some((id) => !catalogue.trainingIds.has(id))) errors.push({ field: 'trainings', message: 'Select trainings from the list' })
  const min = forms.wholeNumber(body.min)
  const max = forms.wholeNumber(body.max)
  if (min === null) errors.push({ field: 'min', message: 'Enter the fewest volunteers the session needs' })
  else if (Number.isNaN(min) || min < 0 || min > MAX_VOLUNTEERS) errors.push({ field: 'min', message: `The fewest volunteers must be a whole number from 0 to ${MAX_VOLUNTEERS}` })
  if (max === null) errors.push({ field: 'max', message: 'Enter the most volunteers the session can use' })
  else if (Number.isNaN(max) || max < 1 || max > MAX_VOLUNTEERS) errors.push({ field: 'max', message: `The most volunteers must be a whole number from 1 to ${MAX_VOLUNTEERS}` })
  else if (min !== null && !Number.isNaN(min) && min > max) errors.push({ field: 'max', message: 'The most volunteers must be at least the fewest it needs' })
  const notes = forms.text(body.notes)
  if (notes.length > 2000) errors.push({ field: 'notes', message: 'Notes must be 2,000 characters or fewer' })
  return {
    title,
    kind,
    startTime: start || '',
    endTime: end || '',
    requiredSkillIds: required,
    preferredSkillIds: preferred,
    requiredTrainingIds: trainings,
    min: min ?? 0,
    max: max ?? 1,
    notes,
  }
}

export function dateField(body: forms.FormBody, field: string, what: string, errors: FieldError[]): string {
  const d = forms.date(body[field])
  if (d === '') errors.push({ field, message: `Enter ${what}` })
  else if (d === null) errors.push({ field, message: `${what[0]!.toUpperCase()}${what.slice(1).replace(/^the /, '')} must be a real date, like 8/12/2026` })
  return d || ''
}

/**
 * A session's instants on a date in its branch's zone. A time the clocks skip that day (01:30 on
 * the last Sunday of March in the UK) has no instant: that is the coordinator's to choose again.
 */
export function placeInZone(date: string, t: repo.SessionTemplate, zone: string): repo.NewSession {
  for (const [field, time] of [['start', t.startTime], ['end', t.endTime]] as const) {
    if (!existsInZone(date, time, zone)) {
      throw new ValidationError([
        { field, message: `The clocks go forward on ${longDate(date)}, so ${time} does not exist at this branch that day. Choose another time, or skip that date` },
      ])
    }
  }
  return { date, startsAt: localToInstant(date, t.startTime, zone), endsAt: localToInstant(date, t.endTime, zone) }
}

export function todayForForms(ctx: AppContext): string {
  return todayIn(ctx.clock.now(), DEFAULT_ZONE)
}
