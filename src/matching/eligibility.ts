// Who may do which session: the hard rules of PRODUCT.md as pure functions, shared by booking, candidates and auto-fill.
//
// No database, no HTTP: callers load a VolunteerProfile and a SessionNeeds and get back every
// rule that fails, with the words to show a volunteer ("You …") and a coordinator ("on leave
// until 12 Dec"). Which rules bind is the caller's choice: a volunteer may book outside their
// weekly availability (they know their week), a coordinator's candidates and auto-fill may not.
import { DateTime } from 'luxon'
import { perDate } from '../time/wall-clock.js'
import { dayName, isoWeekday } from '../time/weekdays.js'
import type { VolunteerStatus } from '../db/schema.js'
import { plural } from '../views/format.js'

export type Rule = 'status' | 'branch' | 'skills' | 'training' | 'time_off' | 'availability' | 'clash' | 'monthly_cap'

export const ALL_RULES: readonly Rule[] = ['status', 'branch', 'skills', 'training', 'time_off', 'availability', 'clash', 'monthly_cap']
/**
 * Rules that are only advice to a volunteer booking for themselves: they know their own week, so
 * a session outside their weekly availability is mentioned on its card but never refused.
 */
export const ADVICE_FOR_VOLUNTEERS: readonly Rule[] = ['availability']
/** Self-booking (and answering an invitation): every rule but the advice. */
export const BOOKING_RULES: readonly Rule[] = ALL_RULES.filter((r) => !ADVICE_FOR_VOLUNTEERS.includes(r))

/** Whether a failed rule stops a volunteer booking for themselves (as opposed to being advice). */
export function barsVolunteer(failure: { rule: Rule }): boolean {
  return !ADVICE_FOR_VOLUNTEERS.includes(failure.rule)
}

export interface TrainingRecord {
  trainingKindId: number
  completedOn: string
  /** null: never expires. */
  expiresOn: string | null
}

export interface Commitment {
  sessionId: number
  title: string
  startsAt: number
  endsAt: number
  /** The session's local date, for the monthly cap. */
  localDate: string
}

export interface VolunteerProfile {
  id: number
  name: string
  status: VolunteerStatus
  homeBranchId: number | null
  branchIds: readonly number[]
  skillIds: readonly number[]
  trainings: readonly TrainingRecord[]
  /** ISO day (1 = Monday) and local 'HH:MM' times. */
  windows: ReadonlyArray<{ day: number; start: string; end: string }>
  timeOff: ReadonlyArray<{ start: string; end: string }>
  maxPerMonth: number
  /** Confirmed (or held) sessions, at least those in the months and days that matter. */
  commitments: readonly Commitment[]
}

export interface SessionNeeds {
  id: number
  branchId: number
  seriesId: number | null
  title: string
  localDate: string
  startTime: string
  endTime: string
  startsAt: number
  endsAt: number
  requiredSkillIds: readonly number[]
  preferredSkillIds: readonly number[]
  requiredTrainingIds: readonly number[]
  min: number
  max: number
  confirmed: number
}

/** Names for the words: skills, languages, trainings, branches by id. */
export interface Names {
  skill(id: number): string
  skillKind(id: number): 'topic' | 'language'
  training(id: number): string
  branch(id: number): string
}

export interface RuleFailure {
  rule: Rule
  /** Second person, for the volunteer: "You are on leave until 12 Dec". */
  toVolunteer: string
  /** What toVolunteer says, as data, so a page in another language can say it (src/bookings/volunteer-wording.ts). */
  said?: Said
  /** Third person, for a coordinator: "on leave until 12 Dec". */
  toCoordinator: string
}

/**
 * What this module says to a volunteer, as data: `inEnglish` words it as every page always has, and
 * src/bookings/volunteer-wording.ts words it in the page's language from the catalogue. Dates are
 * local dates ('2026-12-10') and days ISO numbers, so each language formats its own.
 */
export type Said =
  | { key: 'status'; status: 'applied' | 'paused' | 'left' }
  | { key: 'branch'; branch: string }
  | { key: 'skills'; list: string }
  | { key: 'trainingLapsed'; name: string; date: string }
  | { key: 'training'; name: string }
  | { key: 'timeOff'; until: string }
  | { key: 'availability'; day: number; part: PartOfDay }
  | { key: 'clash'; title: string }
  | { key: 'monthlyCap'; count: number; month: string }
  | { key: 'speaks'; skill: string }
  | { key: 'knows'; skill: string }
  | { key: 'hasSkill'; skill: string }
  | { key: 'available'; day: number; part: PartOfDay }
  | { key: 'homeLibrary' }
  | { key: 'needed'; toMin: number; toMax: number; languages: string[] }

