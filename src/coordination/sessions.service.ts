// Scheduling: one-off sessions and weekly series, editing one or "this and all future", cancelling one or the rest — and telling only those affected.
//
// Series dates come from the rrule library (src/time/recurrence.ts) as calendar days; each
// session's start and end are then placed in the branch's own zone with Luxon, so a weekly 10:00
// session is 10:00 local before and after the clock changes. Past sessions are never touched:
// "this and all future" starts at the chosen session. Changes that would break a rule for
// someone already confirmed (a skill they lack, their time off, a clash) are refused with names.
import rrule from 'rrule'
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import type { SessionKind } from '../db/schema.js'
import type { SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { ValidationError, UserError, type FieldError } from '../errors.js'
import { audit } from '../audit/audit.repository.js'
import { weeklyDates, weeklyRRule, WEEKDAYS, type Weekday } from '../time/recurrence.js'
import { localToInstant, todayIn, addDays, existsInZone, DEFAULT_ZONE } from '../time/wall-clock.js'
import { checkRules, type Rule, type SessionNeeds } from '../matching/eligibility.js'
import * as places from '../assignments/assignments.repository.js'
import { cancelPlacesOfSessionInTx, monthWindow } from '../assignments/places.service.js'
import { queueSessionUpdate } from '../notifications/notify.js'
import { longDate, timeRange } from '../views/format.js'
import { branchInScope, assertSessionInScope } from './scope.js'
import * as forms from './forms.js'
import * as repo from './sessions.repository.js'
import { withdrawPendingInvitationsInTx } from './invitations.service.js'

const { RRule } = rrule

export const KINDS: ReadonlyArray<{ value: SessionKind; label: string; hint: string }> = [
  { value: 'drop_in', label: 'Drop-in', hint: 'People come when they like' },
  { value: 'one_to_one', label: 'Booked 1:1', hint: 'Appointments with one person at a time' },
  { value: 'group_class', label: 'Group class', hint: 'A class for several learners' },
]

export const DAY_LABELS: Record<Weekday, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' }

/** A series may run for up to a year at a time (it can be extended later). */
const MAX_SERIES_DAYS = 366
/** How far ahead a session (or a series' first week) may be put: beyond that a date is a typo. */
const MAX_AHEAD_DAYS = 2 * 366
const TOO_FAR = 'Sessions can be scheduled up to 2 years ahead. Check the year'
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

interface Catalogue {
  skillIds: Set<number>
  trainingIds: Set<number>
}

async function catalogueOf(tx: Tx | AppContext['db'], libraryServiceId: number): Promise<Catalogue> {
  const c = await repo.catalogue(tx, [libraryServiceId])
  return { skillIds: new Set(c.skills.map((s) => s.id)), trainingIds: new Set(c.trainings.map((t) => t.id)) }
}

/** The parts every session form shares: what the session is, when in the day, who it needs. */
function validateTemplate(body: forms.FormBody, catalogue: Catalogue, errors: FieldError[]): repo.SessionTemplate {
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

function dateField(body: forms.FormBody, field: string, what: string, errors: FieldError[]): string {
  const d = forms.date(body[field])
  if (d === '') errors.push({ field, message: `Enter ${what}` })
  else if (d === null) errors.push({ field, message: `${what[0]!.toUpperCase()}${what.slice(1).replace(/^the /, '')} must be a real date, like 8/12/2026` })
  return d || ''
}

/**
 * A session's instants on a date in its branch's zone. A time the clocks skip that day (01:30 on
 * the last Sunday of March in the UK) has no instant: that is the coordinator's to choose again.
 */
function placeInZone(date: string, t: repo.SessionTemplate, zone: string): repo.NewSession {
  for (const [field, time] of [['start', t.startTime], ['end', t.endTime]] as const) {
    if (!existsInZone(date, time, zone)) {
      throw new ValidationError([
        { field, message: `The clocks go forward on ${longDate(date)}, so ${time} does not exist at this branch that day. Choose another time, or skip that date` },
      ])
    }
  }
  return { date, startsAt: localToInstant(date, t.startTime, zone), endsAt: localToInstant(date, t.endTime, zone) }
}

export interface Created {
  sessionIds: number[]
  seriesId: number | null
}

/** Creates a one-off session or a weekly series from the form. */
export async function createSessions(ctx: AppContext, user: SignedInUser, body: forms.FormBody): Promise<Created> {
  const errors: FieldError[] = []
  const branchId = forms.id(body.branch)
  // Without a branch the rest is still checked (every mistake at once), in the branch's default zone.
  const branch = branchId === null ? null : await branchInScope(ctx.db, user, branchId)
  if (!branch) errors.push({ field: 'branch', message: 'Select the branch' })
  const catalogue = branch ? await catalogueOf(ctx.db, branch.library_service_id) : { skillIds: new Set<number>(), trainingIds: new Set<number>() }
  const template = validateTemplate(body, catalogue, errors)
  const now = ctx.clock.now()
  const zone = branch?.timezone ?? DEFAULT_ZONE
  const today = todayIn(now, zone)
  const repeat = forms.text(body.repeat)
  if (repeat !== 'once' && repeat !== 'weekly') errors.push({ field: 'repeat', message: 'Select whether the session happens once or every week' })

  let dated: repo.NewSession[] = []
  let series: { rrule: string; startsOn: string; untilOn: string; skipped: string[] } | null = null
  if (repeat === 'once') {
    const date = dateField(body, 'date', 'the date of the session', errors)
    if (date && date < today) errors.push({ field: 'date', message: 'The date must be today or in the future' })
    else if (date && date > addDays(today, MAX_AHEAD_DAYS)) errors.push({ field: 'date', message: TOO_FAR })
    if (!errors.length) {
      const placed = placeInZone(date, template, zone)
      if (placed.startsAt <= now) errors.push({ field: 'start', message: 'The start time has already passed today' })
      dated = [placed]
    }
  } else if (repeat === 'weekly') {
    const from = dateField(body, 'from', 'the date of the first week', errors)
    const until = dateField(body, 'until', 'the date the series ends', errors)
    const days = forms.list(body.days).filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d))
    if (days.length === 0) errors.push({ field: 'days', message: 'Select the days of the week the session runs' })
    const skipped = forms.dates(body.skipped)
    if (skipped.bad !== null) errors.push({ field: 'skipped', message: `“${skipped.bad.slice(0, 30)}” is not a date. Enter skipped dates like 25/12/2026, one on each line` })
    if (from && from < today) errors.push({ field: 'from', message: 'The first week must start today or later' })
    else if (from && from > addDays(today, MAX_AHEAD_DAYS)) errors.push({ field: 'from', message: TOO_FAR })
    if (from && until && until < from) errors.push({ field: 'until', message: 'The end date must be on or after the start date' })
    else if (from && until && addDays(from, MAX_SERIES_DAYS) < until) errors.push({ field: 'until', message: 'A series can run for up to a year. Choose an earlier end date; you can extend it later' })
    if (!errors.length) {
      const rule = { startsOn: from, untilOn: until, days }
      const dates = weeklyDates(rule, skipped.dates)
      if (dates.length === 0) errors.push({ field: 'days', message: 'No sessions fall on those days between those dates' })
      dated = dates.map((d) => placeInZone(d, template, zone)).filter((d) => d.startsAt > now)
      if (dates.length && dated.length === 0) errors.push({ field: 'start', message: 'The start time has already passed' })
      series = { rrule: weeklyRRule(rule), startsOn: from, untilOn: until, skipped: skipped.dates }
    }
  }
  if (errors.length || !branch) throw new ValidationError(errors)

  return inTransaction(ctx.db, async (tx) => {
    const seriesId = series
      ? await repo.insertSeries(tx, { branchId: branch.id, rrule: series.rrule, startsOn: series.startsOn, untilOn: series.untilOn, skipped: series.skipped, template, createdBy: user.personId, now })
      : null
    const sessionIds = await repo.insertSessions(tx, branch.id, seriesId, template, dated, now)
    await audit(tx, {
      actorPersonId: user.personId,
      libraryServiceId: branch.library_service_id,
      action: seriesId ? 'series.created' : 'session.created',
      objectType: seriesId ? 'series' : 'session',
      objectId: seriesId ?? sessionIds[0]!,
      detail: { branchId: branch.id, sessions: sessionIds.length, title: template.title },
      at: now,
    })
    return { sessionIds, seriesId }
  })
}

