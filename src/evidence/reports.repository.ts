// SQL behind /reports and /network: a scope's sessions, places, reports and topics over a date range, grouped per branch (or library service) and month in SQL.
import { sql, type QueryCreator } from 'kysely'
import type { Db, Tx } from '../db/connect.js'
import { SESSION_LINE_COLUMNS } from '../db/columns.js'
import type { Database } from '../db/schema.js'
import { PLACE_STATES } from '../assignments/transitions.js'
import type { SessionCell, TopicCount, VolunteerCount } from './figures.js'

export interface Range {
  branchIds: readonly number[]
  from: string
  to: string
}

function sessionsOf(db: Db | Tx | QueryCreator<Database>, r: Range) {
  return db.selectFrom('sessions').where('sessions.branch_id', 'in', [...r.branchIds]).where('sessions.local_date', '>=', r.from).where('sessions.local_date', '<=', r.to)
}

// Why the grouping is here, in SQL: a year of a whole network is about 100,000 sessions and 200,000
// places. Reading them as rows and counting in JavaScript cost 20 times a plain scan of the places;
// each query below makes one pass over the scope's rows and returns one row per branch (or
// library service) and month, or per topic, which src/evidence/figures.ts shapes into the figures.
// (On SQLite a GROUP BY costs about as much per row as the scan itself, so the network's year
// still takes about 10 times the scan: see `npm run bench:reports`.)
// The month is the branch's own: the first seven characters of the session's local date.

/** What the figures are grouped by: each branch and month (/reports) or each library service and month (/network). */
export type GroupBy = 'branch' | 'service'

const month = sql<string>`substr(sessions.local_date, 1, 7)`

/** A session was held when it was not cancelled and has ended by `now`. */
function held(now: number) {
  return sql<boolean>`sessions.status = 'scheduled' and sessions.ends_at <= ${now}`
}

/** The group a session's figures fall in: its branch, or its branch's library service (branches joined). */
function groupId(by: GroupBy) {
  return by === 'branch' ? sql<number>`sessions.branch_id` : sql<number>`branches.library_service_id`
}

/** The scope's sessions, with their branches joined when grouped by library service (when grouped by branch, SQLite then reads them in its index's order). */
function scoped(db: Db | Tx, r: Range, by: GroupBy) {
  return sessionsOf(db, r).$if(by === 'service', (qb) => qb.innerJoin('branches', 'branches.id', 'sessions.branch_id'))
}

/**
 * The measures of sessions and places per branch (or service) and month: sessions held and
 * cancelled, their places, hours and reports. Places are counted per session first, so that each
 * session's unfilled places are its own (never below zero), then summed per month.
 */
