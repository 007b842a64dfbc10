// Scheduling new sessions: a one-off, or a weekly series whose dates come from the rrule library and are placed in the branch's zone.
//
// Series dates come from the rrule library (src/time/recurrence.ts) as calendar days; each
// session's start and end are then placed in the branch's own zone with Luxon, so a weekly 10:00
// session is 10:00 local before and after the clock changes.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { ValidationError, type FieldError } from '../errors.js'
import { audit } from '../audit/audit.repository.js'
import { weeklyDates, weeklyRRule, WEEKDAYS, type Weekday } from '../time/recurrence.js'
import { todayIn, addDays, DEFAULT_ZONE } from '../time/wall-clock.js'
import { branchInScope } from './scope.js'
import * as forms from './forms.js'
import { catalogueOf, dateField, MAX_AHEAD_DAYS, MAX_SERIES_DAYS, placeInZone, TOO_FAR, validateTemplate } from './session-form.js'
import * as repo from './sessions.repository.js'

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
  // A branch an admin has closed keeps its history but takes no new sessions.
  else if (branch.active !== 1) errors.push({ field: 'branch', message: `${branch.name} is closed and takes no new sessions` })
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