/** The session as a form's starting values. */
export async function editFormValues(ctx: AppContext, sessionId: number): Promise<SessionForm & { seriesUntil?: string }> {
  const s = await repo.findSession(ctx.db, sessionId)
  if (!s) throw new UserError('There is no such session', 404)
  const req = await repo.requirementsOf(ctx.db, sessionId)
  const series = s.series_id ? await repo.findSeries(ctx.db, s.series_id) : null
  return {
    title: s.title,
    kind: s.kind,
    date: s.local_date,
    until: series?.until_on ?? '',
    start: s.start_time,
    end: s.end_time,
    required: req.required.map(String),
    preferred: req.preferred.map(String),
    trainings: req.trainings.map(String),
    min: String(s.min_volunteers),
    max: String(s.max_volunteers),
    notes: s.notes,
  }
}

/** What changed that a confirmed volunteer would want to know, in words for the update email. */
function describeChange(before: repo.SessionRow, t: repo.SessionTemplate, date: string): string | null {
  const parts: string[] = []
  if (date !== before.local_date) parts.push(`it is now on ${longDate(date)} (it was ${longDate(before.local_date)})`)
  if (t.startTime !== before.start_time || t.endTime !== before.end_time) {
    parts.push(`it now runs ${timeRange(t.startTime, t.endTime)} (it was ${timeRange(before.start_time, before.end_time)})`)
  }
  if (t.title !== before.title) parts.push(`it is now called “${t.title}”`)
  if (t.notes !== before.notes) parts.push('the notes for volunteers have changed')
  return parts.length ? parts.join('; ') : null
}

