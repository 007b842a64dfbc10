// Editing one session, or this and all future sessions of its series — and telling only the confirmed volunteers a change affects.
//
// Past sessions are never touched: "this and all future" starts at the chosen session. Changes
// that would break a rule for someone already confirmed are refused (session-edit-checks.ts).
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { ConflictError, type FieldError, NotFoundError, UserError, ValidationError } from '../errors.js'
import { audit } from '../audit/audit.repository.js'
import { weeklyDates, weeklyRRule } from '../time/recurrence.js'
import { localToInstant, todayIn, addDays } from '../time/wall-clock.js'
import * as places from '../assignments/assignments.repository.js'
import { queueSessionUpdate } from '../notifications/notify.js'
import { formatFor } from '../views/format.js'
import type { Locale } from '../i18n/i18n.js'
import { assertSessionInScope } from './scope.js'
import { FormReader, sayIn, type FormBody } from '../forms/fields.js'
import { catalogueOf, MAX_AHEAD_DAYS, MAX_SERIES_DAYS, placeInZone, readDate, readTemplate, wordsFor, type SessionForm } from './session-form.js'
import { refuseIfConfirmedWouldBreak } from './session-edit-checks.js'
import { cancelOneInTx } from './session-cancel.service.js'
import { weekdaysOf } from './series-rule.js'
import { describeChange } from './session-wording.js'
import * as repo from './sessions.repository.js'

/** The session as a form's starting values. */
export async function editFormValues(ctx: AppContext, sessionId: number): Promise<SessionForm & { seriesUntil?: string }> {
  const s = await repo.findSession(ctx.db, sessionId)
  if (!s) throw new NotFoundError({ key: 'coordinator.refusal.noSession' })
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
export async function editSessions(ctx: AppContext, user: SignedInUser, sessionId: number, scope: 'one' | 'future', body: FormBody, locale: Locale = 'en'): Promise<Edited> {
  const { t } = wordsFor(locale)
  const { branch } = await assertSessionInScope(ctx.db, user, sessionId)
  const form = new FormReader(body, sayIn(t))
  const template = readTemplate(form, await catalogueOf(ctx.db, branch.library_service_id), t)
  const now = ctx.clock.now()
  const current = await repo.findSession(ctx.db, sessionId)
  if (!current) throw new NotFoundError({ key: 'coordinator.refusal.noSession' })
  if (current.status === 'cancelled') throw new ConflictError({ key: 'planning.errors.cancelled' })
  if (current.starts_at <= now) throw new ConflictError({ key: 'planning.errors.started' })
  if (scope === 'future' && current.series_id === null) throw new UserError({ key: 'coordinator.refusal.notSeries' })
  const today = todayIn(now, branch.timezone)
  let date = current.local_date
  let until: string | null = null
  if (scope === 'one') {
    date = readDate(form, 'date', 'date', t)
    if (date && date < today) form.fail('date', t('planning.errors.dateFuture'))
    else if (date && date > addDays(today, MAX_AHEAD_DAYS)) form.fail('date', t('planning.errors.tooFar'))
  } else {
    until = readDate(form, 'until', 'until', t)
    if (until && until < current.local_date) form.fail('until', t('planning.errors.untilThisSession', { date: formatFor(locale).longDate(current.local_date) }))
    else if (until && addDays(current.local_date, MAX_SERIES_DAYS) < until) form.fail('until', t('planning.errors.yearFromHere'))
  }
  form.done()
  if (scope === 'one' && localToInstant(date, template.startTime, branch.timezone) <= now) {
    throw new ValidationError([{ field: 'start', message: t('planning.errors.timePassed') }])
  }

  const result = await inTransaction(ctx.db, async (tx) => {
    const targets = scope === 'one' ? [current] : (await repo.seriesSessionsFrom(tx, current.series_id!, current.local_date)).filter((s) => s.starts_at > now)
    const series = current.series_id ? await repo.findSeries(tx, current.series_id) : null
    // Sessions of the series after the new end are cancelled; new weeks up to it are added.
    const keep = until ? targets.filter((s) => s.local_date <= until!) : targets
    const drop = until ? targets.filter((s) => s.local_date > until!) : []
    for (const s of targets) await places.lockSession(tx, s.id)
    const planned = keep.map((s) => ({ before: s, when: placeInZone(scope === 'one' ? date : s.local_date, template, branch.timezone, locale) }))
    await refuseIfConfirmedWouldBreak(tx, ctx, planned, template, locale)
    let emailed = 0
    for (const { before, when } of planned) {
      await repo.updateSession(tx, before.id, template, when, now)
      const change = describeChange(before, template, when.date)
      if (change && before.confirmed_count > 0) emailed += await queueSessionUpdate(tx, ctx, before.id, (locale) => describeChange(before, template, when.date, locale) ?? change)
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
        const dated = newDates.map((d) => placeInZone(d, template, branch.timezone, locale)).filter((d) => d.startsAt > now)
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
