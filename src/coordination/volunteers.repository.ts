// SQL for coordinators' view of volunteers: search within scope, one volunteer's record, status changes and training records.
import { sql, type ExpressionBuilder } from 'kysely'
import type { Db, Tx } from '../db/connect.js'
import type { AssignmentState, Database, VolunteerStatus } from '../db/schema.js'
import type { Locale } from '../i18n/i18n.js'
import { allWithLocalNames } from '../i18n/names.js'
import { placesWithSessions, SESSION_LINE_COLUMNS, volunteersWithPeople } from '../db/columns.js'

export interface VolunteerSearch {
  q: string
  skill: number | null
  branch: number | null
  status: VolunteerStatus | null
  page: number
}

export interface VolunteerListRow {
  id: number
  name: string
  email: string
  status: VolunteerStatus
  home_branch: string | null
  home_branch_cy: string | null
  applied_at: number
}

export const PAGE_SIZE = 50

/** Volunteers with their person and home branch (`home`, if they have one). */
function volunteersWithHomes(db: Db | Tx) {
  return volunteersWithPeople(db).leftJoin('branches as home', 'home.id', 'volunteers.home_branch_id')
}

/** `%` and `_` typed by a person are literal, not wildcards. */
function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * Volunteers a coordinator may see: in a library service they coordinate entirely, or going to
 * one of their single branches.
 */
export async function searchVolunteers(
  db: Db,
  scope: { serviceIds: readonly number[]; branchIds: readonly number[] },
  search: VolunteerSearch,
): Promise<{ rows: VolunteerListRow[]; total: number }> {
  if (scope.serviceIds.length === 0 && scope.branchIds.length === 0) return { rows: [], total: 0 }
  const filtered = (eb: ExpressionBuilder<Database & { home: Database['branches'] }, 'volunteers' | 'people' | 'home'>) => {
    const ands = []
    const ors = []
    if (scope.serviceIds.length) ors.push(eb('volunteers.library_service_id', 'in', [...scope.serviceIds]))
    if (scope.branchIds.length) {
      ors.push(eb.exists(eb.selectFrom('volunteer_branches').select('volunteer_branches.branch_id').whereRef('volunteer_branches.volunteer_id', '=', 'volunteers.id').where('volunteer_branches.branch_id', 'in', [...scope.branchIds])))
    }
    ands.push(eb.or(ors))
    if (search.q) {
      const pattern = likePattern(search.q)
      ands.push(eb.or([eb(sql`lower(people.name)`, 'like', sql`${pattern} escape '\\'`), eb(sql`lower(people.email)`, 'like', sql`${pattern} escape '\\'`)]))
    }
    if (search.skill !== null) {
      ands.push(eb.exists(eb.selectFrom('volunteer_skills').select('volunteer_skills.skill_id').whereRef('volunteer_skills.volunteer_id', '=', 'volunteers.id').where('volunteer_skills.skill_id', '=', search.skill)))
    }
    if (search.branch !== null) {
      ands.push(eb.exists(eb.selectFrom('volunteer_branches').select('volunteer_branches.branch_id').whereRef('volunteer_branches.volunteer_id', '=', 'volunteers.id').where('volunteer_branches.branch_id', '=', search.branch)))
    }
    if (search.status !== null) ands.push(eb('volunteers.status', '=', search.status))
    else ands.push(eb('volunteers.status', '!=', 'left'))
    ands.push(eb('people.anonymised_at', 'is', null))
    return eb.and(ands)
  }
  const from = volunteersWithHomes(db)
  const [rows, count] = await Promise.all([
    from
      .select(['volunteers.id', 'people.name', 'people.email', 'volunteers.status', 'home.name as home_branch', 'home.name_cy as home_branch_cy', 'volunteers.applied_at'])
      .where(filtered)
      .orderBy('people.name')
      .orderBy('volunteers.id')
      .limit(PAGE_SIZE)
      .offset((search.page - 1) * PAGE_SIZE)
      .execute(),
    from.select((eb) => eb.fn.countAll<number>().as('n')).where(filtered).executeTakeFirst(),
  ])
  return { rows, total: Number(count?.n ?? 0) }
}