export type Wording = (said: Said) => string

/** The English every page, email and test has always had. */
export const inEnglish: Wording = (s) => {
  switch (s.key) {
    case 'status':
      return s.status === 'applied' ? 'You can book sessions once a coordinator has approved you' : s.status === 'paused' ? 'You cannot book sessions while your volunteering is paused' : 'You cannot book sessions: you are no longer on the rota'
    case 'branch':
      return `${s.branch} is not one of the libraries in your profile`
    case 'skills':
      return `This session needs ${s.list}, which is not in your skills`
    case 'trainingLapsed':
      return `Your ${s.name} runs out on ${shortDay(s.date)}, before this session`
    case 'training':
      return `This session needs ${s.name}, which you have not done yet`
    case 'timeOff':
      return `You are on leave until ${shortDay(s.until)}`
    case 'availability':
      return `${dayName(s.day)} ${s.part} are not in your availability`
    case 'clash':
      return `You are already booked on ${s.title} at the same time`
    case 'monthlyCap':
      return `You already have ${plural(s.count, 'session')} in ${monthName(s.month)}, the most you asked for`
    case 'speaks':
      return `You speak ${s.skill}`
    case 'knows':
      return `You know ${s.skill}`
    case 'hasSkill':
      return `You have the skill it needs: ${s.skill}`
    case 'available':
      return `${dayName(s.day)} ${s.part} are in your availability`
    case 'homeLibrary':
      return 'It is at your home library'
    case 'needed': {
      const parts: string[] = []
      if (s.toMin > 0) parts.push(`${plural(s.toMin, 'more volunteer')} needed`)
      else if (s.toMax > 0) parts.push(`room for ${plural(s.toMax, 'more volunteer')}`)
      else parts.push('full')
      if (s.languages.length) parts.push(`${s.languages.join(' or ')} speaker wanted`)
      return parts.join('; ')
    }
  }
}

/** A failed rule with its words for the volunteer, said in English and kept as data. */
function failed(rule: Rule, said: Said, toCoordinator: string): RuleFailure {
  return { rule, toVolunteer: inEnglish(said), said, toCoordinator }
}

// These run for every session on every search: remembered per date (see perDate).
const shortDayOf = perDate((localDate) => DateTime.fromISO(localDate, { zone: 'UTC' }).setLocale('en-GB').toFormat('d MMM'))
const monthNameOf = perDate((localDate) => DateTime.fromISO(localDate, { zone: 'UTC' }).setLocale('en-GB').toFormat('MMMM'))

export function shortDay(localDate: string): string {
  return shortDayOf(localDate)
}

/** ISO day of the week (1 = Monday) of a session's date (src/time/weekdays.ts). */
export function dayOfWeekOf(localDate: string): number {
  return isoWeekday(localDate)
}

export type PartOfDay = 'mornings' | 'afternoons' | 'evenings'

/** "mornings" before 12:00, "afternoons" before 17:00, else "evenings". */
export function partOfDay(startTime: string): PartOfDay {
  return startTime < '12:00' ? 'mornings' : startTime < '17:00' ? 'afternoons' : 'evenings'
}

function monthKey(localDate: string): string {
  return localDate.slice(0, 7)
}

function monthName(localDate: string): string {
  return monthNameOf(localDate)
}

/** The training record that makes `kindId` valid on `date`, if any. */
export function validTraining(trainings: readonly TrainingRecord[], kindId: number, date: string): TrainingRecord | undefined {
  return trainings.find((t) => t.trainingKindId === kindId && t.completedOn <= date && (t.expiresOn === null || t.expiresOn >= date))
}

export function isAvailableFor(profile: VolunteerProfile, session: SessionNeeds): boolean {
  const day = dayOfWeekOf(session.localDate)
  return profile.windows.some((w) => w.day === day && w.start <= session.startTime && w.end >= session.endTime)
}

export function clashesWith(profile: VolunteerProfile, session: SessionNeeds): Commitment | undefined {
  return profile.commitments.find((c) => c.sessionId !== session.id && c.startsAt < session.endsAt && session.startsAt < c.endsAt)
}

export function sessionsInMonth(profile: VolunteerProfile, session: SessionNeeds): number {
  const key = monthKey(session.localDate)
  return profile.commitments.filter((c) => c.sessionId !== session.id && monthKey(c.localDate) === key).length
}

