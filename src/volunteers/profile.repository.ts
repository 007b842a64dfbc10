// SQL for a volunteer's own profile: details, skills, libraries, weekly availability, time off and preferences.
import type { Db, Tx } from '../db/connect.js'
import type { Locale } from '../i18n/i18n.js'
import { allWithLocalNames } from '../i18n/names.js'
import type { VolunteerStatus } from '../db/schema.js'
import { SESSION_HEADING_COLUMNS } from '../db/columns.js'

export interface ProfileRow {
  volunteerId: number
  personId: number
  libraryServiceId: number
  name: string
  email: string
  phone: string | null
  status: VolunteerStatus
  homeBranchId: number | null
  maxPerMonth: number
  remindersEnabled: boolean
  groupMessagesEnabled: boolean
  /** 'en' or 'cy', or null: not chosen (the library service's default applies). */
  language: string | null
}

export interface WindowRow {
  id: number
  day: number
  start: string
  end: string
}

export interface TimeOffRow {
  id: number
  start: string
  end: string
  note: string
}

export async function findProfile(db: Db | Tx, volunteerId: number): Promise<ProfileRow | null> {
  const row = await db
    .selectFrom('volunteers')
    .innerJoin('people', 'people.id', 'volunteers.person_id')
    .select([
      'volunteers.id',
      'volunteers.person_id',
      'volunteers.library_service_id',
      'people.name',
      'people.email',
      'people.phone',
      'volunteers.status',
      'volunteers.home_branch_id',
      'volunteers.max_sessions_per_month',
      'volunteers.reminders_enabled',
      'volunteers.group_messages_enabled',
      'people.language',
    ])
    .where('volunteers.id', '=', volunteerId)
    .executeTakeFirst()
  if (!row) return null
  return {
    volunteerId: row.id,
    personId: row.person_id,
    libraryServiceId: row.library_service_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    status: row.status,
    homeBranchId: row.home_branch_id,
    maxPerMonth: row.max_sessions_per_month,
    remindersEnabled: row.reminders_enabled === 1,
    groupMessagesEnabled: row.group_messages_enabled === 1,
    language: row.language,
  }
}

/** The admin's list of skills (topics, then languages) that volunteers of this library service can choose from, named in `locale`. */
export async function skillChoices(db: Db | Tx, libraryServiceId: number, locale: Locale = 'en') {
  const rows = await db
    .selectFrom('skills')
    .select(['id', 'name', 'name_cy', 'kind'])
    .where('library_service_id', '=', libraryServiceId)
    .where('active', '=', 1)
    .orderBy('kind', 'desc')
    .orderBy('sort_order')
    .orderBy('name')
    .execute()
  return allWithLocalNames(rows, locale)
}

/** The library service's open branches, named in `locale`. */
export async function branchChoices(db: Db | Tx, libraryServiceId: number, locale: Locale = 'en') {
  const rows = await db
    .selectFrom('branches')
    .select(['id', 'name', 'name_cy', 'address', 'postcode'])
    .where('library_service_id', '=', libraryServiceId)
    .where('active', '=', 1)
    .orderBy('name')
    .execute()
  return allWithLocalNames(rows, locale)
}

export async function skillIdsOf(db: Db | Tx, volunteerId: number): Promise<number[]> {
  const rows = await db.selectFrom('volunteer_skills').select('skill_id').where('volunteer_id', '=', volunteerId).execute()
  return rows.map((r) => r.skill_id)
}

export async function branchIdsOf(db: Db | Tx, volunteerId: number): Promise<number[]> {
  const rows = await db.selectFrom('volunteer_branches').select('branch_id').where('volunteer_id', '=', volunteerId).execute()
  return rows.map((r) => r.branch_id)
}

export async function windowsOf(db: Db | Tx, volunteerId: number): Promise<WindowRow[]> {
  return db
    .selectFrom('availability_windows')
    .select(['id', 'day_of_week as day', 'start_time as start', 'end_time as end'])
    .where('volunteer_id', '=', volunteerId)
    .orderBy('day_of_week')
    .orderBy('start_time')
    .execute()
}

