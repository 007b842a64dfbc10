// A volunteer's own profile: what they can do, where, when, and how often — read and changed only by them.
//
// Every change is validated against the admin's lists and what is already stored, written in one
// transaction with an audit entry, and never touches anyone else's record.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js'
import { audit } from '../audit/audit.repository.js'
import { todayIn, DEFAULT_ZONE } from '../time/wall-clock.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { localName } from '../i18n/names.js'
import * as repo from './profile.repository.js'
import {
  validateDetails,
  validateLibraries,
  validateNewWindows,
  validatePreferences,
  validateSkills,
  validateTimeOff,
  dayLabel,
  type Result,
} from './profile.validation.js'

export type Body = Record<string, unknown>

/** The steps a new volunteer is taken through, in order (each is also a page of its own). */
export const SETUP_STEPS = ['skills', 'libraries', 'availability', 'preferences'] as const
export type SetupStep = (typeof SETUP_STEPS)[number]

export function nextSetupStep(step: SetupStep): string {
  const i = SETUP_STEPS.indexOf(step)
  const next = SETUP_STEPS[i + 1]
  return next ? `/profile/${next}?setup=1` : '/profile?setup=done'
}

export function volunteerIdOf(user: SignedInUser): number {
  if (!user.volunteer) throw new ForbiddenError({ key: 'auth.refusal.forVolunteers' })
  return user.volunteer.id
}

async function profileOf(ctx: AppContext, user: SignedInUser): Promise<repo.ProfileRow> {
  const profile = await repo.findProfile(ctx.db, volunteerIdOf(user))
  if (!profile) throw new NotFoundError({ key: 'profile.refusal.noProfile' })
  return profile
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new ValidationError(result.errors)
  return result.value
}

export function todayForVolunteers(ctx: AppContext): string {
  return todayIn(ctx.clock.now(), DEFAULT_ZONE)
}

/** Everything the profile page shows, its names (skills, branches, training, days) in the page's language. */
export async function profileOverview(ctx: AppContext, user: SignedInUser, locale: Locale = 'en') {
  const profile = await profileOf(ctx, user)
  const id = profile.volunteerId
  const [skills, skillIds, branches, branchIds, windows, timeOff, trainings] = await Promise.all([
    repo.skillChoices(ctx.db, profile.libraryServiceId, locale),
    repo.skillIdsOf(ctx.db, id),
    repo.branchChoices(ctx.db, profile.libraryServiceId, locale),
    repo.branchIdsOf(ctx.db, id),
    repo.windowsOf(ctx.db, id),
    repo.timeOffOf(ctx.db, id),
    repo.trainingsOf(ctx.db, id, locale),
  ])
  const today = todayForVolunteers(ctx)
  const mySkills = skills.filter((s) => skillIds.includes(s.id))
  return {
    profile,
    topics: mySkills.filter((s) => s.kind === 'topic').map((s) => localName(s, locale)),
    languages: mySkills.filter((s) => s.kind === 'language').map((s) => localName(s, locale)),
    libraries: branches.filter((b) => branchIds.includes(b.id)).map((b) => ({ name: localName(b, locale), home: b.id === profile.homeBranchId })),
    windowsByDay: groupWindows(windows, locale),
    timeOff: timeOff.filter((r) => r.end >= today),
    trainings: trainings.map((tr) => ({ ...tr, name: localName(tr, locale) })),
    today,
    incomplete: incompleteSteps({ skillIds, branchIds, windows }),
  }
}

/** What a new volunteer has not set up yet (shown on the dashboard and the profile page). */
export function incompleteSteps(p: { skillIds: readonly number[]; branchIds: readonly number[]; windows: readonly unknown[] }): SetupStep[] {
  const missing: SetupStep[] = []
  if (p.skillIds.length === 0) missing.push('skills')
  if (p.branchIds.length === 0) missing.push('libraries')
  if (p.windows.length === 0) missing.push('availability')
  return missing
}

export async function setupStatus(ctx: AppContext, user: SignedInUser): Promise<SetupStep[]> {
  const id = volunteerIdOf(user)
  const [skillIds, branchIds, windows] = await Promise.all([repo.skillIdsOf(ctx.db, id), repo.branchIdsOf(ctx.db, id), repo.windowsOf(ctx.db, id)])
  return incompleteSteps({ skillIds, branchIds, windows })
}

