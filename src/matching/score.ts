// How well a volunteer suits a session, as a documented score with its reasons in words; shared by candidates and auto-fill.
//
// Only volunteers who pass every hard rule (src/matching/eligibility.ts) are scored; the score
// orders them, it never lets anyone through. The points, highest total first:
//
//   preferred language the session asks for   +4 each   "Speaks Polish (asked for)"
//   preferred topic the session asks for      +3 each   "Knows Email (asked for)"
//   fairness: sessions in the last 30 days    +8 for none, 2 fewer per session, never below 0
//                                                         "No sessions in the last 30 days"
//   home branch is this session's branch      +2        "Home library"
//   continuity: helped at this series before  +2, or +3 from three times
//                                                         "Has helped at this series 3 times"
//   recent declines (last 30 days)            −3 each, at most −6
//                                                         "Declined 1 invitation in the last 30 days"
//
// Fairness outweighs any single preference on purpose: two sessions in a month cost as much as
// one asked-for language, so the same keen people are not asked every time. Ties go to the
// person with fewer recent sessions, then by name. Required skills and trainings give no
// points (every candidate has them) but are named in the reasons so the coordinator sees them.
import type { Names, SessionNeeds, VolunteerProfile } from './eligibility.js'
import { dayOfWeekOf, partOfDay, type PartOfDay } from './eligibility.js'
import { plural } from '../views/format.js'
import { dayName } from '../time/weekdays.js'

export const SCORE = Object.freeze({
  preferredLanguage: 4,
  preferredTopic: 3,
  fairnessMax: 8,
  fairnessPerRecentSession: 2,
  homeBranch: 2,
  continuity: 2,
  continuityRegular: 3,
  continuityRegularFrom: 3,
  declinePenalty: 3,
  declinePenaltyMax: 6,
})

/** What the database knows about a volunteer's recent past, for fairness and continuity. */
export interface CandidateFacts {
  /** Places held (confirmed or attended) on sessions that ended in the last 30 days. */
  sessionsLast30Days: number
  /** Past places per series id (continuity). */
  seriesHistory: ReadonlyMap<number, number>
  /** Invitations declined in the last 30 days. */
  declinesLast30Days: number
}

export const NO_FACTS: CandidateFacts = Object.freeze({ sessionsLast30Days: 0, seriesHistory: new Map(), declinesLast30Days: 0 })

export interface Scored {
  score: number
  /** Plain words for the coordinator, most telling first. */
  reasons: string[]
}

type SkillKind = (skillId: number) => 'topic' | 'language'

function fairnessPoints(recent: number): number {
  return Math.max(0, SCORE.fairnessMax - SCORE.fairnessPerRecentSession * recent)
}

function continuityPoints(times: number): number {
  if (times <= 0) return 0
  return times >= SCORE.continuityRegularFrom ? SCORE.continuityRegular : SCORE.continuity
}

function declinePoints(declines: number): number {
  return -Math.min(SCORE.declinePenaltyMax, SCORE.declinePenalty * declines)
}

/** The score alone, without words: cheap enough for auto-fill's every pair. */
export function scorePoints(profile: VolunteerProfile, session: SessionNeeds, facts: CandidateFacts, skillKind: SkillKind): number {
  let points = 0
  if (session.preferredSkillIds.length) {
    for (const id of session.preferredSkillIds) {
      if (profile.skillIds.includes(id)) points += skillKind(id) === 'language' ? SCORE.preferredLanguage : SCORE.preferredTopic
    }
  }
  points += fairnessPoints(facts.sessionsLast30Days)
  if (profile.homeBranchId === session.branchId) points += SCORE.homeBranch
  if (session.seriesId !== null) points += continuityPoints(facts.seriesHistory.get(session.seriesId) ?? 0)
  points += declinePoints(facts.declinesLast30Days)
  return points
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`
}

/**
 * A reason behind a score, as data: `scoreInEnglish` words it as the coordinator's pages always
 * have, and src/coordination/coordinator-wording.ts words it in the page's language.
 */
export type ScoreSaid =
  | { key: 'askedLanguage'; skill: string }
  | { key: 'askedTopic'; skill: string }
  | { key: 'recent'; count: number }
  | { key: 'home' }
  | { key: 'series'; times: number }
  | { key: 'declines'; count: number }
  | { key: 'hasNeeded'; list: string }
  | { key: 'free'; day: number; part: PartOfDay }

export type ScoreWording = (said: ScoreSaid) => string

/** The English every coordinator's page and test has always had. */
export const scoreInEnglish: ScoreWording = (s) => {
  switch (s.key) {
    case 'askedLanguage':
      return `Speaks ${s.skill} (asked for)`
    case 'askedTopic':
      return `Knows ${s.skill} (asked for)`
    case 'recent':
      return s.count === 0 ? 'No sessions in the last 30 days' : `${plural(s.count, 'session')} in the last 30 days`
    case 'home':
      return 'Home library'
    case 'series':
      return `Has helped at this series ${times(s.times)}`
    case 'declines':
      return `Declined ${plural(s.count, 'invitation')} in the last 30 days`
    case 'hasNeeded':
      return `Has ${s.list} (needed)`
    case 'free':
      return `Available ${dayName(s.day)} ${s.part}`
  }
}

/** The score and the reasons behind it, in the coordinator's words (English unless `say` words them otherwise). */
export function scoreCandidate(profile: VolunteerProfile, session: SessionNeeds, facts: CandidateFacts, names: Names, say: ScoreWording = scoreInEnglish): Scored {
  const said: ScoreSaid[] = []
  const have = new Set(profile.skillIds)
  for (const id of session.preferredSkillIds) {
    if (!have.has(id)) continue
    said.push({ key: names.skillKind(id) === 'language' ? 'askedLanguage' : 'askedTopic', skill: names.skill(id) })
  }
  said.push({ key: 'recent', count: facts.sessionsLast30Days })
  if (profile.homeBranchId === session.branchId) said.push({ key: 'home' })
  const history = session.seriesId !== null ? (facts.seriesHistory.get(session.seriesId) ?? 0) : 0
  if (history > 0) said.push({ key: 'series', times: history })
  if (facts.declinesLast30Days > 0) said.push({ key: 'declines', count: facts.declinesLast30Days })
  const required = session.requiredSkillIds.filter((id) => have.has(id)).map((id) => names.skill(id))
  if (required.length) said.push({ key: 'hasNeeded', list: required.join(', ') })
  said.push({ key: 'free', day: dayOfWeekOf(session.localDate), part: partOfDay(session.startTime) })
  return { score: scorePoints(profile, session, facts, (id) => names.skillKind(id)), reasons: said.map(say) }
}

export interface Ranked<T> {
  item: T
  score: number
  sessionsLast30Days: number
  name: string
}

/** Highest score first; then fewer recent sessions; then by name, so the order is stable. */
export function compareRanked<T>(a: Ranked<T>, b: Ranked<T>): number {
  return b.score - a.score || a.sessionsLast30Days - b.sessionsLast30Days || a.name.localeCompare(b.name, 'en-GB')
}
