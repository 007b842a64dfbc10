// SQL for people, their role grants and their volunteer record: what a signed-in user is.
import type { Db, Tx } from '../db/connect.js'
import type { Grant, SignedInUser } from '../auth/access.js'
import { prepared } from '../db/prepared.js'
import { isLocale } from '../i18n/i18n.js'

export async function findPersonIdByEmail(db: Db | Tx, email: string): Promise<number | null> {
  const row = await db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst()
  return row?.id ?? null
}

/** The person with this address (not anonymised), with the name they gave: for greeting them. */
export async function findPersonByEmail(db: Db | Tx, email: string): Promise<{ id: number; name: string } | null> {
  const row = await db.selectFrom('people').select(['id', 'name']).where('email', '=', email).where('anonymised_at', 'is', null).executeTakeFirst()
  return row ?? null
}

/** A login session with its person and volunteer record, in one read (every signed-in request runs it). */
const sessionUser = prepared((db, idHash: string) =>
  db
    .selectFrom('login_sessions')
    .innerJoin('people', 'people.id', 'login_sessions.person_id')
    .leftJoin('volunteers', 'volunteers.person_id', 'people.id')
    .leftJoin('library_services', 'library_services.id', 'volunteers.library_service_id')
    .select([
      'login_sessions.last_seen_at',
      'login_sessions.expires_at',
      'people.id',
      'people.name',
      'people.email',
      'people.anonymised_at',
      'volunteers.id as volunteer_id',
      'volunteers.status',
      'volunteers.library_service_id',
      'people.language',
      'library_services.default_language as service_language',
    ])
    // Most people are volunteers with no role: their grants need no second read.
    .select((eb) =>
      eb.selectFrom('role_grants').select((g) => g.fn.countAll<number>().as('n')).whereRef('role_grants.person_id', '=', 'people.id').as('grant_count'),
    )
    .where('login_sessions.id_hash', '=', idHash),
)

const grantsOf = prepared((db, personId: number) => db.selectFrom('role_grants').select(['role', 'library_service_id', 'branch_id']).where('person_id', '=', personId))

export interface SessionUserRow {
  lastSeenAt: number
  expiresAt: number
  /** Null when the person has been anonymised: the session no longer signs anyone in. */
  user: SignedInUser | null
}

/** The login session with this id hash and who it signs in, or null if there is no such session. */
export async function loadSessionUser(db: Db, sessionIdHash: string): Promise<SessionUserRow | null> {
  const row = await sessionUser.first(db, sessionIdHash)
  if (!row) return null
  const session = { lastSeenAt: row.last_seen_at, expiresAt: row.expires_at }
  if (row.anonymised_at !== null) return { ...session, user: null }
  const grants = row.grant_count ? await grantsOf.all(db, row.id) : []
  return {
    ...session,
    user: {
      personId: row.id,
      name: row.name,
      email: row.email,
      language: isLocale(row.language) ? row.language : null,
      serviceLanguage: isLocale(row.service_language) ? row.service_language : null,
      sessionIdHash,
      volunteer:
        row.volunteer_id !== null && row.status !== null && row.library_service_id !== null
          ? { id: row.volunteer_id, status: row.status, libraryServiceId: row.library_service_id }
          : null,
      grants: grants.map((g): Grant => ({ role: g.role, libraryServiceId: g.library_service_id, branchId: g.branch_id })),
    },
  }
}

/** The name a person goes by (the person must exist). */
export async function personName(db: Db | Tx, personId: number): Promise<string> {
  return (await db.selectFrom('people').select('name').where('id', '=', personId).executeTakeFirstOrThrow()).name
}
