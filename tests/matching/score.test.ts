// The candidate score: each documented factor moves a volunteer up or down, and the reasons say so in words.
import t from 'tap'
import { compareRanked, scoreCandidate, scorePoints, SCORE, NO_FACTS, type CandidateFacts } from '../../src/matching/score.js'
import type { SessionNeeds, VolunteerProfile } from '../../src/matching/eligibility.js'
import { NAMES } from './instances.js'

const session: SessionNeeds = {
  id: 1, branchId: 1, seriesId: 7, title: 'Drop-in', localDate: '2026-12-08', startTime: '10:00', endTime: '12:00',
  startsAt: 0, endsAt: 1, requiredSkillIds: [1], preferredSkillIds: [3, 4], requiredTrainingIds: [], min: 1, max: 2, confirmed: 0,
}
const base: VolunteerProfile = {
  id: 1, name: 'Base', status: 'active', homeBranchId: 2, branchIds: [1, 2], skillIds: [1], trainings: [],
  windows: [{ day: 2, start: '09:00', end: '13:00' }], timeOff: [], maxPerMonth: 4, commitments: [],
}
const facts = (f: Partial<CandidateFacts> = {}): CandidateFacts => ({ ...NO_FACTS, ...f })
const points = (p: Partial<VolunteerProfile>, f: Partial<CandidateFacts> = {}) => scorePoints({ ...base, ...p }, session, facts(f), NAMES.skillKind)

t.test('each factor, as documented', async (t) => {
  const plain = points({})
  t.equal(plain, SCORE.fairnessMax, 'nothing but fairness: no sessions lately')
  t.equal(points({ skillIds: [1, 4] }) - plain, SCORE.preferredLanguage, 'an asked-for language (skill 4 is a language)')
  t.equal(points({ skillIds: [1, 3] }) - plain, SCORE.preferredTopic, 'an asked-for topic')
  t.equal(points({}, { sessionsLast30Days: 2 }) - plain, -4, 'two recent sessions cost 4')
  t.equal(points({}, { sessionsLast30Days: 9 }), 0, 'fairness never goes below 0')
  t.equal(points({ homeBranchId: 1 }) - plain, SCORE.homeBranch, 'home branch')
  t.equal(points({}, { seriesHistory: new Map([[7, 1]]) }) - plain, SCORE.continuity, 'helped at this series')
  t.equal(points({}, { seriesHistory: new Map([[7, 3]]) }) - plain, SCORE.continuityRegular, 'a regular at this series')
  t.equal(points({}, { declinesLast30Days: 1 }) - plain, -3, 'a recent decline')
  t.equal(points({}, { declinesLast30Days: 5 }) - plain, -SCORE.declinePenaltyMax, 'declines are capped')
})

t.test('reasons in words, and a stable order', async (t) => {
  const scored = scoreCandidate({ ...base, skillIds: [1, 3, 4], homeBranchId: 1 }, session, facts({ sessionsLast30Days: 1, seriesHistory: new Map([[7, 2]]), declinesLast30Days: 1 }), NAMES)
  t.same(scored.reasons, [
    'Knows skill 3 (asked for)',
    'Speaks skill 4 (asked for)',
    '1 session in the last 30 days',
    'Home library',
    'Has helped at this series twice',
    'Declined 1 invitation in the last 30 days',
    'Has skill 1 (needed)',
    'Available Tuesday mornings',
  ])
  const ranked = [
    { item: 1, score: 5, sessionsLast30Days: 2, name: 'Zed' },
    { item: 2, score: 5, sessionsLast30Days: 1, name: 'Yan' },
    { item: 3, score: 9, sessionsLast30Days: 3, name: 'Xia' },
    { item: 4, score: 5, sessionsLast30Days: 1, name: 'Abe' },
  ].sort(compareRanked)
  t.same(ranked.map((r) => r.item), [3, 4, 2, 1], 'score, then fewer recent sessions, then name')
})