function weekdaysOf(rule: string): Weekday[] {
  const options = RRule.parseString(rule)
  const raw = Array.isArray(options.byweekday) ? options.byweekday : options.byweekday !== undefined && options.byweekday !== null ? [options.byweekday] : []
  return raw.map((d) => WEEKDAYS[typeof d === 'number' ? d : (d as { weekday: number }).weekday]!).filter(Boolean)
}

export interface Edited {
  sessions: number
  emailed: number
  added: number
  cancelled: number
}

/**
 * Edits one session, or this and every later session of its series. Refuses, naming them, if
 * anyone confirmed would be left over the maximum, lacking a required skill or training, on
 * time off, or on two sessions at once.
 */
export async function editSessions(ctx: AppContext, user: SignedInUser, sessionId: number, scope: 'one' | 'future', body: forms.FormBody): Promise<Edited> {
  const { branch } = await assertSessionInScope(ctx.db, user, sessionId)
  const errors: FieldError[] = []
  const template = validateTemplate(body, await catalogueOf(ctx.db, branch.library_service_id), errors)
  const now = ctx.clock.now()
  const current = await repo.findSession(ctx.db, sessionId)
  if (!current) throw new UserError('There is no such session', 404)
  if (current.status === 'cancelled') throw new UserError('This session has been cancelled, so it cannot be changed', 409)
  if (current.starts_at <= now) throw new UserError('This session has already started, so it cannot be changed', 409)
  if (scope === 'future' && current.series_id === null) throw new UserError('This session is not part of a series', 400)
  const today = todayIn(now, branch.timezone)
  let date = current.local_date
  let until: string | null = null
  if (scope === 'one') {
    date = dateField(body, 'date', 'the date of the session', errors)
    if (date && date < today) errors.push({ field: 'date', message: 'The date must be today or in the future' })
    else if (date && date > addDays(today, MAX_AHEAD_DAYS)) errors.push({ field: 'date', message: TOO_FAR })
  } else {
    until = dateField(body, 'until', 'the date the series ends', errors)
    if (until && until < current.local_date) errors.push({ field: 'until', message: `The series must run at least until this session, ${longDate(current.local_date)}` })
    else if (until && addDays(current.local_date, MAX_SERIES_DAYS) < until) errors.push({ field: 'until', message: 'A series can run for up to a year from here. Choose an earlier end date' })
  }
  if (errors.length) throw new ValidationError(errors)
  if (scope === 'one' && localToInstant(date, template.startTime, branch.timezone) <= now) {
    throw new ValidationError([{ field: 'start', message: 'That time has already passed' }])
  }

  const result = await inTransaction(ctx.db, async (tx) => {
    const targets = scope === 'one' ? [current] : (await repo.seriesSessionsFrom(tx, current.series_id!, current.local_date)).filter((s) => s.starts_at > now)
    const series = current.series_id ? await repo.findSeries(tx, current.series_id) : null
    // Sessions of the series after the new end are cancelled; new weeks up to it are added.
    const keep = until ? targets.filter((s) => s.local_date <= until!) : targets
    const drop = until ? targets.filter((s) => s.local_date > until!) : []
    for (const s of targets) await places.lockSession(tx, s.id)
    const planned = keep.map((s) => ({ before: s, when: placeInZone(scope === 'one' ? date : s.local_date, template, branch.timezone) }))
    await refuseIfConfirmedWouldBreak(tx, ctx, planned, template)
    let emailed = 0
    for (const { before, when } of planned) {
      await repo.updateSession(tx, before.id, template, when, now)
      const change = describeChange(before, template, when.date)
      if (change && before.confirmed_count > 0) emailed += await queueSessionUpdate(tx, ctx, before.id, change)
    }
    let cancelled = 0
    for (const s of drop) {
      emailed += await cancelOneInTx(tx, ctx, s.id, user.personId, 'The series now ends earlier')
      cancelled++
    }
    let added = 0
    if (scope === 'future' && series) {
      const days = weekdaysOf(series.rrule)
      const skipped = JSON.parse(series.skipped_dates) as string[]
      const existing = await repo.seriesDates(tx, series.id)
      if (until! > series.until_on) {
        const newDates = weeklyDates({ startsOn: addDays(series.until_on, 1), untilOn: until!, days }, skipped).filter((d) => !existing.has(d))
        const dated = newDates.map((d) => placeInZone(d, template, branch.timezone)).filter((d) => d.startsAt > now)
        added = (await repo.insertSessions(tx, branch.id, series.id, template, dated, now)).length
      }
      const rule = weeklyRRule({ startsOn: series.starts_on, untilOn: until!, days })
      await repo.updateSeriesTemplate(tx, series.id, template, { untilOn: until!, rrule: rule }, now)
    }
    await audit(tx, {
      actorPersonId: user.personId,
      libraryServiceId: branch.library_service_id,
      action: scope === 'one' ? 'session.edited' : 'series.edited-from',
      objectType: 'session',
      objectId: sessionId,
      detail: { sessions: planned.length, cancelled, added, emailed },
      at: now,
    })
    return { sessions: planned.length, emailed, added, cancelled }
  })
  return result
}

