// SQL behind the volunteer's sessions: candidate sessions to book, their own places, the session page and My sessions.
//
// Every query is bounded by the volunteer's own branches and a date range (or by their id), so it
// touches a few hundred rows at most whatever the size of the country's rota.
import { sql } from 'kysely'
import type { Db, Tx } from '../db/connect.js'
import { PLACE_STATES } from '../assignments/transitions.js'
import type { AssignmentState } from '../db/schema.js'
import { prepared } from '../db/prepared.js'
import { placesWithHolders, placesWithSessions, SESSION_HEADING_COLUMNS, SESSION_LISTING_COLUMNS, sessionsWithService } from '../db/columns.js'


/** What every listing of a session shows (with its branch's name, and its Welsh form for withLocalNames in src/i18n/names.ts). */
const SESSION_COLUMNS = [...SESSION_LISTING_COLUMNS, 'branches.name as branch_name', 'branches.name_cy as branch_name_cy'] as const

/** The same without the branch's name, which a search already has (one lookup fewer per row). */
const CANDIDATE_COLUMNS = SESSION_LISTING_COLUMNS

/**
 * Scheduled sessions not yet started at these branches on local dates [fromDate, toDate], soonest
 * first. The instant bounds only let the (branch, status, starts_at) index narrow the scan; the
 * local dates decide.
 */
export async function candidateSessions(
  db: Db | Tx,
  input: { branchIds: readonly number[]; fromDate: string; toDate: string; after: number; before: number; limit: number },
) {
  if (input.branchIds.length === 0) return []
  return candidates.all(db, input.branchIds, input.after, input.before, input.fromDate, input.toDate, input.limit)
}

const candidates = prepared((db, branchIds: readonly number[], after: number, before: number, fromDate: string, toDate: string, limit: number) =>
  db
    .selectFrom('sessions')
    .select(CANDIDATE_COLUMNS)
    .where('sessions.branch_id', 'in', branchIds)
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.starts_at', '>', after)
    .where('sessions.starts_at', '<', before)
    .where('sessions.local_date', '>=', fromDate)
    .where('sessions.local_date', '<=', toDate)
    .orderBy('sessions.starts_at')
    .orderBy('sessions.id')
    .limit(limit),
)

export type CandidateRow = Awaited<ReturnType<typeof candidateSessions>>[number]

const states = prepared((db, volunteerId: number, sessionIds: readonly number[]) =>
  db.selectFrom('assignments').select(['id', 'session_id', 'state']).where('volunteer_id', '=', volunteerId).where('session_id', 'in', sessionIds),
)

const ownAssignments = prepared((db, volunteerId: number, since: number) =>
  db
    .selectFrom('assignments')
    .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
    .select(['assignments.id', 'assignments.session_id', 'assignments.state', 'sessions.status', 'sessions.title', 'sessions.starts_at', 'sessions.ends_at', 'sessions.local_date'])
    .where('assignments.volunteer_id', '=', volunteerId)
    .where('sessions.ends_at', '>', since),
)

export type OwnAssignment = Awaited<ReturnType<typeof ownAssignments.all>>[number]

/**
 * Every assignment of this volunteer (in any state) on a session ending after `since`: a search
 * reads them once and takes from them the places held (for clashes and the monthly cap), the
 * state shown on each result and the count of upcoming sessions.
 */
export async function ownAssignmentsSince(db: Db | Tx, volunteerId: number, since: number): Promise<OwnAssignment[]> {
  return ownAssignments.all(db, volunteerId, since)
}

/** The same count from their assignments already read (`ownAssignmentsSince` with `since` at or before `now`). */
export function countUpcoming(own: readonly OwnAssignment[], now: number): number {
  return own.filter((a) => a.state === 'confirmed' && a.status === 'scheduled' && a.ends_at > now).length
}

/** This volunteer's assignment state on each of these sessions (those they have one on). */
export async function statesOn(db: Db | Tx, volunteerId: number, sessionIds: readonly number[]): Promise<Map<number, { id: number; state: AssignmentState }>> {
  const map = new Map<number, { id: number; state: AssignmentState }>()
  if (sessionIds.length === 0) return map
  const rows = await states.all(db, volunteerId, sessionIds)
  for (const r of rows) map.set(r.session_id, { id: r.id, state: r.state })
  return map
}

