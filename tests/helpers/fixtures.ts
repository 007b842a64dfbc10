// Small, explicit test data: a library service with branches, people in each role, sessions.
import type { Db } from '../../src/db/connect.js'
import type { SessionKind } from '../../src/db/schema.js'
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