export function groupWindows(windows: readonly repo.WindowRow[], locale: Locale = 'en') {
  const t = translator(locale)
  const days: Array<{ day: number; name: string; windows: repo.WindowRow[] }> = []
  for (let day = 1; day <= 7; day++) {
    days.push({ day, name: dayLabel(t, day), windows: windows.filter((w) => w.day === day) })
  }
  return days
}

async function auditChange(ctx: AppContext, tx: Parameters<typeof audit>[0], profile: repo.ProfileRow, action: string, detail: Record<string, unknown>) {
  await audit(tx, {
    actorPersonId: profile.personId,
    libraryServiceId: profile.libraryServiceId,
    action,
    objectType: 'volunteer',
    objectId: profile.volunteerId,
    detail,
    at: ctx.clock.now(),
  })
}

// ── Your details ──────────────────────────────────────────────────────────────

export async function detailsForm(ctx: AppContext, user: SignedInUser) {
  const profile = await profileOf(ctx, user)
  return { values: { name: profile.name, phone: profile.phone ?? '' }, email: profile.email }
}

export async function saveDetails(ctx: AppContext, user: SignedInUser, body: Body, locale: Locale = 'en'): Promise<void> {
  const profile = await profileOf(ctx, user)
  const value = unwrap(validateDetails(body, locale))
  await inTransaction(ctx.db, async (tx) => {
    await repo.updatePerson(tx, profile.personId, value)
    await auditChange(ctx, tx, profile, 'profile_details_changed', {})
  })
}

// ── Skills and languages ─────────────────────────────────────────────────────

export async function skillsForm(ctx: AppContext, user: SignedInUser, locale: Locale = 'en') {
  const profile = await profileOf(ctx, user)
  const [choices, chosen] = await Promise.all([repo.skillChoices(ctx.db, profile.libraryServiceId, locale), repo.skillIdsOf(ctx.db, profile.volunteerId)])
  return {
    topics: choices.filter((s) => s.kind === 'topic').map((s) => ({ ...s, name: localName(s, locale) })),
    languages: choices.filter((s) => s.kind === 'language').map((s) => ({ ...s, name: localName(s, locale) })),
    chosen: new Set(chosen.map(String)),
  }
}

export async function saveSkills(ctx: AppContext, user: SignedInUser, body: Body, locale: Locale = 'en'): Promise<void> {
  const profile = await profileOf(ctx, user)
  const choices = await repo.skillChoices(ctx.db, profile.libraryServiceId)
  const skillIds = unwrap(validateSkills(body, new Set(choices.map((s) => s.id)), locale))
  await inTransaction(ctx.db, async (tx) => {
    await repo.replaceSkills(tx, profile.volunteerId, skillIds)
    await auditChange(ctx, tx, profile, 'profile_skills_changed', { skillIds })
  })
}

// ── Libraries ────────────────────────────────────────────────────────────────

export async function librariesForm(ctx: AppContext, user: SignedInUser, locale: Locale = 'en') {
  const profile = await profileOf(ctx, user)
  const [branches, chosen] = await Promise.all([repo.branchChoices(ctx.db, profile.libraryServiceId, locale), repo.branchIdsOf(ctx.db, profile.volunteerId)])
  return { branches, chosen: new Set(chosen.map(String)), home: profile.homeBranchId === null ? '' : String(profile.homeBranchId) }
}

export async function saveLibraries(ctx: AppContext, user: SignedInUser, body: Body, locale: Locale = 'en'): Promise<void> {
  const profile = await profileOf(ctx, user)
  const branches = await repo.branchChoices(ctx.db, profile.libraryServiceId)
  const value = unwrap(validateLibraries(body, new Set(branches.map((b) => b.id)), locale))
  await inTransaction(ctx.db, async (tx) => {
    await repo.replaceBranches(tx, profile.volunteerId, value.branchIds)
    await repo.updateVolunteer(tx, profile.volunteerId, { home_branch_id: value.homeBranchId, updated_at: ctx.clock.now() })
    await auditChange(ctx, tx, profile, 'profile_libraries_changed', value)
  })
}

// ── Weekly availability ──────────────────────────────────────────────────────

export async function availabilityPage(ctx: AppContext, user: SignedInUser, locale: Locale = 'en') {
  const windows = await repo.windowsOf(ctx.db, volunteerIdOf(user))
  return { windowsByDay: groupWindows(windows, locale), count: windows.length }
}