/** Each volunteer's skills and languages, named in `locale` (src/i18n/names.ts). */
export async function skillsOfVolunteers(db: Db, volunteerIds: readonly number[], locale: Locale = 'en'): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>()
  if (volunteerIds.length === 0) return out
  const rows = await db
    .selectFrom('volunteer_skills')
    .innerJoin('skills', 'skills.id', 'volunteer_skills.skill_id')
    .select(['volunteer_skills.volunteer_id', 'skills.name', 'skills.name_cy'])
    .where('volunteer_skills.volunteer_id', 'in', [...volunteerIds])
    .orderBy('skills.kind', 'desc')
    .orderBy('skills.sort_order')
    .execute()
  for (const r of allWithLocalNames(rows, locale)) out.set(r.volunteer_id, [...(out.get(r.volunteer_id) ?? []), r.name])
  return out
}

export async function countApplicants(db: Db, scope: { serviceIds: readonly number[]; branchIds: readonly number[] }): Promise<number> {
  const { total } = await searchVolunteers(db, scope, { q: '', skill: null, branch: null, status: 'applied', page: 1 })
  return total
}

export async function findVolunteer(db: Db | Tx, volunteerId: number) {
  return volunteersWithHomes(db)
    .select([
      'volunteers.id',
      'volunteers.person_id',
      'volunteers.library_service_id',
      'volunteers.status',
      'volunteers.max_sessions_per_month',
      'volunteers.applied_at',
      'volunteers.approved_at',
      'people.name',
      'people.email',
      'people.phone',
      'home.name as home_branch',
      'home.name_cy as home_branch_cy',
    ])
    .where('volunteers.id', '=', volunteerId)
    .executeTakeFirst()
}

/** What a volunteer's record lists; the names of branches, skills and trainings in `locale`. */
export async function profileLists(db: Db, volunteerId: number, locale: Locale = 'en') {
  const [branches, skills, windows, timeOff, trainings] = await Promise.all([
    db.selectFrom('volunteer_branches').innerJoin('branches', 'branches.id', 'volunteer_branches.branch_id').select(['branches.id', 'branches.name', 'branches.name_cy']).where('volunteer_branches.volunteer_id', '=', volunteerId).orderBy('branches.name').execute(),
    db.selectFrom('volunteer_skills').innerJoin('skills', 'skills.id', 'volunteer_skills.skill_id').select(['skills.name', 'skills.name_cy', 'skills.kind']).where('volunteer_skills.volunteer_id', '=', volunteerId).orderBy('skills.sort_order').orderBy('skills.name').execute(),
    db.selectFrom('availability_windows').select(['day_of_week', 'start_time', 'end_time']).where('volunteer_id', '=', volunteerId).orderBy('day_of_week').orderBy('start_time').execute(),
    db.selectFrom('time_off').select(['start_date', 'end_date', 'note']).where('volunteer_id', '=', volunteerId).orderBy('start_date').execute(),
    db
      .selectFrom('volunteer_trainings')
      .innerJoin('training_kinds', 'training_kinds.id', 'volunteer_trainings.training_kind_id')
      .leftJoin('people as recorder', 'recorder.id', 'volunteer_trainings.recorded_by_person_id')
      .select(['volunteer_trainings.id', 'training_kinds.name', 'training_kinds.name_cy', 'training_kinds.kind', 'volunteer_trainings.completed_on', 'volunteer_trainings.expires_on', 'recorder.name as recorded_by'])
      .where('volunteer_trainings.volunteer_id', '=', volunteerId)
      .orderBy('training_kinds.name')
      .orderBy('volunteer_trainings.completed_on', 'desc')
      .execute(),
  ])
  return { branches: allWithLocalNames(branches, locale), skills: allWithLocalNames(skills, locale), windows, timeOff, trainings: allWithLocalNames(trainings, locale) }
}

