// Who could do a session: everyone who passes every hard rule, ranked by the documented score (src/matching/score.ts), and the near-misses.
//
// Candidates must pass ALL_RULES, as auto-fill's proposals do (weekly availability binds here,
// unlike self-booking). A near-miss fails exactly one rule and is shown with that rule's words
// ("on leave until 12 Dec"), so the coordinator can decide whether to ask anyway.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { ALL_RULES, checkRules, type Rule } from '../matching/eligibility.js'
import { compareRanked, scoreCandidate, type CandidateFacts } from '../matching/score.js'
import * as places from '../assignments/assignments.repository.js'
import { monthWindow } from '../assignments/places.service.js'
import { assertSessionInScope } from './scope.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { reasonWording, toCoordinator } from './coordinator-wording.js'
import * as history from './history.repository.js'

export interface Candidate {
  volunteerId: number
  name: string
  score: number
  reasons: string[]
  sessionsLast30Days: number
  waitlisted: boolean
}

export interface NearMiss {
  volunteerId: number
  name: string
  /** The rule they fail, or 'withdrew': they said they cannot make this very session. */
  rule: Rule | 'withdrew'
  reason: string
  score: number
}

export interface Candidates {
  candidates: Candidate[]
  nearMisses: NearMiss[]
}

const DAY = 86_400_000

/** Facts for fairness and continuity, loaded for many volunteers at once. */
export async function factsFor(ctx: AppContext, volunteerIds: readonly number[], seriesIds: readonly number[]): Promise<Map<number, CandidateFacts>> {
  const now = ctx.clock.now()
  const [recent, series, declines] = await Promise.all([
    history.recentSessionCounts(ctx.db, volunteerIds, now - 30 * DAY, now),
    history.seriesHistory(ctx.db, volunteerIds, seriesIds, now),
    history.recentDeclines(ctx.db, volunteerIds, now - 30 * DAY),
  ])
  const out = new Map<number, CandidateFacts>()
  for (const id of volunteerIds) {
    out.set(id, { sessionsLast30Days: recent.get(id) ?? 0, seriesHistory: series.get(id) ?? new Map(), declinesLast30Days: declines.get(id) ?? 0 })
  }
  return out
}

/** `locale`: the language of the reasons and near misses (the page's). */
export async function candidatesFor(ctx: AppContext, user: SignedInUser, sessionId: number, locale: Locale = 'en'): Promise<Candidates> {
  const { branch } = await assertSessionInScope(ctx.db, user, sessionId)
  return rankCandidates(ctx, branch.library_service_id, sessionId, locale)
}

/** The ranking itself, for a session of this library service (the caller has checked who may see it: a coordinator, or the volunteer asking for cover). */
export async function rankCandidates(ctx: AppContext, libraryServiceId: number, sessionId: number, locale: Locale = 'en'): Promise<Candidates> {
  const say = reasonWording(locale)
  const t = translator(locale)
  const needs = (await places.loadSessionNeeds(ctx.db, [sessionId])).get(sessionId)!
  const now = ctx.clock.now()
  const ids = await history.volunteersOfServices(ctx.db, [libraryServiceId], ['active', 'paused', 'applied'])
  const window = monthWindow(needs.localDate)
  const [profiles, names, onSession, facts, open] = await Promise.all([
    places.loadProfiles(ctx.db, ids, window.from, window.until),
    places.loadNames(ctx.db, libraryServiceId, locale),
    history.assignmentsOn(ctx.db, [sessionId]),
    factsFor(ctx, ids, needs.seriesId === null ? [] : [needs.seriesId]),
    history.openInvitations(ctx.db, ids, needs.startsAt - DAY, needs.endsAt + DAY, now),
  ])
  const openHere = new Set(open.filter((o) => o.sessionId === sessionId).map((o) => o.volunteerId))
  // Already on it, waiting for their answer, or said no: not candidates.
  const state = new Map(onSession.map((a) => [a.volunteer_id, a.state]))
  const candidates: Candidate[] = []
  const nearMisses: NearMiss[] = []
  for (const profile of profiles.values()) {
    const s = state.get(profile.id)
    if (s && (places.PLACE_STATES.includes(s) || s === 'declined' || (s === 'invited' && openHere.has(profile.id)))) continue
    const fact = facts.get(profile.id)!
    // They withdrew ("I can't make it"): not someone to rank for the same session, but shown, with why.
    if (s === 'withdrawn') {
      nearMisses.push({ volunteerId: profile.id, name: profile.name, rule: 'withdrew', reason: t('coordinator.match.withdrew'), score: scoreCandidate(profile, needs, fact, names, say).score })
      continue
    }
    const failures = checkRules(profile, needs, names, ALL_RULES)
    if (failures.length === 0) {
      const scored = scoreCandidate(profile, needs, fact, names, say)
      const reasons = s === 'waitlisted' ? [t('coordinator.match.waitlisted'), ...scored.reasons] : scored.reasons
      candidates.push({ volunteerId: profile.id, name: profile.name, score: scored.score, reasons, sessionsLast30Days: fact.sessionsLast30Days, waitlisted: s === 'waitlisted' })
    } else if (failures.length === 1) {
      const scored = scoreCandidate(profile, needs, fact, names, say)
      nearMisses.push({ volunteerId: profile.id, name: profile.name, rule: failures[0]!.rule, reason: toCoordinator(failures[0]!, locale), score: scored.score })
    }
  }
  candidates.sort((a, b) => compareRanked({ item: a, score: a.score, sessionsLast30Days: a.sessionsLast30Days, name: a.name }, { item: b, score: b.score, sessionsLast30Days: b.sessionsLast30Days, name: b.name }))
  nearMisses.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'en-GB'))
  return { candidates, nearMisses }
}
