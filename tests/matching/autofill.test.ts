// Auto-fill fills as many places as an exact integer solver (HiGHS) can, below-minimum places first, never breaks a hard rule, and spreads fairly.
import t from 'tap'
import fc from 'fast-check'
import { loadHighs } from './instances.js'
import { autofill, possiblePair, type AutofillInput } from '../../src/matching/autofill.js'
import { ALL_RULES, checkRules, type SessionNeeds, type VolunteerProfile } from '../../src/matching/eligibility.js'
import { localToInstant } from '../../src/time/wall-clock.js'
import { NAMES, exactModel, generateInstance, violations } from './instances.js'

const INSTANCES = 150

t.test(`on ${INSTANCES} generated instances, places filled equal the exact optimum`, async (t) => {
  const highs = await loadHighs()
  const solve = (lp: string) => {
    const result = highs.solve(lp, { output_flag: false, mip_rel_gap: 0 })
    if (result.Status !== 'Optimal') throw new Error(`HiGHS: ${result.Status}\n${lp}`)
    return Math.round(result.ObjectiveValue)
  }
  let withChains = 0
  let fairnessChecked = 0
  let sumFilled = 0
  for (let seed = 1; seed <= INSTANCES; seed++) {
    const { input } = generateInstance(seed)
    const model = exactModel(input)
    const bestBelowMinimum = model.hasDeficits ? solve(model.belowMinimum()) : 0
    const bestTotal = model.hasPairs ? solve(model.total(bestBelowMinimum)) : 0
    const result = autofill(input)
    if (result.stats.searchNodes > result.stats.groups) withChains++
    sumFilled += result.stats.filled
    t.same(violations(input, result.proposals), [], `seed ${seed}: no hard rule broken`)
    t.equal(result.stats.belowMinimumFilled, bestBelowMinimum, `seed ${seed}: below-minimum places filled = optimum ${bestBelowMinimum}`)
    t.equal(result.stats.filled, bestTotal, `seed ${seed}: places filled = optimum ${bestTotal}`)
    t.equal(result.proposals.length, result.stats.filled, `seed ${seed}: one proposal per place`)
    t.equal(result.proposals.filter((p) => p.forMinimum).length, result.stats.belowMinimumFilled)
    t.ok(result.stats.exact, `seed ${seed}: proved optimal`)
    // Fairness: the heaviest load is as light as any optimal filling allows. Proved when no chain
    // of overlaps needed the search (the balancing is then an exact min-cost condition); with
    // chains it is best effort, so those instances are not held to it.
    if (model.hasPairs && bestTotal > 0 && result.stats.searchNodes === result.stats.groups) {
      const lightestTop = solve(model.fairest(bestBelowMinimum, bestTotal))
      const loads = new Map(input.volunteers.map((v) => [v.profile.id, v.load ?? 0]))
      for (const p of result.proposals) loads.set(p.volunteerId, loads.get(p.volunteerId)! + 1)
      const involved = new Set(input.volunteers.filter((v) => input.sessions.some((s) => possiblePair(v.profile, s) && !input.excluded?.has(`${v.profile.id}:${s.id}`) && s.confirmed < s.max)).map((v) => v.profile.id))
      const top = Math.max(...[...involved].map((id) => loads.get(id)!))
      t.equal(top, lightestTop, `seed ${seed}: heaviest load ${top} is the fairest possible ${lightestTop}`)
      fairnessChecked++
    }
  }
  t.ok(withChains > 0, `${withChains} instances needed the branch-and-bound search for chains of overlaps`)
  t.ok(fairnessChecked >= 100, `fairness compared on ${fairnessChecked} instances`)
  t.ok(sumFilled > INSTANCES, `the instances are not trivial (${sumFilled} places filled in all)`)
})

t.test('bigger instances still match the optimum', async (t) => {
  const highs = await loadHighs()
  const solve = (lp: string) => Math.round(highs.solve(lp, { output_flag: false, mip_rel_gap: 0 }).ObjectiveValue)
  for (let seed = 1001; seed <= 1020; seed++) {
    const { input } = generateInstance(seed, { volunteers: 14, sessions: 18 })
    const model = exactModel(input)
    const d = model.hasDeficits ? solve(model.belowMinimum()) : 0
    const f = model.hasPairs ? solve(model.total(d)) : 0
    const result = autofill(input)
    t.same(violations(input, result.proposals), [], `seed ${seed}: no hard rule broken`)
    t.equal(result.stats.belowMinimumFilled, d, `seed ${seed}: below minimum ${d}`)
    t.equal(result.stats.filled, f, `seed ${seed}: total ${f}`)
  }
})

// ---------------------------------------------------------------------------------------------
// Property: whatever the input, no proposal breaks a hard rule.

const DATES = ['2027-03-26', '2027-03-27', '2027-03-28', '2027-03-29', '2027-03-30', '2027-03-31', '2027-04-01', '2027-04-02']
const TIMES = ['09:00', '10:00', '10:30', '11:00', '12:00', '13:00', '14:00', '15:30', '17:00']