export async function sessionCells(db: Db | Tx, r: Range, now: number, by: GroupBy): Promise<SessionCell[]> {
  if (r.branchIds.length === 0) return []
  const count = (state: string) => sql<number>`sum(case when assignments.state = ${state} then 1 else 0 end)`
  // Joined on the session alone (one index seek per session), the place states told apart in the sums.
  const perSession = sessionsOf(db, r)
    .leftJoin('assignments', 'assignments.session_id', 'sessions.id')
    .select([
      'sessions.id',
      'sessions.branch_id',
      month.as('month'),
      sql<number>`case when sessions.status = 'cancelled' then 1 else 0 end`.as('cancelled'),
      sql<number>`case when ${held(now)} then 1 else 0 end`.as('held'),
      'sessions.min_volunteers',
      'sessions.max_volunteers',
      sql<number>`sessions.ends_at - sessions.starts_at`.as('ms'),
      sql<number>`sum(case when assignments.state in (${sql.join(PLACE_STATES)}) then 1 else 0 end)`.as('taken'),
      count('attended').as('attended'),
      count('no_show').as('no_shows'),
      count('confirmed').as('not_marked'),
    ])
    // In the index's order, so SQLite needs no sort (and PostgreSQL lets the session's columns be read, its key being among them).
    .groupBy(['sessions.branch_id', 'sessions.local_date', 'sessions.id'])
  const h = sql.ref('ps.held')
  const group = by === 'branch' ? sql<number>`ps.branch_id` : sql<number>`branches.library_service_id`
  const rows = await db
    .selectFrom(perSession.as('ps'))
    // A session's report (one at most) is joined to its one row here, after its places are counted.
    .leftJoin('session_reports', 'session_reports.session_id', 'ps.id')
    .$if(by === 'service', (qb) => qb.innerJoin('branches', 'branches.id', 'ps.branch_id'))
    .select([
      group.as('group_id'),
      'ps.month',
      sql<number>`sum(ps.held)`.as('held'),
      sql<number>`sum(ps.cancelled)`.as('cancelled'),
      sql<number>`sum(${h} * ps.min_volunteers)`.as('min_places'),
      sql<number>`sum(${h} * ps.max_volunteers)`.as('max_places'),
      sql<number>`sum(${h} * ps.taken)`.as('taken'),
      sql<number>`sum(case when ps.max_volunteers > ps.taken then ${h} * (ps.max_volunteers - ps.taken) else 0 end)`.as('unfilled'),
      sql<number>`sum(${h} * ps.attended)`.as('attended'),
      sql<number>`sum(${h} * ps.attended * ps.ms)`.as('attended_ms'),
      sql<number>`sum(${h} * ps.no_shows)`.as('no_shows'),
      sql<number>`sum(${h} * ps.not_marked)`.as('not_marked'),
      sql<number>`sum(case when session_reports.session_id is null then 0 else ${h} end)`.as('reported'),
      sql<number>`sum(${h} * coalesce(session_reports.people_helped, 0))`.as('people'),
      sql<number>`sum(${h} * coalesce(session_reports.new_to_library, 0))`.as('new_to_library'),
      sql<number>`sum(${h} * coalesce(session_reports.came_back, 0))`.as('came_back'),
    ])
    .groupBy([group, 'ps.month'])
    .execute()
  return rows.map((x) => ({
    groupId: Number(x.group_id),
    month: x.month,
    sessionsHeld: Number(x.held),
    sessionsCancelled: Number(x.cancelled),
    minPlaces: Number(x.min_places),
    maxPlaces: Number(x.max_places),
    placesTaken: Number(x.taken),
    unfilledPlaces: Number(x.unfilled),
    attended: Number(x.attended),
    attendedMs: Number(x.attended_ms),
    noShows: Number(x.no_shows),
    notMarked: Number(x.not_marked),
    sessionsReported: Number(x.reported),
    peopleHelped: Number(x.people),
    newToLibrary: Number(x.new_to_library),
    cameBack: Number(x.came_back),
  }))
}

/**
 * How many volunteers attended held sessions, per library service and month (/network). Counted
 * in SQL at the level shown, since one volunteer can come in several months and branches
 * (distinct counts do not add up).
 */
export async function attendedVolunteersPerService(db: Db | Tx, r: Range, now: number): Promise<VolunteerCount[]> {
  if (r.branchIds.length === 0) return []
  const rows = await scoped(db, r, 'service')
    .innerJoin('assignments', 'assignments.session_id', 'sessions.id')
    .where('assignments.state', '=', 'attended')
    .where(held(now))
    .select([groupId('service').as('group_id'), month.as('month'), sql<number>`count(distinct assignments.volunteer_id)`.as('n')])
    .groupBy([groupId('service'), month])
    .execute()
  return rows.map((x) => ({ groupId: Number(x.group_id), month: x.month, volunteers: Number(x.n) }))
}

/**
 * How many volunteers attended held sessions (/reports): per branch and month, per month, and in
 * all, each counted apart since distinct counts do not add up. One statement: who came where and
 * when is read once (one pass over the places), then counted at the three levels.
 */
