// Small generated auto-fill instances (seeded), and the hard rules and exact optimum computed independently of src/matching/autofill.ts.
import type { Names, SessionNeeds, VolunteerProfile, Commitment } from '../../src/matching/eligibility.js'
import { ALL_RULES, checkRules } from '../../src/matching/eligibility.js'
import type { AutofillInput, AutofillProposal } from '../../src/matching/autofill.js'
import { prng } from '../../src/seed/demo.js'
import highsModule from 'highs'
import { localToInstant } from '../../src/time/wall-clock.js'

/** HiGHS, the exact MIP solver the tests (and only the tests and bench) compare against. Its package is typed as CommonJS. */
type HighsLoader = typeof highsModule.default
export const loadHighs: HighsLoader = (highsModule as unknown as { default?: HighsLoader }).default ?? (highsModule as unknown as HighsLoader)

export const NAMES: Names = {
  skill: (id) => `skill ${id}`,
  skillKind: (id) => (id >= 4 ? 'language' : 'topic'),
  training: (id) => `training ${id}`,
  branch: (id) => `branch ${id}`,
}

// Dates across a month end, so monthly caps and month-spanning weeks are exercised.
const DATES = ['2027-01-26', '2027-01-27', '2027-01-28', '2027-01-29', '2027-01-30', '2027-02-01', '2027-02-02', '2027-02-03']
// Slots that overlap as cliques (10–12, 11–12:30) and as chains (10–12, 11:30–13:30, 13–15).
const SLOTS: Array<[string, string]> = [
  ['10:00', '12:00'],
  ['11:00', '12:30'],
  ['11:30', '13:30'],
  ['13:00', '15:00'],
  ['14:00', '16:00'],
  ['12:00', '13:00'],
]

export interface Instance {
  input: AutofillInput
  seed: number
}

export function generateInstance(seed: number, size: { volunteers?: number; sessions?: number } = {}): Instance {
  const random = prng(seed)
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const some = <T,>(items: readonly T[], p: number): T[] => items.filter(() => random() < p)
  const branches = [1, 2, 3].slice(0, int(1, 3))
  const sessionCount = size.sessions ?? int(3, 9)
  const volunteerCount = size.volunteers ?? int(2, 7)
  // Some instances crowd their sessions into two days, where chains of overlaps are common.
  const dates = random() < 0.4 ? [DATES[4]!, DATES[5]!] : DATES.slice(0, 3 + int(0, 5))
  const sessions: SessionNeeds[] = []
  let id = 100
  for (let i = 0; i < sessionCount; i++) {
    const date = pick(dates)
    const [start, end] = pick(SLOTS)
    const max = int(1, 3)
    const min = int(0, max)
    sessions.push({
      id: id++,
      branchId: pick(branches),
      seriesId: random() < 0.5 ? int(1, 2) : null,
      title: `Session ${i}`,
      localDate: date,
      startTime: start,
      endTime: end,
      startsAt: localToInstant(date, start, 'Europe/London'),
      endsAt: localToInstant(date, end, 'Europe/London'),
      requiredSkillIds: some([1, 2], 0.25),
      preferredSkillIds: some([3, 4, 5], 0.3),
      requiredTrainingIds: some([1, 2], 0.3),
      min,
      max,
      confirmed: random() < 0.3 ? int(0, max) : 0,
    })
  }
  // Sessions outside the input that some volunteers already hold (clashes and monthly caps).
  const held: Commitment[] = []
  for (let i = 0; i < 4; i++) {
    const date = pick(DATES)
    const [start, end] = pick(SLOTS)
    held.push({ sessionId: 900 + i, title: `Held ${i}`, localDate: date, startsAt: localToInstant(date, start, 'Europe/London'), endsAt: localToInstant(date, end, 'Europe/London') })
  }
  const volunteers: AutofillInput['volunteers'][number][] = []
  for (let i = 0; i < volunteerCount; i++) {
    const windows: VolunteerProfile['windows'][number][] = []
    for (let d = 1; d <= 7; d++) {
      if (random() < 0.6) windows.push(random() < 0.5 ? { day: d, start: '09:00', end: '17:00' } : pick([{ day: d, start: '09:30', end: '13:30' }, { day: d, start: '12:00', end: '16:00' }]))
    }
    const trainings: VolunteerProfile['trainings'][number][] = []
    for (const kind of [1, 2]) {
      if (random() < 0.7) trainings.push({ trainingKindId: kind, completedOn: '2026-01-01', expiresOn: random() < 0.2 ? pick(DATES) : null })
    }
    const profile: VolunteerProfile = {
      id: 1 + i,
      name: `Volunteer ${i}`,
      status: random() < 0.9 ? 'active' : pick(['paused', 'applied'] as const),
      homeBranchId: pick(branches),
      branchIds: branches.filter((b) => random() < 0.7).concat(random() < 0.2 ? [] : [pick(branches)]).filter((b, j, all) => all.indexOf(b) === j),
      skillIds: some([1, 2, 3, 4, 5], 0.6),
      trainings,
      windows,
      timeOff: random() < 0.15 ? [{ start: pick(DATES), end: pick(DATES.slice(4)) }] : [],
      maxPerMonth: int(0, 4),
      commitments: random() < 0.4 ? some(held, 0.4) : [],
    }
    volunteers.push({ profile, load: int(0, 3) })
  }
  const excluded = new Set<string>()
  if (random() < 0.3) excluded.add(`${pick(volunteers).profile.id}:${pick(sessions).id}`)
  return { seed, input: { sessions, volunteers, excluded, skillKind: NAMES.skillKind } }
}