type Of<A> = A extends fc.Arbitrary<infer T> ? T : never

const sessionArb = fc
  .record({
    branchId: fc.integer({ min: 1, max: 3 }),
    date: fc.constantFrom(...DATES),
    start: fc.integer({ min: 0, max: TIMES.length - 2 }),
    length: fc.integer({ min: 1, max: 3 }),
    required: fc.subarray([1, 2, 3], { maxLength: 1 }),
    preferred: fc.subarray([4, 5]),
    trainings: fc.subarray([1, 2], { maxLength: 1 }),
    max: fc.integer({ min: 1, max: 3 }),
    min: fc.integer({ min: 0, max: 3 }),
    confirmed: fc.integer({ min: 0, max: 3 }),
    series: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  })
  .map((r) => ({ ...r, end: Math.min(TIMES.length - 1, r.start + r.length) }))

const volunteerArb = fc.record({
  status: fc.constantFrom('active', 'active', 'active', 'active', 'active', 'paused', 'applied', 'left') as fc.Arbitrary<VolunteerProfile['status']>,
  branches: fc.subarray([1, 2, 3], { minLength: 1 }),
  skills: fc.subarray([1, 2, 3, 4, 5], { minLength: 2 }),
  trainings: fc.array(fc.record({ kind: fc.constantFrom(1, 2), expires: fc.option(fc.constantFrom(...DATES), { nil: null, freq: 4 }) }), { minLength: 1, maxLength: 3 }),
  windows: fc.array(fc.record({ day: fc.integer({ min: 1, max: 7 }), from: fc.integer({ min: 0, max: 2 }), to: fc.integer({ min: 4, max: TIMES.length - 1 }) }), { minLength: 2, maxLength: 7 }),
  timeOff: fc.option(fc.record({ from: fc.integer({ min: 0, max: 7 }), days: fc.integer({ min: 0, max: 3 }) }), { nil: null }),
  maxPerMonth: fc.integer({ min: 0, max: 5 }),
  held: fc.subarray([0, 1, 2, 3, 4, 5]),
  load: fc.integer({ min: 0, max: 5 }),
})

function buildInput(rawSessions: Of<typeof sessionArb>[], rawVolunteers: Of<typeof volunteerArb>[], heldSlots: Array<{ date: string; start: number; end: number }>): AutofillInput {
  const sessions: SessionNeeds[] = rawSessions.map((r, i) => {
    const startTime = TIMES[r.start]!
    const endTime = TIMES[r.end]!
    return {
      id: 100 + i,
      branchId: r.branchId,
      seriesId: r.series,
      title: `S${i}`,
      localDate: r.date,
      startTime,
      endTime,
      startsAt: localToInstant(r.date, startTime, 'Europe/London'),
      endsAt: localToInstant(r.date, endTime, 'Europe/London'),
      requiredSkillIds: r.required,
      preferredSkillIds: r.preferred,
      requiredTrainingIds: r.trainings,
      min: Math.min(r.min, r.max),
      max: r.max,
      confirmed: Math.min(r.confirmed, r.max),
    }
  })
  const volunteers = rawVolunteers.map((r, i) => {
    const held = r.held.map((h) => heldSlots[h]).filter((x): x is NonNullable<typeof x> => !!x)
    const profile: VolunteerProfile = {
      id: i + 1,
      name: `V${i}`,
      status: r.status,
      homeBranchId: r.branches[0] ?? null,
      branchIds: r.branches,
      skillIds: r.skills,
      trainings: r.trainings.map((x) => ({ trainingKindId: x.kind, completedOn: '2027-01-01', expiresOn: x.expires })),
      windows: r.windows.map((w) => ({ day: w.day, start: TIMES[w.from]!, end: TIMES[w.to]! })),
      timeOff: r.timeOff ? [{ start: DATES[r.timeOff.from]!, end: DATES[Math.min(DATES.length - 1, r.timeOff.from + r.timeOff.days)]! }] : [],
      maxPerMonth: r.maxPerMonth,
      commitments: held.map((h, j) => ({
        sessionId: 900 + j,
        title: 'Held',
        localDate: h.date,
        startsAt: localToInstant(h.date, TIMES[h.start]!, 'Europe/London'),
        endsAt: localToInstant(h.date, TIMES[h.end]!, 'Europe/London'),
      })),
    }
    return { profile, load: r.load }
  })
  return { sessions, volunteers, skillKind: NAMES.skillKind }
}

const heldArb = fc.array(
  fc.record({ date: fc.constantFrom(...DATES), start: fc.integer({ min: 0, max: 6 }), length: fc.integer({ min: 1, max: 2 }) }).map((h) => ({ date: h.date, start: h.start, end: Math.min(TIMES.length - 1, h.start + h.length) })),
  { minLength: 6, maxLength: 6 },
)

