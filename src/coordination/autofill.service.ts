// Auto-fill for a coordinator: loads the sessions and volunteers of a range, runs src/matching/autofill.ts, shows the proposal, and sends it.
//
// What counts as taken: confirmed places and unanswered invitations (so auto-fill never asks
// more people than there are places). What a volunteer already holds or has been asked to
// (in the months of the range) counts against their clashes and monthly cap. Fairness load:
// sessions in the last 30 days plus places already held in the range. Sending re-checks every
// line with the same rules, one transaction each, so anything that changed since the review is
// reported, not sent.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import type { Commitment, VolunteerProfile } from '../matching/eligibility.js'
import { autofill, pairKey, type AutofillStats } from '../matching/autofill.js'
import { scoreCandidate } from '../matching/score.js'
import { inTransaction } from '../db/transaction.js'
import { UserError, ValidationError } from '../errors.js'
import { audit } from '../audit/audit.repository.js'
import * as places from '../assignments/assignments.repository.js'
import { monthWindow } from '../assignments/places.service.js'
import { addDays, localDatesSpan } from '../time/wall-clock.js'
import { assertSessionInScope } from './scope.js'
import { branchesFor } from './gaps.service.js'
import { factsFor } from './candidates.service.js'
import { inviteOneInTx } from './invitations.service.js'
import { REMOVED_BY_COORDINATOR, assignVolunteer } from './staffing.service.js'
import { list, parseId, parseSaneDate, text, type FormBody } from '../forms/fields.js'
import * as history from './history.repository.js'
import * as repo from './sessions.repository.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { reasonWording } from './coordinator-wording.js'

const MAX_RANGE_DAYS = 92

export interface AutofillFilters {
  branch: number | null
  from: string
  until: string
}

export function parseAutofillFilters(query: Record<string, string>, today: string, locale: Locale = 'en'): { filters: AutofillFilters; errors: Array<{ field: string; message: string }> } {
  const t = translator(locale)
  const errors: Array<{ field: string; message: string }> = []
  const from = parseSaneDate(query.from)
  const until = parseSaneDate(query.until)
  const filters: AutofillFilters = { branch: parseId(query.branch), from: from || today, until: until || addDays(today, 27) }
  if (from === null) errors.push({ field: 'from', message: t('coordinator.autofill.errorFrom') })
  if (until === null) errors.push({ field: 'until', message: t('coordinator.autofill.errorUntil') })
  if (!errors.length && filters.until < filters.from) errors.push({ field: 'until', message: t('coordinator.autofill.errorOrder') })
  else if (!errors.length && addDays(filters.from, MAX_RANGE_DAYS) < filters.until) errors.push({ field: 'until', message: t('coordinator.autofill.errorLong') })
  return { filters, errors }
}

export interface ProposalLine {
  key: string
  sessionId: number
  volunteerId: number
  forMinimum: boolean
  session: repo.ListedSession
  volunteerName: string
  reasons: string[]
}

export interface Proposal {
  filters: AutofillFilters
  lines: ProposalLine[]
  stats: AutofillStats
  /** Sessions still below their minimum even with every proposal accepted. */
  unfilled: Array<{ session: repo.ListedSession; short: number }>
  ms: number
}

