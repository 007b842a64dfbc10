// Scheduling new sessions: a one-off, or a weekly series whose dates come from the rrule library and are placed in the branch's zone.
//
// Series dates come from the rrule library (src/time/recurrence.ts) as calendar days; each
// session's start and end are then placed in the branch's own zone with Luxon, so a weekly 10:00
// session is 10:00 local before and after the clock changes.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { ValidationError } from '../errors.js'
import { audit } from '../audit/audit.repository.js'
import { weeklyDates, weeklyRRule } from '../time/recurrence.js'
import { WEEKDAYS } from '../time/weekdays.js'
import { todayIn, addDays, DEFAULT_ZONE } from '../time/wall-clock.js'
import { branchInScope } from './scope.js'
import { FormReader, parseId, sayIn, type FormBody } from '../forms/fields.js'
import type { Locale } from '../i18n/i18n.js'
import { catalogueOf, MAX_AHEAD_DAYS, MAX_SERIES_DAYS, named, placeInZone, readDate, readTemplate, wordsFor } from './session-form.js'
import * as repo from './sessions.repository.js'

export interface Created {
  sessionIds: number[]
  seriesId: number | null
}

/** Creates a one-off session or a weekly series from the form; its errors in the page's language. */
export async function createSessions(ctx: AppContext, user: SignedInUser, body: FormBody, locale: Locale = 'en'): Promise<Created> {
  const { t } = wordsFor(locale)
  const form = new FormReader(body, sayIn(t))
  const branchId = parseId(body.branch)
  // Without a branch the rest is still checked (every mistake at once), in the branch's default zone.
  const branch = branchId === null ? null : await branchInScope(ctx.db, user, branchId)
  if (!branch) form.fail('branch', t('planning.errors.branch'))
  // A branch an admin has closed keeps its history but takes no new sessions.
  else if (branch.active !== 1) form.fail('branch', t('planning.errors.branchClosed', { branch: branch.name }))
  const catalogue = branch ? await catalogueOf(ctx.db, branch.library_service_id) : { skillIds: new Set<number>(), trainingIds: new Set<number>() }
  const template = readTemplate(form, catalogue, t)
  const now = ctx.clock.now()
  const zone = branch?.timezone ?? DEFAULT_ZONE
  const today = todayIn(now, zone)
  const repeat = form.oneOf('repeat', ['once', 'weekly'] as const, named(t, 'repeat'))

  let dated: repo.NewSession[] = []
  let series: { rrule: string; startsOn: string; untilOn: string; skipped: string[] } | null = null
  if (repeat === 'once') {
    const date = readDate(form, 'date', 'date', t)
    if (date && date < today) form.fail('date', t('planning.errors.dateFuture'))
    else if (date && date > addDays(today, MAX_AHEAD_DAYS)) form.fail('date', t('planning.errors.tooFar'))
    if (form.ok) {
      const placed = placeInZone(date, template, zone, locale)
      if (placed.startsAt <= now) form.fail('start', t('planning.errors.passedToday'))
      dated = [placed]
    }
  } else if (repeat === 'weekly') {
    const from = readDate(form, 'from', 'from', t)
    const until = readDate(form, 'until', 'until', t)
    const days = form.someOf('days', WEEKDAYS, { ...named(t, 'days'), required: true })
    const skipped = form.dateList('skipped', { ...named(t, 'skipped'), notReal: (date) => (date === null ? t('planning.errors.skippedHidden') : t('planning.errors.skippedDate', { date })) })
    if (from && from < today) form.fail('from', t('planning.errors.fromFuture'))
    else if (from && from > addDays(today, MAX_AHEAD_DAYS)) form.fail('from', t('planning.errors.tooFar'))
    if (from && until && until < from) form.fail('until', t('planning.errors.untilAfterFrom'))
    else if (from && until && addDays(from, MAX_SERIES_DAYS) < until) form.fail('until', t('planning.errors.yearLong'))
    if (form.ok) {
      const rule = { startsOn: from, untilOn: until, days }
      const dates = weeklyDates(rule, skipped)
      if (dates.length === 0) form.fail('days', t('planning.errors.noDates'))
      dated = dates.map((d) => placeInZone(d, template, zone, locale)).filter((d) => d.startsAt > now)
      if (dates.length && dated.length === 0) form.fail('start', t('planning.errors.passed'))
      series = { rrule: weeklyRRule(rule), startsOn: from, untilOn: until, skipped }
    }
  }
  form.done()
  if (!branch) throw new ValidationError(form.errors)

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