/** Every rule this volunteer fails for this session, among `rules` (all by default), in a stable order. */
export function checkRules(
  profile: VolunteerProfile,
  session: SessionNeeds,
  names: Names,
  rules: readonly Rule[] = ALL_RULES,
): RuleFailure[] {
  const failures: RuleFailure[] = []
  const on = new Set(rules)

  if (on.has('status') && profile.status !== 'active') {
    const why = profile.status === 'applied' ? 'not approved yet' : profile.status === 'paused' ? 'paused' : 'no longer volunteering'
    failures.push(failed('status', { key: 'status', status: profile.status === 'applied' ? 'applied' : profile.status === 'paused' ? 'paused' : 'left' }, why))
  }

  if (on.has('branch') && !profile.branchIds.includes(session.branchId)) {
    const branch = names.branch(session.branchId)
    failures.push(failed('branch', { key: 'branch', branch }, `does not go to ${branch}`))
  }

  if (on.has('skills')) {
    const have = new Set(profile.skillIds)
    const missing = session.requiredSkillIds.filter((id) => !have.has(id))
    if (missing.length) {
      const list = missing.map((id) => names.skill(id)).join(', ')
      failures.push(failed('skills', { key: 'skills', list }, `lacks ${list}`))
    }
  }

  if (on.has('training')) {
    for (const kindId of session.requiredTrainingIds) {
      if (validTraining(profile.trainings, kindId, session.localDate)) continue
      const name = names.training(kindId)
      const lapsed = profile.trainings
        .filter((t) => t.trainingKindId === kindId && t.expiresOn !== null && t.expiresOn < session.localDate)
        .sort((a, b) => (a.expiresOn! < b.expiresOn! ? 1 : -1))[0]
      failures.push(
        lapsed
          ? failed('training', { key: 'trainingLapsed', name, date: lapsed.expiresOn! }, `${name} expired ${shortDay(lapsed.expiresOn!)}`)
          : failed('training', { key: 'training', name }, `no ${name}`),
      )
    }
  }

  if (on.has('time_off')) {
    const leave = profile.timeOff.find((t) => t.start <= session.localDate && session.localDate <= t.end)
    if (leave) {
      failures.push(failed('time_off', { key: 'timeOff', until: leave.end }, `on leave until ${shortDay(leave.end)}`))
    }
  }

  if (on.has('availability') && !isAvailableFor(profile, session)) {
    const isoDay = dayOfWeekOf(session.localDate)
    const part = partOfDay(session.startTime)
    failures.push(failed('availability', { key: 'availability', day: isoDay, part }, `not available ${dayName(isoDay)} ${part}`))
  }

  if (on.has('clash')) {
    const other = clashesWith(profile, session)
    if (other) {
      failures.push(failed('clash', { key: 'clash', title: other.title }, `already on ${other.title} at that time`))
    }
  }

  if (on.has('monthly_cap')) {
    const count = sessionsInMonth(profile, session)
    if (count >= profile.maxPerMonth) {
      const month = monthName(session.localDate)
      failures.push(failed('monthly_cap', { key: 'monthlyCap', count, month: session.localDate }, `already has ${count} in ${month} (their limit)`))
    }
  }

  return failures
}

/** Why a session suits a volunteer, in their words ("You speak Polish"). */
export function reasonsItFits(profile: VolunteerProfile, session: SessionNeeds, names: Names, say: Wording = inEnglish): string[] {
  const reasons: string[] = []
  const have = new Set(profile.skillIds)
  for (const id of session.preferredSkillIds) {
    if (!have.has(id)) continue
    reasons.push(say({ key: names.skillKind(id) === 'language' ? 'speaks' : 'knows', skill: names.skill(id) }))
  }
  for (const id of session.requiredSkillIds) if (have.has(id)) reasons.push(say({ key: 'hasSkill', skill: names.skill(id) }))
  if (isAvailableFor(profile, session)) {
    reasons.push(say({ key: 'available', day: dayOfWeekOf(session.localDate), part: partOfDay(session.startTime) }))
  }
  if (profile.homeBranchId === session.branchId) reasons.push(say({ key: 'homeLibrary' }))
  return reasons
}

/** What a session still needs, in plain words ("2 more volunteers needed; Polish speaker wanted"). */
export function whatIsNeeded(session: SessionNeeds, names: Names, say: Wording = inEnglish): string {
  const languages = session.preferredSkillIds.filter((id) => names.skillKind(id) === 'language').map((id) => names.skill(id))
  return say({ key: 'needed', toMin: session.min - session.confirmed, toMax: session.max - session.confirmed, languages })
}