/** `locale`: the language of each line's reasons (the page's). */
export async function proposeAutofill(ctx: AppContext, user: SignedInUser, filters: AutofillFilters, locale: Locale = 'en'): Promise<Proposal> {
  const { chosen } = await branchesFor(ctx, user, filters.branch)
  const now = ctx.clock.now()
  // The dates are each branch's own (its zone).
  const span = localDatesSpan(filters.from, filters.until, chosen.map((b) => b.timezone))
  const listed = (await repo.sessionsInRange(ctx.db, chosen.map((b) => b.id), Math.max(now, span.from), span.until, { now, scheduledOnly: true })).filter(
    (s) => s.local_date >= filters.from && s.local_date <= filters.until,
  )
  const open = listed.filter((s) => s.starts_at > now)
  const sessionIds = open.map((s) => s.id)
  const openCounts = new Map(open.map((s) => [s.id, s.pending]))
  const [needsById, onSessions] = await Promise.all([places.loadSessionNeeds(ctx.db, sessionIds), history.assignmentsOn(ctx.db, sessionIds)])
  const volunteerIds = await history.volunteersGoingTo(ctx.db, chosen.map((b) => b.id), ['active'])
  const window = { from: monthWindow(filters.from).from, until: monthWindow(filters.until).until }
  const seriesIds = [...new Set(open.map((s) => s.series_id).filter((x): x is number => x !== null))]
  const [profiles, invited, facts] = await Promise.all([
    places.loadProfiles(ctx.db, volunteerIds, window.from, window.until),
    history.openInvitations(ctx.db, volunteerIds, window.from, window.until, now),
    factsFor(ctx, volunteerIds, seriesIds),
  ])
  const tentative = new Map<number, Commitment[]>()
  for (const i of invited) tentative.set(i.volunteerId, [...(tentative.get(i.volunteerId) ?? []), i])
  const excluded = new Set<string>()
  // Anyone already on, asked, or who said no is left out; the waiting list and those whose
  // invitation closed may be proposed; someone a coordinator took off is not put back.
  for (const a of onSessions) {
    const askable = a.state === 'waitlisted' || (a.state === 'cancelled' && a.reason !== REMOVED_BY_COORDINATOR)
    if (!askable) excluded.add(pairKey(a.volunteer_id, a.session_id))
  }
  const sessions = open.map((s) => {
    const needs = needsById.get(s.id)!
    return { ...needs, confirmed: needs.confirmed + (openCounts.get(s.id) ?? 0) }
  })
  const volunteers = [...profiles.values()].map((profile: VolunteerProfile) => {
    const commitments = [...profile.commitments, ...(tentative.get(profile.id) ?? [])]
    const fact = facts.get(profile.id)!
    const inRange = commitments.filter((c) => c.startsAt >= span.from && c.startsAt < span.until).length
    return { profile: { ...profile, commitments }, load: fact.sessionsLast30Days + inRange, facts: fact }
  })
  const names = chosen.length ? await places.loadNames(ctx.db, chosen[0]!.library_service_id) : null
  const started = performance.now()
  const result = autofill({ sessions, volunteers, excluded, skillKind: (id) => names?.skillKind(id) ?? 'topic' })
  const ms = performance.now() - started

  const byId = new Map(open.map((s) => [s.id, s]))
  const byVolunteer = new Map(volunteers.map((v) => [v.profile.id, v]))
  const lines: ProposalLine[] = []
  const serviceNames = new Map<number, Awaited<ReturnType<typeof places.loadNames>>>()
  for (const p of result.proposals) {
    const session = byId.get(p.sessionId)!
    const v = byVolunteer.get(p.volunteerId)!
    let n = serviceNames.get(session.library_service_id)
    if (!n) {
      n = await places.loadNames(ctx.db, session.library_service_id)
      serviceNames.set(session.library_service_id, n)
    }
    lines.push({
      key: `${p.sessionId}:${p.volunteerId}`,
      sessionId: p.sessionId,
      volunteerId: p.volunteerId,
      forMinimum: p.forMinimum,
      session,
      volunteerName: v.profile.name,
      reasons: scoreCandidate(v.profile, needsById.get(p.sessionId)!, v.facts, n, reasonWording(locale)).reasons.slice(0, 3),
    })
  }
  const proposedBySession = new Map<number, number>()
  for (const p of result.proposals) proposedBySession.set(p.sessionId, (proposedBySession.get(p.sessionId) ?? 0) + 1)
  const unfilled = open
    .map((s) => ({ session: s, short: s.min_volunteers - s.confirmed_count - (openCounts.get(s.id) ?? 0) - (proposedBySession.get(s.id) ?? 0) }))
    .filter((u) => u.short > 0)
  return { filters, lines, stats: result.stats, unfilled, ms }
}

export interface SendReport {
  mode: 'invite' | 'assign'
  done: string[]
  failed: string[]
}

/** Sends the lines the coordinator kept: invitations, or direct assignments, each re-checked. */
export async function sendAutofill(ctx: AppContext, user: SignedInUser, body: FormBody, locale: Locale = 'en'): Promise<SendReport> {
  const t = translator(locale)
  const mode = text(body.mode)
  if (mode !== 'invite' && mode !== 'assign') throw new ValidationError([{ field: 'mode', message: t('coordinator.autofill.errorMode') }])
  const lines = list(body.lines)
    .slice(0, 1000)
    .map((l) => /^(\d{1,9}):(\d{1,9})$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ sessionId: Number(m[1]), volunteerId: Number(m[2]) }))
  if (lines.length === 0) throw new ValidationError([{ field: 'lines', message: t('coordinator.autofill.errorLines') }])
  const checked = new Set<number>()
  for (const { sessionId } of lines) {
    if (checked.has(sessionId)) continue
    await assertSessionInScope(ctx.db, user, sessionId)
    checked.add(sessionId)
  }
  const report: SendReport = { mode, done: [], failed: [] }
  for (const line of lines) {
    if (mode === 'invite') {
      const outcome = await inTransaction(ctx.db, (tx) => inviteOneInTx(tx, ctx, { ...line, source: 'auto_fill', actorPersonId: user.personId, locale }))
      ;(outcome.kind === 'invited' ? report.done : report.failed).push(outcome.message)
    } else {
      try {
        report.done.push(await assignVolunteer(ctx, user, line.sessionId, line.volunteerId, 'auto_fill', locale))
      } catch (err) {
        if (!(err instanceof UserError)) throw err
        report.failed.push(err.wordedIn(t))
      }
    }
  }
  await audit(ctx.db, {
    actorPersonId: user.personId,
    libraryServiceId: null,
    action: mode === 'invite' ? 'autofill.invited' : 'autofill.assigned',
    objectType: 'autofill',
    objectId: ctx.clock.now(),
    detail: { sent: report.done.length, failed: report.failed.length },
    at: ctx.clock.now(),
  })
  return report
}

