// SQL behind /reports: a scope's sessions, places, reports and topics over a date range, each one read (one pass over the data, not a query per branch or month).
import type { QueryCreator } from 'kysely'
import type { Db, Tx } from '../db/connect.js'
import { SESSION_LINE_COLUMNS } from '../db/columns.js'
import type { Database } from '../db/schema.js'
import { PLACE_STATES } from '../assignments/transitions.js'
import type { FirstAttendanceFact, PlaceFact, ReportFact, SessionFact, TopicFact } from './figures.js'

export interface Range {
  branchIds: readonly number[]
  from: string
  to: string
}

function sessionsOf(db: Db | Tx | QueryCreator<Database>, r: Range) {
  return db.selectFrom('sessions').where('sessions.branch_id', 'in', [...r.branchIds]).where('sessions.local_date', '>=', r.from).where('sessions.local_date', '<=', r.to)
}

export async function sessionFacts(db: Db | Tx, r: Range): Promise<SessionFact[]> {
  if (r.branchIds.length === 0) return []
  const rows = await sessionsOf(db, r)
    .select(['sessions.id', 'sessions.branch_id', 'sessions.local_date', 'sessions.status', 'sessions.starts_at', 'sessions.ends_at', 'sessions.min_volunteers', 'sessions.max_volunteers'])
    .execute()
  return rows.map((s) => ({ id: s.id, branchId: s.branch_id, localDate: s.local_date, status: s.status, startsAt: s.starts_at, endsAt: s.ends_at, min: s.min_volunteers, max: s.max_volunteers }))
}

export async function placeFacts(db: Db | Tx, r: Range): Promise<PlaceFact[]> {
  if (r.branchIds.length === 0) return []
  const rows = await sessionsOf(db, r)
    .innerJoin('assignments', 'assignments.session_id', 'sessions.id')
    .select(['assignments.session_id', 'assignments.volunteer_id', 'assignments.state'])
    .where('assignments.state', 'in', PLACE_STATES)
    .execute()
  return rows.map((p) => ({ sessionId: p.session_id, volunteerId: p.volunteer_id, state: p.state as PlaceFact['state'] }))
}

/**
 * The volunteers whose first ever attended place (at any branch, any date) is a session of the range:
 * their attended places are numbered by start time and the first kept. Only the volunteers with an
 * attended place in the range are numbered (a first place in the range is one of those), so the
 * query reads the scope's places and those volunteers' own, not every attended place in the country.
 * Keyed by volunteer id, never by name, so the count holds when someone leaves or is anonymised.
 */
export async function firstAttendanceFacts(db: Db | Tx, r: Range): Promise<FirstAttendanceFact[]> {
  if (r.branchIds.length === 0) return []
  const rows = await db
    .with('came', (qb) =>
      sessionsOf(qb, r)
        .innerJoin('assignments', 'assignments.session_id', 'sessions.id')
        .select('assignments.volunteer_id')
        .distinct()
        .where('assignments.state', '=', 'attended')
        .where('sessions.status', '=', 'scheduled'),
    )
    .with('firsts', (qb) =>
      qb
        .selectFrom('assignments')
        .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
        .select((eb) => [
          'assignments.volunteer_id',
          'sessions.id as session_id',
          'sessions.branch_id',
          'sessions.local_date',
          eb.fn.agg<number>('row_number').over((ob) => ob.partitionBy('assignments.volunteer_id').orderBy('sessions.starts_at').orderBy('sessions.id')).as('n'),
        ])
        .where('assignments.volunteer_id', 'in', (eb) => eb.selectFrom('came').select('came.volunteer_id'))
        .where('assignments.state', '=', 'attended')
        .where('sessions.status', '=', 'scheduled'),
    )
    .selectFrom('firsts')
    .select(['volunteer_id', 'session_id', 'branch_id', 'local_date'])
    .where('n', '=', 1)
    .where('branch_id', 'in', [...r.branchIds])
    .where('local_date', '>=', r.from)
    .where('local_date', '<=', r.to)
    .execute()
  return rows.map((x) => ({ volunteerId: x.volunteer_id, sessionId: x.session_id, branchId: x.branch_id, month: x.local_date.slice(0, 7) }))
}

