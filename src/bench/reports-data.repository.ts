// SQL of the reports benchmark: what the year of past sessions is built from, its bulk inserts, and the baseline scans the reports are measured against.
//
// The inserts go straight through better-sqlite3 (prepared statements, one transaction), as the
// national dataset's do: row by row through Kysely would take minutes. The baseline scans go
// through Kysely, on the same connection the app's reports use.
import SqliteDatabaseClass from 'better-sqlite3'
import type SqliteDatabase from 'better-sqlite3'
import { sql } from 'kysely'
import type { Db } from '../db/connect.js'

type Raw = SqliteDatabase.Database

export interface BranchRow {
  id: number
  library_service_id: number
}

export interface GoerRow {
  volunteer_id: number
  person_id: number
  branch_id: number
  max_sessions_per_month: number
}

/** What the past year is made from: branches, who goes to each (active volunteers), each service's topics and coordinator, and the ids in use. */
export function readShape(raw: Raw) {
  const branches = raw.prepare('select id, library_service_id from branches where active = 1 order by id').all() as BranchRow[]
  const goers = raw
    .prepare(
      `select vb.volunteer_id, v.person_id, vb.branch_id, v.max_sessions_per_month
       from volunteer_branches vb join volunteers v on v.id = vb.volunteer_id
       where v.status = 'active' order by vb.branch_id, vb.volunteer_id`,
    )
    .all() as GoerRow[]
  const topics = raw.prepare(`select id, library_service_id from skills where kind = 'topic' and active = 1 order by library_service_id, sort_order`).all() as Array<{ id: number; library_service_id: number }>
  const coordinators = raw.prepare(`select library_service_id, min(person_id) as person_id from role_grants where role = 'coordinator' and branch_id is null group by library_service_id`).all() as Array<{ library_service_id: number; person_id: number }>
  const max = (table: string) => Number((raw.prepare(`select coalesce(max(id), 0) as n from ${table}`).get() as { n: number }).n)
  return { branches, goers, topics, coordinators, maxIds: { series: max('series'), sessions: max('sessions'), assignments: max('assignments') } }
}

/** Prepared inserts for the past year's rows; each takes its values in the column order given. */
export function pastYearInserts(raw: Raw) {
  const insert = (table: string, columns: string[]) => {
    const stmt = raw.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`)
    return (...values: unknown[]) => void stmt.run(values)
  }
  return {
    series: insert('series', ['id', 'branch_id', 'title', 'kind', 'rrule', 'start_time', 'end_time', 'starts_on', 'until_on', 'skipped_dates', 'required_skill_ids', 'preferred_skill_ids', 'required_training_ids', 'min_volunteers', 'max_volunteers', 'notes', 'created_by_person_id', 'created_at', 'updated_at']),
    session: insert('sessions', ['id', 'branch_id', 'series_id', 'title', 'kind', 'local_date', 'start_time', 'end_time', 'starts_at', 'ends_at', 'min_volunteers', 'max_volunteers', 'notes', 'status', 'confirmed_count', 'lock_version', 'cancelled_at', 'created_at', 'updated_at']),
    assignment: insert('assignments', ['id', 'session_id', 'volunteer_id', 'state', 'source', 'ical_sequence', 'waitlisted_at', 'confirmed_at', 'reason', 'created_at', 'updated_at']),
    mark: insert('attendance_marks', ['assignment_id', 'outcome', 'source', 'marked_by_person_id', 'marked_at']),
    report: insert('session_reports', ['session_id', 'people_helped', 'notes', 'recorded_by_person_id', 'recorded_at', 'new_to_library', 'came_back']),
    topic: insert('session_report_topics', ['session_id', 'skill_id', 'people_count']),
    grant: insert('role_grants', ['person_id', 'role', 'library_service_id', 'branch_id', 'created_at']),
  }
}

/** A person to hold the partner grants, with a login session (its token's hash). */
export function insertPartner(raw: Raw, email: string, now: number): number {
  const row = raw.prepare(`insert into people (email, name, phone, created_at) values (?, ?, null, ?) returning id`).get(email, 'Network Partner', now) as { id: number }
  return row.id
}

export function serviceAdminPerson(raw: Raw, serviceId: number): number {
  const row = raw.prepare(`select person_id from role_grants where role = 'admin' and library_service_id = ? and branch_id is null order by id limit 1`).get(serviceId) as { person_id: number } | undefined
  if (!row) throw new Error(`library service ${serviceId} has no admin`)
  return row.person_id
}

export function insertLoginSession(raw: Raw, personId: number, idHash: string, now: number, expiresAt: number): void {
  raw.prepare('insert into login_sessions (id_hash, person_id, created_at, last_seen_at, expires_at) values (?, ?, ?, ?, ?)').run(idHash, personId, now, now, expiresAt)
}

/** Row counts of the tables the reports read, in the file at `file`. */
export function tableCounts(file: string): Record<string, number> {
  const raw = new SqliteDatabaseClass(file, { readonly: true })
  try {
    const out: Record<string, number> = {}
    for (const table of ['branches', 'volunteers', 'sessions', 'assignments', 'attendance_marks', 'session_reports', 'session_report_topics']) {
      out[table] = Number((raw.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n)
    }
    return out
  } finally {
    raw.close()
  }
}

/** Planner statistics for the new rows, as `PRAGMA optimize` would gather on a live database. */
export function analyse(raw: Raw): void {
  raw.exec('analyze')
}

/**
 * The baseline: one full scan that sums the hours of every assignment row of a scope (its branches,
 * a date range). The reports cost about one pass over the same rows, so they are measured against it.
 */
export async function scopeHoursScan(db: Db, branchIds: readonly number[], from: string, to: string): Promise<number> {
  const row = await db
    .selectFrom('assignments')
    .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
    .select(sql<number>`sum(sessions.ends_at - sessions.starts_at)`.as('ms'))
    .where('sessions.branch_id', 'in', [...branchIds])
    .where('sessions.local_date', '>=', from)
    .where('sessions.local_date', '<=', to)
    .executeTakeFirst()
  return Number(row?.ms ?? 0) / 3_600_000
}

/** How many assignment rows that scan reads. */
export async function scopeAssignmentCount(db: Db, branchIds: readonly number[], from: string, to: string): Promise<number> {
  const row = await db
    .selectFrom('assignments')
    .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sessions.branch_id', 'in', [...branchIds])
    .where('sessions.local_date', '>=', from)
    .where('sessions.local_date', '<=', to)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

export async function branchIdsOfServices(db: Db, serviceIds: readonly number[]): Promise<number[]> {
  const rows = await db.selectFrom('branches').select('id').where('library_service_id', 'in', [...serviceIds]).where('active', '=', 1).orderBy('id').execute()
  return rows.map((r) => r.id)
}