/** Adds the same times on each chosen day; returns how many windows were added. */
export async function addWindows(ctx: AppContext, user: SignedInUser, body: Body, locale: Locale = 'en'): Promise<number> {
  const profile = await profileOf(ctx, user)
  return inTransaction(ctx.db, async (tx) => {
    // Read inside the transaction: two quick submissions cannot both pass the overlap check.
    const existing = await repo.windowsOf(tx, profile.volunteerId)
    const windows = unwrap(validateNewWindows(body, existing, locale))
    await repo.insertWindows(tx, profile.volunteerId, windows)
    await auditChange(ctx, tx, profile, 'availability_added', { windows })
    return windows.length
  })
}

export async function removeWindow(ctx: AppContext, user: SignedInUser, windowId: number): Promise<void> {
  const profile = await profileOf(ctx, user)
  await inTransaction(ctx.db, async (tx) => {
    if (!(await repo.deleteWindow(tx, profile.volunteerId, windowId))) throw new NotFoundError({ key: 'profile.refusal.noWindow' })
    await auditChange(ctx, tx, profile, 'availability_removed', { windowId })
  })
}

// ── Time off ─────────────────────────────────────────────────────────────────

export async function timeOffPage(ctx: AppContext, user: SignedInUser) {
  const id = volunteerIdOf(user)
  const today = todayForVolunteers(ctx)
  const ranges = (await repo.timeOffOf(ctx.db, id)).filter((r) => r.end >= today)
  const withClashes = await Promise.all(ranges.map(async (r) => ({ ...r, bookings: await repo.bookingsBetween(ctx.db, id, r.start, r.end) })))
  return { ranges: withClashes, today }
}

/** Records time off; returns the bookings it covers, so the volunteer can withdraw from them. */
export async function addTimeOff(ctx: AppContext, user: SignedInUser, body: Body, locale: Locale = 'en') {
  const profile = await profileOf(ctx, user)
  const today = todayForVolunteers(ctx)
  return inTransaction(ctx.db, async (tx) => {
    const existing = await repo.timeOffOf(tx, profile.volunteerId)
    const range = unwrap(validateTimeOff(body, today, existing, locale))
    await repo.insertTimeOff(tx, profile.volunteerId, range)
    await auditChange(ctx, tx, profile, 'time_off_added', range)
    return { range, bookings: await repo.bookingsBetween(tx, profile.volunteerId, range.start, range.end) }
  })
}

export async function removeTimeOff(ctx: AppContext, user: SignedInUser, timeOffId: number): Promise<void> {
  const profile = await profileOf(ctx, user)
  await inTransaction(ctx.db, async (tx) => {
    if (!(await repo.deleteTimeOff(tx, profile.volunteerId, timeOffId))) throw new NotFoundError({ key: 'profile.refusal.noTimeOff' })
    await auditChange(ctx, tx, profile, 'time_off_removed', { timeOffId })
  })
}

// ── How often, and reminders ─────────────────────────────────────────────────

export async function preferencesForm(ctx: AppContext, user: SignedInUser) {
  const profile = await profileOf(ctx, user)
  return {
    values: {
      maxPerMonth: String(profile.maxPerMonth),
      reminders: profile.remindersEnabled ? 'yes' : 'no',
      groupMessages: profile.groupMessagesEnabled ? 'yes' : 'no',
      // Not chosen yet: the language they are reading in now is the likely answer.
      language: profile.language ?? user.serviceLanguage ?? 'en',
    },
  }
}

export async function savePreferences(ctx: AppContext, user: SignedInUser, body: Body, locale: Locale = 'en'): Promise<void> {
  const profile = await profileOf(ctx, user)
  const value = unwrap(validatePreferences(body, locale))
  await inTransaction(ctx.db, async (tx) => {
    await repo.updateVolunteer(tx, profile.volunteerId, {
      max_sessions_per_month: value.maxPerMonth,
      reminders_enabled: value.remindersEnabled ? 1 : 0,
      ...(value.groupMessagesEnabled === undefined ? {} : { group_messages_enabled: value.groupMessagesEnabled ? 1 : 0 }),
      updated_at: ctx.clock.now(),
    })
    if (value.language !== undefined) await repo.updatePerson(tx, profile.personId, { language: value.language })
    await auditChange(ctx, tx, profile, 'preferences_changed', value)
  })
}