export async function attendedVolunteersPerBranch(db: Db | Tx, r: Range, now: number): Promise<VolunteerCount[]> {
  if (r.branchIds.length === 0) return []
  const rows = await db
    .with('came', (qb) =>
      sessionsOf(qb, r)
        .innerJoin('assignments', 'assignments.session_id', 'sessions.id')
        .where('assignments.state', '=', 'attended')
        .where(held(now))
        .select(['sessions.branch_id', month.as('month'), 'assignments.volunteer_id'])
        .distinct(),
    )
    .selectFrom('came')
    .select([sql<number | null>`came.branch_id`.as('group_id'), sql<string | null>`came.month`.as('month'), sql<number>`count(*)`.as('n')])
    .groupBy(['came.branch_id', 'came.month'])
    .unionAll((eb) => eb.selectFrom('came').select([sql<number | null>`null`.as('group_id'), sql<string | null>`came.month`.as('month'), sql<number>`count(distinct came.volunteer_id)`.as('n')]).groupBy('came.month'))
    .unionAll((eb) => eb.selectFrom('came').select([sql<number | null>`null`.as('group_id'), sql<string | null>`null`.as('month'), sql<number>`count(distinct came.volunteer_id)`.as('n')]))
    .execute()
  return rows.map((x) => ({ groupId: x.group_id === null ? null : Number(x.group_id), month: x.month, volunteers: Number(x.n) }))
}

/**
 * New volunteers per branch and month: those whose first ever attended place (at any branch, any
 * date; ties by session id) is a held session of the range, counted at that session's branch and
 * month, so each is new once. A place is someone's first when they attended no session that
 * started before it. Keyed by volunteer id, never by name, so the count holds when someone leaves
 * or is anonymised.
 */
export async function newVolunteers(db: Db | Tx, r: Range, now: number): Promise<Array<{ branchId: number; month: string; volunteers: number }>> {
  if (r.branchIds.length === 0) return []
  const rows = await sessionsOf(db, r)
    .innerJoin('assignments', 'assignments.session_id', 'sessions.id')
    .where('assignments.state', '=', 'attended')
    .where(held(now))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('assignments as earlier')
            .innerJoin('sessions as before', 'before.id', 'earlier.session_id')
            .select(sql<number>`1`.as('one'))
            .whereRef('earlier.volunteer_id', '=', 'assignments.volunteer_id')
            .where('earlier.state', '=', 'attended')
            .where('before.status', '=', 'scheduled')
            .where((eb) => eb.or([eb('before.starts_at', '<', eb.ref('sessions.starts_at')), eb.and([eb('before.starts_at', '=', eb.ref('sessions.starts_at')), eb('before.id', '<', eb.ref('sessions.id'))])])),
        ),
      ),
    )
    .select(['sessions.branch_id', month.as('month'), sql<number>`count(*)`.as('n')])
    .groupBy(['sessions.branch_id', month])
    .execute()
  return rows.map((x) => ({ branchId: x.branch_id, month: x.month, volunteers: Number(x.n) }))
}

/** People helped per topic in held sessions: in all (/reports), or per library service and month (/network). */
export async function topicPeople(db: Db | Tx, r: Range, now: number, level: 'all' | 'service'): Promise<TopicCount[]> {
  if (r.branchIds.length === 0) return []
  const q = scoped(db, r, level === 'service' ? 'service' : 'branch').innerJoin('session_report_topics', 'session_report_topics.session_id', 'sessions.id').where(held(now))
  const people = sql<number>`sum(session_report_topics.people_count)`.as('n')
  if (level === 'all') {
    const rows = await q.select(['session_report_topics.skill_id', people]).groupBy('session_report_topics.skill_id').execute()
    return rows.map((x) => ({ groupId: null, month: null, skillId: x.skill_id, people: Number(x.n) }))
  }
  const rows = await q
    .select([groupId('service').as('group_id'), month.as('month'), 'session_report_topics.skill_id', people])
    .groupBy([groupId('service'), month, 'session_report_topics.skill_id'])
    .execute()
  return rows.map((x) => ({ groupId: Number(x.group_id), month: x.month, skillId: x.skill_id, people: Number(x.n) }))
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