const positions = prepared((db, volunteerId: number, sessionIds: readonly number[]) =>
  db
    .selectFrom('assignments as me')
    .innerJoin('assignments as ahead', (join) =>
      join
        .onRef('ahead.session_id', '=', 'me.session_id')
        .on('ahead.state', '=', 'waitlisted')
        .on((eb) =>
          eb.or([
            eb('ahead.waitlisted_at', '<', eb.ref('me.waitlisted_at')),
            eb.and([eb('ahead.waitlisted_at', '=', eb.ref('me.waitlisted_at')), eb('ahead.id', '<=', eb.ref('me.id'))]),
          ]),
        ),
    )
    .select(['me.session_id', (eb) => eb.fn.countAll<number>().as('position')])
    .where('me.volunteer_id', '=', volunteerId)
    .where('me.state', '=', 'waitlisted')
    .where('me.session_id', 'in', sessionIds)
    .groupBy('me.session_id'),
)

/** The volunteer's place in the queue of each session they are waiting for (1 = next). */
export async function waitlistPositions(db: Db | Tx, volunteerId: number, sessionIds: readonly number[]): Promise<Map<number, number>> {
  const map = new Map<number, number>()
  if (sessionIds.length === 0) return map
  const rows = await positions.all(db, volunteerId, sessionIds)
  for (const r of rows) map.set(r.session_id, Number(r.position))
  return map
}


const detail = prepared((db, sessionId: number) =>
  sessionsWithService(db)
    .select(SESSION_COLUMNS)
    .select([
      'sessions.notes',
      'sessions.status',
      'branches.address',
      'branches.postcode',
      'branches.timezone',
      'branches.accessibility_notes',
      'branches.arrival_notes',
      'branches.library_service_id',
      'library_services.withdraw_cutoff_hours',
      'library_services.booking_window_days',
      'library_services.name as service_name',
      'library_services.contact as service_contact',
    ])
    .where('sessions.id', '=', sessionId),
)

export async function sessionDetail(db: Db | Tx, sessionId: number) {
  return (await detail.first(db, sessionId)) ?? null
}

export type SessionDetailRow = NonNullable<Awaited<ReturnType<typeof sessionDetail>>>

/** Names of the people holding a place on a session (for "who else is on"; the page shows first names only). */
export async function confirmedNames(db: Db | Tx, sessionId: number): Promise<Array<{ volunteer_id: number; name: string; anonymised: boolean }>> {
  const rows = await placesWithHolders(db)
    .select(['assignments.volunteer_id', 'people.name', 'people.anonymised_at'])
    .where('assignments.session_id', '=', sessionId)
    .where('assignments.state', 'in', PLACE_STATES)
    .orderBy('assignments.confirmed_at')
    .orderBy('assignments.id')
    .execute()
  return rows.map((r) => ({ volunteer_id: r.volunteer_id, name: r.name, anonymised: r.anonymised_at !== null }))
}

/** Who a volunteer should contact about a session: the branch's own coordinators first, then the library service's. */
export async function coordinatorsOf(db: Db | Tx, libraryServiceId: number, branchId: number, limit = 3) {
  return db
    .selectFrom('role_grants')
    .innerJoin('people', 'people.id', 'role_grants.person_id')
    .select(['people.id', 'people.name', 'people.email', 'people.phone', 'role_grants.branch_id'])
    .where('role_grants.library_service_id', '=', libraryServiceId)
    .where('role_grants.role', '=', 'coordinator')
    .where((eb) => eb.or([eb('role_grants.branch_id', 'is', null), eb('role_grants.branch_id', '=', branchId)]))
    .where('people.anonymised_at', 'is', null)
    // Branch grants (not null) before whole-service ones, on both databases.
    .orderBy(sql`case when role_grants.branch_id is null then 1 else 0 end`)
    .orderBy('people.name')
    .limit(limit * 2)
    .execute()
}


function myAssignments(db: Db | Tx, volunteerId: number) {
  return placesWithSessions(db)
    .innerJoin('library_services', 'library_services.id', 'branches.library_service_id')
    .select([
      'assignments.id as assignment_id',
      'assignments.state',
      'assignments.reason',
      'sessions.id as session_id',
      ...SESSION_HEADING_COLUMNS,
      'sessions.starts_at',
      'sessions.ends_at',
      'sessions.status',
      'branches.name as branch_name',
      'branches.name_cy as branch_name_cy',
      'library_services.withdraw_cutoff_hours',
    ])
    .where('assignments.volunteer_id', '=', volunteerId)
}

