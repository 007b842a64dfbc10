// SQL for calendar feeds: live tokens (one per volunteer, one per coordinator and branch) and what each feed shows.
import type { Db, Tx } from '../db/connect.js'
import type { FeedTokensTable } from '../db/schema.js'
import type { Selectable } from 'kysely'
import { PLACE_STATES } from '../assignments/assignments.repository.js'
import { placesWithSessions, sessionFactColumns, sessionsWithBranch, volunteersWithPeople } from '../db/columns.js'

export type FeedTokenRow = Selectable<FeedTokensTable>

export async function findLiveTokenByHash(db: Db, tokenHash: string): Promise<FeedTokenRow | null> {
  const row = await db.selectFrom('feed_tokens').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst()
  return row ?? null
}

export async function liveVolunteerToken(db: Db | Tx, volunteerId: number): Promise<FeedTokenRow | null> {
  const row = await db.selectFrom('feed_tokens').selectAll().where('volunteer_id', '=', volunteerId).where('revoked_at', 'is', null).executeTakeFirst()
  return row ?? null
}

export async function liveBranchTokens(db: Db | Tx, personId: number): Promise<FeedTokenRow[]> {
  return db.selectFrom('feed_tokens').selectAll().where('person_id', '=', personId).where('branch_id', 'is not', null).where('revoked_at', 'is', null).execute()
}

export async function insertFeedToken(
  tx: Tx,
  row: { tokenHash: string; tokenSealed: string; personId: number; volunteerId: number | null; branchId: number | null; now: number },
): Promise<void> {
  await tx
    .insertInto('feed_tokens')
    .values({ token_hash: row.tokenHash, token_sealed: row.tokenSealed, person_id: row.personId, volunteer_id: row.volunteerId, branch_id: row.branchId, created_at: row.now, revoked_at: null })
    .execute()
}

export async function revokeVolunteerTokens(tx: Tx, volunteerId: number, now: number): Promise<number> {
  const r = await tx.updateTable('feed_tokens').set({ revoked_at: now }).where('volunteer_id', '=', volunteerId).where('revoked_at', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export async function revokeBranchToken(tx: Tx, personId: number, branchId: number, now: number): Promise<number> {
  const r = await tx
    .updateTable('feed_tokens')
    .set({ revoked_at: now })
    .where('person_id', '=', personId)
    .where('branch_id', '=', branchId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** The volunteer behind a feed, if they can still have one (not left, not anonymised). */
export async function feedVolunteer(db: Db, volunteerId: number): Promise<{ name: string; personId: number } | null> {
  const row = await volunteersWithPeople(db)
    .select(['people.name', 'people.id as personId'])
    .where('volunteers.id', '=', volunteerId)
    .where('volunteers.status', '!=', 'left')
    .where('people.anonymised_at', 'is', null)
    .executeTakeFirst()
  return row ?? null
}

/** The branch behind a coordinator's feed, if that person still coordinates it. */
export async function feedBranch(db: Db, personId: number, branchId: number): Promise<{ name: string; name_cy: string | null; timezone: string } | null> {
  const row = await db
    .selectFrom('branches')
    .innerJoin('role_grants', 'role_grants.library_service_id', 'branches.library_service_id')
    .innerJoin('people', 'people.id', 'role_grants.person_id')
    .select(['branches.name', 'branches.name_cy', 'branches.timezone'])
    .where('branches.id', '=', branchId)
    .where('branches.active', '=', 1)
    .where('role_grants.person_id', '=', personId)
    // A partner right shows figures only, never a branch's sessions.
    .where('role_grants.role', 'in', ['coordinator', 'admin'])
    .where((eb) => eb.or([eb('role_grants.branch_id', 'is', null), eb('role_grants.branch_id', '=', branchId)]))
    .where('people.anonymised_at', 'is', null)
    .executeTakeFirst()
  return row ?? null
}

const sessionColumns = [
  ...sessionFactColumns,
  'sessions.status as sessionStatus',
  'sessions.updated_at as sessionUpdatedAt',
  'sessions.cancelled_at as cancelledAt',
] as const

/**
 * A volunteer's feed: places held on sessions that end after `since`, and calendar events they
 * were sent that have since been cancelled (place given up, or the session cancelled) after `since`.
 */
export async function volunteerFeedRows(db: Db, volunteerId: number, since: number) {
  return placesWithSessions(db)
    .select([...sessionColumns, 'assignments.state', 'assignments.ical_sequence as sequence', 'assignments.updated_at as placeUpdatedAt'])
    .where('assignments.volunteer_id', '=', volunteerId)
    .where((eb) =>
      eb.or([
        eb.and([eb('assignments.state', 'in', PLACE_STATES), eb('sessions.status', '=', 'scheduled'), eb('sessions.ends_at', '>=', since)]),
        eb.and([
          // Only events the volunteer's calendar has heard of (an invite went out).
          eb('assignments.ical_sequence', '>', 0),
          eb.or([
            eb.and([eb('assignments.state', 'not in', PLACE_STATES), eb('assignments.updated_at', '>=', since)]),
            eb.and([eb('sessions.status', '=', 'cancelled'), eb(eb.fn.coalesce('sessions.cancelled_at', 'sessions.updated_at'), '>=', since)]),
          ]),
        ]),
      ]),
    )
    .orderBy('sessions.starts_at')
    .orderBy('sessions.id')
    .execute()
}

/** Every session of a branch that ends after `since`, and those cancelled after `since`, with who is on them. */
export async function branchFeedRows(db: Db, branchId: number, since: number) {
  const sessions = await sessionsWithBranch(db)
    .select([
      ...sessionColumns,
      'sessions.min_volunteers as min',
      'sessions.max_volunteers as max',
      'sessions.confirmed_count as confirmed',
      'sessions.ical_sequence as sequence',
    ])
    .where('sessions.branch_id', '=', branchId)
    .where((eb) =>
      eb.or([
        eb.and([eb('sessions.status', '=', 'scheduled'), eb('sessions.ends_at', '>=', since)]),
        eb.and([eb('sessions.status', '=', 'cancelled'), eb(eb.fn.coalesce('sessions.cancelled_at', 'sessions.updated_at'), '>=', since)]),
      ]),
    )
    .orderBy('sessions.starts_at')
    .orderBy('sessions.id')
    .execute()
  const people = sessions.length
    ? await db
        .selectFrom('assignments')
        .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
        .innerJoin('volunteers', 'volunteers.id', 'assignments.volunteer_id')
        .innerJoin('people', 'people.id', 'volunteers.person_id')
        .select(['assignments.session_id', 'assignments.state', 'assignments.updated_at', 'people.name'])
        .where('sessions.branch_id', '=', branchId)
        .where('sessions.ends_at', '>=', since)
        .orderBy('people.name')
        .execute()
    : []
  return { sessions, people }
}
