// Small, explicit test data: a library service with branches, people in each role, sessions.
import type { Db } from '../../src/db/connect.js'
import type { AssignmentSource, AssignmentState, SessionKind } from '../../src/db/schema.js'
import { PLACE_STATES } from '../../src/assignments/transitions.js'
import { localToInstant } from '../../src/time/wall-clock.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')

export async function createService(db: Db, name = 'Testshire Libraries') {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-') + '-' + Math.random().toString(36).slice(2, 7)
  const row = await db.insertInto('library_services').values({ name, slug, created_at: T0 }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function createBranch(db: Db, libraryServiceId: number, name = 'Central Library', extra: { timezone?: string; address?: string } = {}) {
  const row = await db
    .insertInto('branches')
    .values({ library_service_id: libraryServiceId, name, address: extra.address ?? '1 High Street, Testtown', postcode: 'TT1 1AA', timezone: extra.timezone ?? 'Europe/London', created_at: T0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function createPerson(db: Db, email: string, name = 'Test Person') {
  const row = await db
    .insertInto('people')
    .values({ email, name, phone: null, created_at: T0, anonymised_at: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function createCoordinator(db: Db, email: string, libraryServiceId: number, branchId: number | null = null, name = 'Coordinator') {
  const personId = await createPerson(db, email, name)
  await db.insertInto('role_grants').values({ person_id: personId, role: 'coordinator', library_service_id: libraryServiceId, branch_id: branchId, created_at: T0 }).execute()
  return personId
}

export async function createAdmin(db: Db, email: string, libraryServiceId: number, name = 'Admin') {
  const personId = await createPerson(db, email, name)
  await db.insertInto('role_grants').values({ person_id: personId, role: 'admin', library_service_id: libraryServiceId, branch_id: null, created_at: T0 }).execute()
  return personId
}

export async function createVolunteer(
  db: Db,
  email: string,
  libraryServiceId: number,
  branchIds: number[],
  options: { name?: string; status?: 'applied' | 'active' | 'paused' | 'left'; maxPerMonth?: number } = {},
) {
  const personId = await createPerson(db, email, options.name ?? 'Volunteer')
  const row = await db
    .insertInto('volunteers')
    .values({
      person_id: personId,
      library_service_id: libraryServiceId,
      status: options.status ?? 'active',
      home_branch_id: branchIds[0] ?? null,
      max_sessions_per_month: options.maxPerMonth ?? 4,
      applied_at: T0,
      approved_at: T0,
      updated_at: T0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (branchIds.length) await db.insertInto('volunteer_branches').values(branchIds.map((b) => ({ volunteer_id: row.id, branch_id: b }))).execute()
  return { personId, volunteerId: row.id }
}

export async function createSession(
  db: Db,
  branchId: number,
  options: { date: string; start?: string; end?: string; title?: string; kind?: SessionKind; min?: number; max?: number; zone?: string; seriesId?: number | null },
) {
  const start = options.start ?? '10:00'
  const end = options.end ?? '12:00'
  const zone = options.zone ?? 'Europe/London'
  const row = await db
    .insertInto('sessions')
    .values({
      branch_id: branchId,
      series_id: options.seriesId ?? null,
      title: options.title ?? 'Digital help drop-in',
      kind: options.kind ?? 'drop_in',
      local_date: options.date,
      start_time: start,
      end_time: end,
      starts_at: localToInstant(options.date, start, zone),
      ends_at: localToInstant(options.date, end, zone),
      min_volunteers: options.min ?? 1,
      max_volunteers: options.max ?? 3,
      created_at: T0,
      updated_at: T0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * The one way tests put a volunteer on a session without going through the services: inserts the
 * assignment row, then sets the session's confirmed_count from its rows (those whose state holds a
 * place, PLACE_STATES), so the count can never disagree with the assignments. Returns the row's id.
 * Any state may be given (a waiting-list entry or a withdrawn place is recorded the same way).
 */
export async function givePlace(
  db: Db,
  options: { sessionId: number; volunteerId: number; state?: AssignmentState; source?: AssignmentSource; at?: number; reason?: string | null },
) {
  const state = options.state ?? 'confirmed'
  const at = options.at ?? 0
  const row = await db
    .insertInto('assignments')
    .values({
      session_id: options.sessionId,
      volunteer_id: options.volunteerId,
      state,
      source: options.source ?? 'self',
      waitlisted_at: state === 'waitlisted' ? at : null,
      // A row that holds or once held a place was confirmed at some point; an invitation or a waiting-list entry never was.
      confirmed_at: state === 'waitlisted' || state === 'invited' || state === 'declined' ? null : at,
      reason: options.reason ?? null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const places = await db
    .selectFrom('assignments')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('session_id', '=', options.sessionId)
    .where('state', 'in', PLACE_STATES)
    .executeTakeFirstOrThrow()
  await db.updateTable('sessions').set({ confirmed_count: Number(places.n) }).where('id', '=', options.sessionId).execute()
  return row.id
}

/** Gives n new volunteers (of the session's library service, at its branch) a confirmed place each, for a test that needs a session to look full. */
export async function fillSession(db: Db, sessionId: number, n: number) {
  const where = await db
    .selectFrom('sessions')
    .innerJoin('branches', 'branches.id', 'sessions.branch_id')
    .select(['branches.id as branchId', 'branches.library_service_id as libraryServiceId'])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirstOrThrow()
  const volunteerIds: number[] = []
  for (let i = 0; i < n; i++) {
    const email = `filler-${sessionId}-${i}-${Math.random().toString(36).slice(2, 7)}@example.org`
    const { volunteerId } = await createVolunteer(db, email, where.libraryServiceId, [where.branchId], { name: `Filler ${i + 1}` })
    await givePlace(db, { sessionId, volunteerId, source: 'coordinator' })
    volunteerIds.push(volunteerId)
  }
  return volunteerIds
}