const KEEP_FOR_CONFIRMED: readonly Rule[] = ['skills', 'training', 'time_off', 'clash']

async function refuseIfConfirmedWouldBreak(
  tx: Tx,
  ctx: AppContext,
  planned: ReadonlyArray<{ before: repo.SessionRow; when: repo.NewSession }>,
  t: repo.SessionTemplate,
): Promise<void> {
  const problems: string[] = []
  const confirmedBy = new Map<number, number[]>()
  for (const { before } of planned) {
    if (before.confirmed_count > t.max) {
      problems.push(`${before.confirmed_count} volunteers are confirmed on ${longDate(before.local_date)}, more than ${t.max}. Remove someone from that session first`)
    }
    if (before.confirmed_count === 0) continue
    const people = await repo.peopleOnSession(tx, before.id)
    for (const p of people.filter((x) => places.PLACE_STATES.includes(x.state))) confirmedBy.set(p.volunteer_id, [...(confirmedBy.get(p.volunteer_id) ?? []), before.id])
  }
  if (confirmedBy.size) {
    const volunteerIds = [...confirmedBy.keys()].sort((a, b) => a - b)
    for (const v of volunteerIds) await places.lockVolunteer(tx, v)
    const from = Math.min(...planned.map((p) => Math.min(p.when.startsAt, p.before.starts_at))) - 2 * 86_400_000
    const until = Math.max(...planned.map((p) => Math.max(p.when.endsAt, p.before.ends_at))) + 2 * 86_400_000
    const profiles = await places.loadProfiles(tx, volunteerIds, from, until)
    const names = await places.loadNames(tx, planned[0]!.before.library_service_id)
    const moved = new Map(planned.map((p) => [p.before.id, p]))
    for (const [volunteerId, sessionIds] of confirmedBy) {
      const profile = profiles.get(volunteerId)
      if (!profile) continue
      // Their commitments as they would be after the change.
      const commitments = profile.commitments.map((c) => {
        const m = moved.get(c.sessionId)
        return m ? { ...c, startsAt: m.when.startsAt, endsAt: m.when.endsAt, localDate: m.when.date } : c
      })
      for (const sessionId of sessionIds) {
        const { before, when } = moved.get(sessionId)!
        const needs: SessionNeeds = {
          id: before.id,
          branchId: before.branch_id,
          seriesId: before.series_id,
          title: t.title,
          localDate: when.date,
          startTime: t.startTime,
          endTime: t.endTime,
          startsAt: when.startsAt,
          endsAt: when.endsAt,
          requiredSkillIds: t.requiredSkillIds,
          preferredSkillIds: t.preferredSkillIds,
          requiredTrainingIds: t.requiredTrainingIds,
          min: t.min,
          max: t.max,
          confirmed: before.confirmed_count,
        }
        for (const f of checkRules({ ...profile, commitments }, needs, names, KEEP_FOR_CONFIRMED)) {
          problems.push(`${profile.name} is confirmed on ${longDate(when.date)} and ${f.toCoordinator}. Remove them from that session first, or change it differently`)
        }
      }
    }
  }
  if (problems.length) throw new UserError(problems.slice(0, 5).join('. ') + (problems.length > 5 ? `. And ${problems.length - 5} more.` : '.'), 409)
}