export interface VolunteerSessionRow {
  session_id: number
  branch_id: number
  branch_name: string
  branch_name_cy: string | null
  title: string
  local_date: string
  start_time: string
  end_time: string
  starts_at: number
  session_status: string
  state: AssignmentState
}

/** A volunteer's assignments: upcoming ones (soonest first) and the history (latest first). */
export async function sessionsOfVolunteer(db: Db, volunteerId: number, now: number): Promise<{ upcoming: VolunteerSessionRow[]; past: VolunteerSessionRow[] }> {
  const base = placesWithSessions(db)
    .select([
      'sessions.id as session_id',
      'branches.id as branch_id',
      ...SESSION_LINE_COLUMNS,
      'sessions.starts_at',
      'sessions.status as session_status',
      'assignments.state',
    ])
    .where('assignments.volunteer_id', '=', volunteerId)
  const [upcoming, past] = await Promise.all([
    base.where('sessions.starts_at', '>=', now).where('assignments.state', 'in', ['confirmed', 'invited', 'waitlisted']).orderBy('sessions.starts_at').limit(100).execute(),
    base.where('sessions.starts_at', '<', now).orderBy('sessions.starts_at', 'desc').limit(100).execute(),
  ])
  return { upcoming, past }
}

/** Moves a volunteer from one status to another, only if they are still in the first. */
export async function changeStatus(tx: Tx, volunteerId: number, from: VolunteerStatus, to: VolunteerStatus, now: number): Promise<boolean> {
  const r = await tx
    .updateTable('volunteers')
    // left_at: the retention period (src/privacy) counts from here; null again if they come back.
    .set({ status: to, updated_at: now, left_at: to === 'left' ? now : null, ...(to === 'active' && from === 'applied' ? { approved_at: now } : {}) })
    .where('id', '=', volunteerId)
    .where('status', '=', from)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function trainingKindsOf(db: Db | Tx, libraryServiceId: number) {
  return db.selectFrom('training_kinds').select(['id', 'name', 'kind', 'validity_months']).where('library_service_id', '=', libraryServiceId).where('active', '=', 1).orderBy('name').execute()
}

export async function insertTraining(tx: Tx, input: { volunteerId: number; kindId: number; completedOn: string; expiresOn: string | null; recordedBy: number; now: number }): Promise<number> {
  const row = await tx
    .insertInto('volunteer_trainings')
    .values({ volunteer_id: input.volunteerId, training_kind_id: input.kindId, completed_on: input.completedOn, expires_on: input.expiresOn, recorded_by_person_id: input.recordedBy, created_at: input.now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export interface UpcomingPlace {
  assignment_id: number
  session_id: number
  state: AssignmentState
  title: string
  local_date: string
  start_time: string
  end_time: string
  branch_name: string
  branch_name_cy: string | null
}

/** What a volunteer still holds or waits for on sessions yet to start: places, waiting lists, invitations (soonest first). */
export async function upcomingPlacesOf(db: Db | Tx, volunteerId: number, now: number): Promise<UpcomingPlace[]> {
  return placesWithSessions(db)
    .select(['assignments.id as assignment_id', 'sessions.id as session_id', 'assignments.state', ...SESSION_LINE_COLUMNS])
    .where('assignments.volunteer_id', '=', volunteerId)
    .where('assignments.state', 'in', ['confirmed', 'waitlisted', 'invited'])
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.starts_at', '>', now)
    .orderBy('sessions.starts_at')
    .orderBy('sessions.id')
    .execute()
}

/** The library service as its emails to volunteers name it, and who volunteers contact with questions. */
export async function serviceForMail(db: Db | Tx, libraryServiceId: number): Promise<{ name: string; contact: string }> {
  const row = await db.selectFrom('library_services').select(['name', 'contact']).where('id', '=', libraryServiceId).executeTakeFirst()
  return { name: row?.name ?? 'your library service', contact: row?.contact ?? '' }
}