export type MySessionRow = Awaited<ReturnType<typeof pastOf>>[number]

/** Sessions not yet over that the volunteer is on (checked in to, too), waiting for, invited to, or that were cancelled under them. */
export async function upcomingOf(db: Db | Tx, volunteerId: number, now: number) {
  return myAssignments(db, volunteerId)
    .where('sessions.ends_at', '>', now)
    .where((eb) =>
      eb.or([
        eb.and([eb('sessions.status', '=', 'scheduled'), eb('assignments.state', 'in', ['confirmed', 'attended', 'waitlisted', 'invited'])]),
        eb.and([eb('sessions.status', '=', 'cancelled'), eb('assignments.state', 'in', ['confirmed', 'cancelled'])]),
      ]),
    )
    .orderBy('sessions.starts_at')
    .limit(200)
    .execute()
}

/** Sessions the volunteer held a place on that are over, newest first. */
export async function pastOf(db: Db | Tx, volunteerId: number, now: number, limit: number) {
  return myAssignments(db, volunteerId)
    .where('sessions.ends_at', '<=', now)
    .where('sessions.status', '=', 'scheduled')
    .where('assignments.state', 'in', PLACE_STATES)
    .orderBy('sessions.starts_at', 'desc')
    .limit(limit)
    .execute()
}

/** All-time count and minutes of sessions the volunteer helped at (attended, or confirmed and over). */
/** The library service's name and who its volunteers contact with questions (an admin's setting, free text). */
export async function serviceContact(db: Db | Tx, libraryServiceId: number): Promise<{ name: string; contact: string } | null> {
  return (await db.selectFrom('library_services').select(['name', 'contact']).where('id', '=', libraryServiceId).executeTakeFirst()) ?? null
}

/**
 * A volunteer's past places that count towards their hours: only those marked attended (sessions
 * and minutes), and how many past places are still confirmed, i.e. not yet marked either way.
 */
export async function helpedTotals(db: Db | Tx, volunteerId: number, now: number): Promise<{ sessions: number; minutes: number; unmarked: number }> {
  const rows = await db
    .selectFrom('assignments')
    .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
    .select((eb) => [
      'assignments.state',
      eb.fn.countAll<number | string>().as('sessions'),
      eb.fn.coalesce(eb.fn.sum<number | string>(eb('sessions.ends_at', '-', eb.ref('sessions.starts_at'))), eb.lit(0)).as('ms'),
    ])
    .where('assignments.volunteer_id', '=', volunteerId)
    .where('assignments.state', 'in', ['confirmed', 'attended'])
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.ends_at', '<=', now)
    .groupBy('assignments.state')
    .execute()
  const attended = rows.find((r) => r.state === 'attended')
  const unmarked = rows.find((r) => r.state === 'confirmed')
  return { sessions: Number(attended?.sessions ?? 0), minutes: Math.round(Number(attended?.ms ?? 0) / 60_000), unmarked: Number(unmarked?.sessions ?? 0) }
}

/** One of this volunteer's assignments with its session, or null if it is not theirs. */
export async function assignmentOf(db: Db | Tx, volunteerId: number, assignmentId: number) {
  const row = await myAssignments(db, volunteerId).where('assignments.id', '=', assignmentId).executeTakeFirst()
  return row ?? null
}

const serviceOfVolunteer = prepared((db, volunteerId: number) =>
  db
    .selectFrom('volunteers')
    .innerJoin('library_services', 'library_services.id', 'volunteers.library_service_id')
    .select(['library_services.id', 'library_services.booking_window_days', 'library_services.withdraw_cutoff_hours'])
    .where('volunteers.id', '=', volunteerId),
)

export async function libraryServiceOfVolunteer(db: Db | Tx, volunteerId: number) {
  return serviceOfVolunteer.first(db, volunteerId)
}

/** How many sessions not yet over the volunteer holds a confirmed place on (the count at the top of their pages). */
export async function upcomingCount(db: Db | Tx, volunteerId: number, now: number): Promise<number> {
  return countUpcoming(await ownAssignmentsSince(db, volunteerId, now), now)
}