export async function timeOffOf(db: Db | Tx, volunteerId: number): Promise<TimeOffRow[]> {
  return db
    .selectFrom('time_off')
    .select(['id', 'start_date as start', 'end_date as end', 'note'])
    .where('volunteer_id', '=', volunteerId)
    .orderBy('start_date')
    .execute()
}

/** A volunteer's training and check records, named in `locale`. */
export async function trainingsOf(db: Db | Tx, volunteerId: number, locale: Locale = 'en') {
  const rows = await db
    .selectFrom('volunteer_trainings')
    .innerJoin('training_kinds', 'training_kinds.id', 'volunteer_trainings.training_kind_id')
    .select(['training_kinds.name', 'training_kinds.name_cy', 'volunteer_trainings.completed_on', 'volunteer_trainings.expires_on'])
    .where('volunteer_trainings.volunteer_id', '=', volunteerId)
    .orderBy('training_kinds.name')
    .orderBy('volunteer_trainings.completed_on', 'desc')
    .execute()
  return allWithLocalNames(rows, locale)
}

export async function updatePerson(tx: Tx, personId: number, values: { name: string; phone: string | null } | { language: string }): Promise<void> {
  await tx.updateTable('people').set(values).where('id', '=', personId).execute()
}

export async function updateVolunteer(
  tx: Tx,
  volunteerId: number,
  values: { home_branch_id?: number; max_sessions_per_month?: number; reminders_enabled?: 0 | 1; group_messages_enabled?: 0 | 1; updated_at: number },
): Promise<void> {
  await tx.updateTable('volunteers').set(values).where('id', '=', volunteerId).execute()
}

export async function replaceSkills(tx: Tx, volunteerId: number, skillIds: readonly number[]): Promise<void> {
  await tx.deleteFrom('volunteer_skills').where('volunteer_id', '=', volunteerId).execute()
  if (skillIds.length) await tx.insertInto('volunteer_skills').values(skillIds.map((skill_id) => ({ volunteer_id: volunteerId, skill_id }))).execute()
}

export async function replaceBranches(tx: Tx, volunteerId: number, branchIds: readonly number[]): Promise<void> {
  await tx.deleteFrom('volunteer_branches').where('volunteer_id', '=', volunteerId).execute()
  if (branchIds.length) await tx.insertInto('volunteer_branches').values(branchIds.map((branch_id) => ({ volunteer_id: volunteerId, branch_id }))).execute()
}

export async function insertWindows(tx: Tx, volunteerId: number, windows: ReadonlyArray<{ day: number; start: string; end: string }>): Promise<void> {
  if (!windows.length) return
  await tx
    .insertInto('availability_windows')
    .values(windows.map((w) => ({ volunteer_id: volunteerId, day_of_week: w.day, start_time: w.start, end_time: w.end })))
    .execute()
}

/** Deletes one of this volunteer's windows; false if it is not theirs (or already gone). */
export async function deleteWindow(tx: Tx, volunteerId: number, windowId: number): Promise<boolean> {
  const r = await tx.deleteFrom('availability_windows').where('id', '=', windowId).where('volunteer_id', '=', volunteerId).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

export async function insertTimeOff(tx: Tx, volunteerId: number, range: { start: string; end: string; note: string }): Promise<void> {
  await tx.insertInto('time_off').values({ volunteer_id: volunteerId, start_date: range.start, end_date: range.end, note: range.note }).execute()
}

export async function deleteTimeOff(tx: Tx, volunteerId: number, timeOffId: number): Promise<boolean> {
  const r = await tx.deleteFrom('time_off').where('id', '=', timeOffId).where('volunteer_id', '=', volunteerId).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

/** Confirmed places of this volunteer on local dates in [start, end]: what new time off would clash with. */
export async function bookingsBetween(db: Db | Tx, volunteerId: number, start: string, end: string) {
  return db
    .selectFrom('assignments')
    .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
    .select(['assignments.id as assignment_id', 'sessions.id as session_id', ...SESSION_HEADING_COLUMNS])
    .where('assignments.volunteer_id', '=', volunteerId)
    .where('assignments.state', '=', 'confirmed')
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.local_date', '>=', start)
    .where('sessions.local_date', '<=', end)
    .orderBy('sessions.starts_at')
    .execute()
}