/** Hard-rule violations of a proposal, checked with eligibility.checkRules as bookings arrive one by one. */
export function violations(input: AutofillInput, proposals: readonly AutofillProposal[]): string[] {
  const problems: string[] = []
  const sessions = new Map(input.sessions.map((s) => [s.id, { ...s }]))
  const profiles = new Map(input.volunteers.map((v) => [v.profile.id, { ...v.profile, commitments: [...v.profile.commitments] }]))
  const seen = new Set<string>()
  for (const p of proposals) {
    const key = `${p.volunteerId}:${p.sessionId}`
    if (seen.has(key)) problems.push(`${key} proposed twice`)
    seen.add(key)
    if (input.excluded?.has(key)) problems.push(`${key} was excluded`)
    const session = sessions.get(p.sessionId)
    const profile = profiles.get(p.volunteerId)
    if (!session || !profile) {
      problems.push(`${key} unknown`)
      continue
    }
    if (session.confirmed >= session.max) problems.push(`session ${session.id} over its maximum`)
    const failures = checkRules(profile, session, NAMES, ALL_RULES)
    if (failures.length) problems.push(`${key}: ${failures.map((f) => f.toCoordinator).join('; ')}`)
    session.confirmed++
    profile.commitments.push({ sessionId: session.id, title: session.title, startsAt: session.startsAt, endsAt: session.endsAt, localDate: session.localDate })
  }
  return problems
}

/** The pairs that pass every hard rule on their own (no proposals yet), per eligibility.checkRules. */
export function eligiblePairs(input: AutofillInput): Array<{ v: VolunteerProfile; s: SessionNeeds; name: string }> {
  const out: Array<{ v: VolunteerProfile; s: SessionNeeds; name: string }> = []
  for (const { profile } of input.volunteers) {
    for (const s of input.sessions) {
      if (s.confirmed >= s.max) continue
      if (input.excluded?.has(`${profile.id}:${s.id}`)) continue
      if (checkRules(profile, s, NAMES, ALL_RULES).length === 0) out.push({ v: profile, s, name: `x_${profile.id}_${s.id}` })
    }
  }
  return out
}