export async function reportFacts(db: Db | Tx, r: Range): Promise<ReportFact[]> {
  if (r.branchIds.length === 0) return []
  const rows = await sessionsOf(db, r)
    .innerJoin('session_reports', 'session_reports.session_id', 'sessions.id')
    .select(['session_reports.session_id', 'session_reports.people_helped', 'session_reports.new_to_library', 'session_reports.came_back'])
    .execute()
  return rows.map((x) => ({ sessionId: x.session_id, peopleHelped: x.people_helped, newToLibrary: x.new_to_library, cameBack: x.came_back }))
}

export async function topicFacts(db: Db | Tx, r: Range): Promise<TopicFact[]> {
  if (r.branchIds.length === 0) return []
  const rows = await sessionsOf(db, r)
    .innerJoin('session_report_topics', 'session_report_topics.session_id', 'sessions.id')
    .select(['session_report_topics.session_id', 'session_report_topics.skill_id', 'session_report_topics.people_count'])
    .execute()
  return rows.map((x) => ({ sessionId: x.session_id, skillId: x.skill_id, people: x.people_count }))
}

/** The topics of some library services with the framework areas each is mapped to. */
export async function topicsWithAreas(db: Db | Tx, serviceIds: readonly number[]) {
  if (serviceIds.length === 0) return { names: new Map<number, string>(), areas: new Map<number, string[]>() }
  const [skills, links] = await Promise.all([
    db.selectFrom('skills').select(['id', 'name']).where('library_service_id', 'in', [...serviceIds]).where('kind', '=', 'topic').orderBy('sort_order').orderBy('name').execute(),
    db
      .selectFrom('skill_framework_areas')
      .innerJoin('skills', 'skills.id', 'skill_framework_areas.skill_id')
      .select(['skill_framework_areas.skill_id', 'skill_framework_areas.area_key'])
      .where('skills.library_service_id', 'in', [...serviceIds])
      .execute(),
  ])
  const areas = new Map<number, string[]>()
  for (const l of links) areas.set(l.skill_id, [...(areas.get(l.skill_id) ?? []), l.area_key])
  return { names: new Map(skills.map((s) => [s.id, s.name])), areas }
}

export async function frameworkAreas(db: Db | Tx): Promise<Array<{ key: string; name: string }>> {
  return db.selectFrom('framework_areas').select(['key', 'name']).orderBy('sort_order').execute()
}

function unreportedOf(db: Db | Tx, branchIds: readonly number[], since: number, until: number) {
  return db
    .selectFrom('sessions')
    .leftJoin('session_reports', 'session_reports.session_id', 'sessions.id')
    .where('sessions.branch_id', 'in', [...branchIds])
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.ends_at', '>', since)
    .where('sessions.ends_at', '<=', until)
    .where('session_reports.session_id', 'is', null)
}

/** Held sessions of some branches that ended between two instants and have no report, newest first. */
export async function unreportedSessions(db: Db | Tx, branchIds: readonly number[], since: number, until: number, limit: number) {
  if (branchIds.length === 0) return []
  return unreportedOf(db, branchIds, since, until)
    .innerJoin('branches', 'branches.id', 'sessions.branch_id')
    .select(['sessions.id', ...SESSION_LINE_COLUMNS])
    .orderBy('sessions.ends_at', 'desc')
    .orderBy('sessions.id', 'desc')
    .limit(limit)
    .execute()
}

/** How many sessions unreportedSessions would list without a limit. */
export async function countUnreportedSessions(db: Db | Tx, branchIds: readonly number[], since: number, until: number): Promise<number> {
  if (branchIds.length === 0) return 0
  const row = await unreportedOf(db, branchIds, since, until).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Library services by id, with their open branches (the network view's scope), in name order. */
export async function servicesWithBranches(db: Db | Tx, serviceIds: readonly number[]) {
  if (serviceIds.length === 0) return { services: [], branches: [] }
  const [services, branches] = await Promise.all([
    db.selectFrom('library_services').select(['id', 'name']).where('id', 'in', [...serviceIds]).orderBy('name').orderBy('id').execute(),
    db.selectFrom('branches').select(['id', 'name', 'library_service_id']).where('library_service_id', 'in', [...serviceIds]).where('active', '=', 1).orderBy('name').execute(),
  ])
  return { services, branches }
}
