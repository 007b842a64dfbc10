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
  /** Third person, for a coordinator: "on leave until 12 Dec". */
  toCoordinator: string
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

/** "mornings" before 12:00, "afternoons" before 17:00, else "evenings". */
export function partOfDay(startTime: string): string {
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
    failures.push({
      rule: 'status',
      toVolunteer:
        profile.status === 'applied' ? 'You can book sessions once a coordinator has approved you' : profile.status === 'paused' ? 'You cannot book sessions while your volunteering is paused' : 'You cannot book sessions: you are no longer on the rota',
      toCoordinator: why,
    })
  }

  if (on.has('branch') && !profile.branchIds.includes(session.branchId)) {
    const branch = names.branch(session.branchId)
    failures.push({
      rule: 'branch',
      toVolunteer: `${branch} is not one of the libraries in your profile`,
      toCoordinator: `does not go to ${branch}`,
    })
  }

  if (on.has('skills')) {
    const have = new Set(profile.skillIds)
    const missing = session.requiredSkillIds.filter((id) => !have.has(id))
    if (missing.length) {
      const list = missing.map((id) => names.skill(id)).join(', ')
      failures.push({ rule: 'skills', toVolunteer: `This session needs ${list}, which is not in your skills`, toCoordinator: `lacks ${list}` })
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
          ? {
              rule: 'training',
              toVolunteer: `Your ${name} runs out on ${shortDay(lapsed.expiresOn!)}, before this session`,
              toCoordinator: `${name} expired ${shortDay(lapsed.expiresOn!)}`,
            }
          : { rule: 'training', toVolunteer: `This session needs ${name}, which you have not done yet`, toCoordinator: `no ${name}` },
      )
    }
  }

  if (on.has('time_off')) {
    const leave = profile.timeOff.find((t) => t.start <= session.localDate && session.localDate <= t.end)
    if (leave) {
      failures.push({ rule: 'time_off', toVolunteer: `You are on leave until ${shortDay(leave.end)}`, toCoordinator: `on leave until ${shortDay(leave.end)}` })
    }
  }

  if (on.has('availability') && !isAvailableFor(profile, session)) {
    const day = dayName(dayOfWeekOf(session.localDate))
    const part = partOfDay(session.startTime)
    failures.push({
      rule: 'availability',
      toVolunteer: `${day} ${part} are not in your availability`,
      toCoordinator: `not available ${day} ${part}`,
    })
  }

  if (on.has('clash')) {
    const other = clashesWith(profile, session)
    if (other) {
      failures.push({
        rule: 'clash',
        toVolunteer: `You are already booked on ${other.title} at the same time`,
        toCoordinator: `already on ${other.title} at that time`,
      })
    }
  }

  if (on.has('monthly_cap')) {
    const count = sessionsInMonth(profile, session)
    if (count >= profile.maxPerMonth) {
      const month = monthName(session.localDate)
      failures.push({
        rule: 'monthly_cap',
        toVolunteer: `You already have ${plural(count, 'session')} in ${month}, the most you asked for`,
        toCoordinator: `already has ${count} in ${month} (their limit)`,
      })
    }
  }

  return failures
}

/** Why a session suits a volunteer, in their words ("You speak Polish"). */
export function reasonsItFits(profile: VolunteerProfile, session: SessionNeeds, names: Names): string[] {
  const reasons: string[] = []
  const have = new Set(profile.skillIds)
  for (const id of session.preferredSkillIds) {
    if (!have.has(id)) continue
    reasons.push(names.skillKind(id) === 'language' ? `You speak ${names.skill(id)}` : `You know ${names.skill(id)}`)
  }
  for (const id of session.requiredSkillIds) if (have.has(id)) reasons.push(`You have the skill it needs: ${names.skill(id)}`)
  if (isAvailableFor(profile, session)) {
    reasons.push(`${dayName(dayOfWeekOf(session.localDate))} ${partOfDay(session.startTime)} are in your availability`)
  }
  if (profile.homeBranchId === session.branchId) reasons.push('It is at your home library')
  return reasons
}

/** What a session still needs, in plain words ("2 more volunteers needed; Polish speaker wanted"). */
export function whatIsNeeded(session: SessionNeeds, names: Names): string {
  const parts: string[] = []
  const toMin = session.min - session.confirmed
  const toMax = session.max - session.confirmed
  if (toMin > 0) parts.push(`${plural(toMin, 'more volunteer')} needed`)
  else if (toMax > 0) parts.push(`room for ${plural(toMax, 'more volunteer')}`)
  else parts.push('full')
  const languages = session.preferredSkillIds.filter((id) => names.skillKind(id) === 'language').map((id) => names.skill(id))
  if (languages.length) parts.push(`${languages.join(' or ')} speaker wanted`)
  return parts.join('; ')
}