t.test('property: no proposal ever breaks a hard rule (fast-check)', async (t) => {
  let proposals = 0
  fc.assert(
    fc.property(fc.array(sessionArb, { minLength: 3, maxLength: 12 }), fc.array(volunteerArb, { minLength: 2, maxLength: 10 }), heldArb, (s, v, held) => {
      const input = buildInput(s, v, held)
      const result = autofill(input)
      proposals += result.proposals.length
      const problems = violations(input, result.proposals)
      if (problems.length) throw new Error(problems.join('\n'))
      return result.stats.filled <= result.stats.bound.filled && result.stats.belowMinimumFilled <= result.stats.belowMinimumPlaces
    }),
    { numRuns: 1000, seed: 20261130 },
  )
  t.ok(proposals > 500, `${proposals} proposals checked`)
})

t.test('property: the fast pair check agrees with eligibility.checkRules', async (t) => {
  fc.assert(
    fc.property(sessionArb, volunteerArb, heldArb, (s, v, held) => {
      const input = buildInput([s], [v], held)
      const session = input.sessions[0]!
      const profile = input.volunteers[0]!.profile
      const expected = checkRules(profile, session, NAMES, ALL_RULES).length === 0
      return possiblePair(profile, session) === expected
    }),
    { numRuns: 3000, seed: 7 },
  )
  t.pass('3000 random pairs agree')
})

// ---------------------------------------------------------------------------------------------
// Behaviours a coordinator would notice.

function everyone(count: number, overrides: Partial<VolunteerProfile> = {}): AutofillInput['volunteers'][number][] {
  return Array.from({ length: count }, (_, i) => ({
    profile: {
      id: i + 1,
      name: `V${i + 1}`,
      status: 'active' as const,
      homeBranchId: 1,
      branchIds: [1],
      skillIds: [1],
      trainings: [],
      windows: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '08:00', end: '20:00' })),
      timeOff: [],
      maxPerMonth: 8,
      commitments: [],
      ...overrides,
    },
    load: 0,
  }))
}

function weekOfSessions(count: number, min: number, max: number): SessionNeeds[] {
  return Array.from({ length: count }, (_, i) => {
    const date = `2027-06-${String(7 + i).padStart(2, '0')}`
    return {
      id: 500 + i,
      branchId: 1,
      seriesId: null,
      title: `Drop-in ${i}`,
      localDate: date,
      startTime: '10:00',
      endTime: '12:00',
      startsAt: localToInstant(date, '10:00', 'Europe/London'),
      endsAt: localToInstant(date, '12:00', 'Europe/London'),
      requiredSkillIds: [],
      preferredSkillIds: [],
      requiredTrainingIds: [],
      min,
      max,
      confirmed: 0,
    }
  })
}

t.test('places are spread: six sessions and three volunteers give two each', async (t) => {
  const result = autofill({ sessions: weekOfSessions(6, 1, 1), volunteers: everyone(3) })
  const counts = new Map<number, number>()
  for (const p of result.proposals) counts.set(p.volunteerId, (counts.get(p.volunteerId) ?? 0) + 1)
  t.same([...counts.values()].sort(), [2, 2, 2])
})

t.test('someone who helped a lot recently gets fewer', async (t) => {
  const volunteers = everyone(2)
  volunteers[0]!.load = 2
  const result = autofill({ sessions: weekOfSessions(4, 1, 1), volunteers })
  const first = result.proposals.filter((p) => p.volunteerId === 1).length
  t.equal(first, 1, 'the one with two recent sessions gets one of four; the other gets three')
  t.equal(result.proposals.length, 4)
})

t.test('below-minimum places come before extra places', async (t) => {
  // One volunteer, two overlapping sessions: one below its minimum, one only wanting an extra person.
  const [a, b] = weekOfSessions(2, 1, 2)
  const extra = { ...b!, localDate: a!.localDate, startsAt: a!.startsAt, endsAt: a!.endsAt, min: 1, confirmed: 1 }
  const result = autofill({ sessions: [extra, a!], volunteers: everyone(1) })
  t.same(result.proposals.map((p) => [p.sessionId, p.forMinimum]), [[a!.id, true]])
})

t.test('a volunteer is never given two overlapping sessions, nor more than their monthly cap', async (t) => {
  const sessions = weekOfSessions(5, 2, 2)
  const clash = { ...sessions[0]!, id: 999, branchId: 1, startTime: '11:00', endTime: '13:00', startsAt: sessions[0]!.startsAt + 3_600_000, endsAt: sessions[0]!.endsAt + 3_600_000 }
  const volunteers = everyone(2, { maxPerMonth: 2 })
  const result = autofill({ sessions: [...sessions, clash], volunteers })
  t.same(violations({ sessions: [...sessions, clash], volunteers }, result.proposals), [])
  t.equal(result.stats.filled, 4, 'two volunteers × cap of two')
})