export interface ExactModel {
  hasPairs: boolean
  hasDeficits: boolean
  /** CPLEX LP text maximising below-minimum places. */
  belowMinimum(): string
  /** CPLEX LP text maximising all places, keeping at least `d` below-minimum places. */
  total(d: number): string
  /** CPLEX LP text minimising the largest load, keeping `d` below-minimum and `f` places. */
  fairest(d: number, f: number): string
}

/** The auto-fill problem as an integer programme, written from the rules, not from the flow network. */
export function exactModel(input: AutofillInput): ExactModel {
  const pairs = eligiblePairs(input)
  const rows: string[] = []
  const bySession = new Map<number, string[]>()
  for (const p of pairs) bySession.set(p.s.id, [...(bySession.get(p.s.id) ?? []), p.name])
  const yVars: string[] = []
  for (const s of input.sessions) {
    const xs = bySession.get(s.id) ?? []
    const places = Math.max(0, s.max - s.confirmed)
    const deficit = Math.min(places, Math.max(0, s.min - s.confirmed))
    if (xs.length) rows.push(`cap_${s.id}: ${xs.join(' + ')} <= ${places}`)
    if (deficit > 0 && xs.length) {
      const y = `y_${s.id}`
      yVars.push(y)
      rows.push(`ydef_${s.id}: ${y} <= ${deficit}`)
      rows.push(`ylink_${s.id}: ${y} - ${xs.join(' - ')} <= 0`)
    }
  }
  const byVolunteer = new Map<number, typeof pairs>()
  for (const p of pairs) byVolunteer.set(p.v.id, [...(byVolunteer.get(p.v.id) ?? []), p])
  for (const [vid, list] of byVolunteer) {
    const profile = list[0]!.v
    const months = new Map<string, string[]>()
    for (const p of list) months.set(p.s.localDate.slice(0, 7), [...(months.get(p.s.localDate.slice(0, 7)) ?? []), p.name])
    for (const [month, xs] of months) {
      const held = profile.commitments.filter((c) => c.localDate.slice(0, 7) === month).length
      rows.push(`month_${vid}_${month.replace('-', '_')}: ${xs.join(' + ')} <= ${profile.maxPerMonth - held}`)
    }
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!.s
        const b = list[j]!.s
        if (a.startsAt < b.endsAt && b.startsAt < a.endsAt) rows.push(`clash_${vid}_${a.id}_${b.id}: ${list[i]!.name} + ${list[j]!.name} <= 1`)
      }
    }
  }
  const xs = pairs.map((p) => p.name)
  const bounds = ['Bounds', ...xs.map((x) => ` 0 <= ${x} <= 1`), ...yVars.map((y) => ` 0 <= ${y} <= 10`)]
  const generals = ['Generals', ` ${[...xs, ...yVars].join(' ')}`]
  const keepD = (d: number) => (d > 0 ? [`keep_d: ${yVars.join(' + ')} >= ${d}`] : [])
  const keepF = (f: number) => (f > 0 ? [`keep_f: ${xs.join(' + ')} >= ${f}`] : [])
  const lp = (sense: string, obj: string, extra: string[], more: string[] = []) =>
    [sense, ` obj: ${obj}`, 'Subject To', ...[...rows, ...extra].map((r) => ` ${r}`), ...bounds, ...more, ...generals, 'End'].join('\n')
  return {
    hasPairs: xs.length > 0,
    hasDeficits: yVars.length > 0,
    belowMinimum: () => lp('Maximize', yVars.join(' + '), []),
    total: (d) => lp('Maximize', xs.join(' + '), keepD(d)),
    fairest: (d, f) => {
      const loadRows: string[] = []
      for (const v of input.volunteers) {
        const mine = (byVolunteer.get(v.profile.id) ?? []).map((p) => p.name)
        if (!mine.length) continue
        loadRows.push(`load_${v.profile.id}: top - ${mine.join(' - ')} >= ${v.load ?? 0}`)
      }
      return lp('Minimize', 'top', [...keepD(d), ...keepF(f), ...loadRows], [' 0 <= top <= 1000'])
    },
  }
}
