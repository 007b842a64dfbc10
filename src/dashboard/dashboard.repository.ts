// SQL for the first page each role sees after signing in.
import type { Db } from '../db/connect.js'
import { placesWithSessions, SESSION_LINE_COLUMNS } from '../db/columns.js'

export interface UpcomingSessionRow {
  session_id: number
  title: string
  local_date: string
  start_time: string
  end_time: string
  branch_name: string
  branch_name_cy: string | null
  state: string
}

export async function upcomingSessionsOfVolunteer(db: Db, volunteerId: number, from: number, until: number): Promise<UpcomingSessionRow[]> {
  return placesWithSessions(db)
    .select(['sessions.id as session_id', ...SESSION_LINE_COLUMNS, 'assignments.state'])
    .where('assignments.volunteer_id', '=', volunteerId)
    // 'attended' before the end: checked in at the branch (src/evidence/checkin.service.ts).
    .where('assignments.state', 'in', ['confirmed', 'attended', 'waitlisted', 'invited'])
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.ends_at', '>', from)
    .where('sessions.starts_at', '<', until)
    .orderBy('sessions.starts_at')
    .limit(50)
    .execute()
}

export interface BranchSessionRow {
  session_id: number
  branch_id: number
  title: string
  local_date: string
  start_time: string
  end_time: string
  min_volunteers: number
  max_volunteers: number
  confirmed_count: number
  status: string
}

/** Sessions of the branches not yet over at `from` (one under way counts) and starting before `until`, soonest first. */
export async function sessionsOfBranches(db: Db, branchIds: number[], from: number, until: number): Promise<BranchSessionRow[]> {
  if (branchIds.length === 0) return []
  return db
    .selectFrom('sessions')
    .select([
      'id as session_id',
      'branch_id',
      'title',
      'local_date',
      'start_time',
      'end_time',
      'min_volunteers',
      'max_volunteers',
      'confirmed_count',
      'status',
    ])
    .where('branch_id', 'in', branchIds)
    .where('ends_at', '>', from)
    .where('starts_at', '<', until)
    .orderBy('starts_at')
    .limit(500)
    .execute()
}

export interface CoordinatorRow {
  person_id: number
  name: string
  email: string
  role: string
  branch_name: string | null
  branch_name_cy: string | null
}

export async function coordinatorsOfServices(db: Db, serviceIds: number[]): Promise<CoordinatorRow[]> {
  if (serviceIds.length === 0) return []
  return db
    .selectFrom('role_grants')
    .innerJoin('people', 'people.id', 'role_grants.person_id')
    .leftJoin('branches', 'branches.id', 'role_grants.branch_id')
    .select(['people.id as person_id', 'people.name', 'people.email', 'role_grants.role', 'branches.name as branch_name', 'branches.name_cy as branch_name_cy'])
    .where('role_grants.library_service_id', 'in', serviceIds)
    .where('role_grants.role', 'in', ['coordinator', 'admin'])
    .orderBy('people.name')
    .execute()
}