/** Cancels one session inside a transaction: each confirmed volunteer gets a calendar cancellation. Returns how many were emailed. */
export async function cancelOneInTx(tx: Tx, ctx: AppContext, sessionId: number, actorPersonId: number, reason: string): Promise<number> {
  const now = ctx.clock.now()
  const session = await places.lockSession(tx, sessionId)
  if (!session || session.status === 'cancelled') return 0
  await repo.markCancelled(tx, sessionId, now)
  await withdrawPendingInvitationsInTx(tx, ctx, sessionId, actorPersonId, reason ? `The session was cancelled: ${reason}` : 'The session was cancelled')
  // The places on it are cancelled by the places module (counts, calendar cancellations, the waiting list told).
  return cancelPlacesOfSessionInTx(tx, ctx, sessionId, actorPersonId, reason)
}

export interface Cancelled {
  sessions: number
  emailed: number
}

/** Cancels one session, or it and the rest of its series (never the past). */
export async function cancelSessions(ctx: AppContext, user: SignedInUser, sessionId: number, scope: 'one' | 'rest', reasonInput: unknown): Promise<Cancelled> {
  const { branch } = await assertSessionInScope(ctx.db, user, sessionId)
  const reason = forms.text(reasonInput).slice(0, 500)
  const now = ctx.clock.now()
  const current = await repo.findSession(ctx.db, sessionId)
  if (!current) throw new UserError('There is no such session', 404)
  if (current.status === 'cancelled' && scope === 'one') throw new UserError('This session is already cancelled', 409)
  if (current.starts_at <= now) throw new UserError('This session has already started, so it cannot be cancelled', 409)
  if (scope === 'rest' && current.series_id === null) throw new UserError('This session is not part of a series', 400)
  return inTransaction(ctx.db, async (tx) => {
    const targets = scope === 'one' ? [current] : (await repo.seriesSessionsFrom(tx, current.series_id!, current.local_date)).filter((s) => s.starts_at > now)
    let emailed = 0
    for (const s of targets) emailed += await cancelOneInTx(tx, ctx, s.id, user.personId, reason)
    if (scope === 'rest') {
      const series = await repo.findSeries(tx, current.series_id!)
      const newUntil = addDays(current.local_date, -1)
      if (series && newUntil >= series.starts_on) {
        await repo.setSeriesUntil(tx, series.id, newUntil, weeklyRRule({ startsOn: series.starts_on, untilOn: newUntil, days: weekdaysOf(series.rrule) }), now)
      }
    }
    await audit(tx, {
      actorPersonId: user.personId,
      libraryServiceId: branch.library_service_id,
      action: scope === 'one' ? 'session.cancelled' : 'series.cancelled-from',
      objectType: 'session',
      objectId: sessionId,
      detail: { sessions: targets.length, emailed, reason },
      at: now,
    })
    return { sessions: targets.length, emailed }
  })
}

/** A description of a series for people: "Every Tuesday and Thursday until Tuesday 12 January 2027". */
export function describeSeries(series: repo.SeriesRow): string {
  const days = weekdaysOf(series.rrule).map((d) => DAY_LABELS[d])
  const list = days.length > 1 ? `${days.slice(0, -1).join(', ')} and ${days[days.length - 1]}` : (days[0] ?? '')
  return `Every ${list} until ${longDate(series.until_on)}`
}
