// A small library service for coordinator tests: branches, skills, trainings, a coordinator of each scope, volunteers with availability.
import type { Test } from 'tap'
import { testApp, type TestApp } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createBranch, createCoordinator, createService, createVolunteer, createPerson } from '../helpers/fixtures.js'
import type { Db } from '../../src/db/connect.js'

export interface World extends TestApp {
  db: Db
  service: number
  central: number
  east: number
  skills: { email: number; nhs: number; polish: number }
  trainings: { essentials: number; safeguarding: number }
  coordinatorId: number
  coordinator: Client
  /** Coordinates only the East branch. */
  eastCoordinatorId: number
  /** Another library service altogether. */
  otherService: number
  otherBranch: number
  otherCoordinatorId: number
}

export async function world(t: Test): Promise<World> {
  const ctx = await testApp(t)
  const db = ctx.app.db
  const service = await createService(db, 'Westmoor Libraries')
  const central = await createBranch(db, service, 'Central Library')
  const east = await createBranch(db, service, 'East Library')
  const skill = async (name: string, kind: 'topic' | 'language') =>
    (await db.insertInto('skills').values({ library_service_id: service, name, kind }).returning('id').executeTakeFirstOrThrow()).id
  const training = async (name: string, months: number | null) =>
    (await db.insertInto('training_kinds').values({ library_service_id: service, name, kind: 'training', validity_months: months }).returning('id').executeTakeFirstOrThrow()).id
  const skills = { email: await skill('Email', 'topic'), nhs: await skill('NHS App and health', 'topic'), polish: await skill('Polish', 'language') }
  const trainings = { essentials: await training('Digital champion essentials', null), safeguarding: await training('Safeguarding adults', 24) }
  const coordinatorId = await createCoordinator(db, 'coord@example.org', service, null, 'Chris Walker')
  const eastCoordinatorId = await createPerson(db, 'east@example.org', 'Erin East')
  await db.insertInto('role_grants').values({ person_id: eastCoordinatorId, role: 'coordinator', library_service_id: service, branch_id: east, created_at: 0 }).execute()
  const otherService = await createService(db, 'Southshire Libraries')
  const otherBranch = await createBranch(db, otherService, 'Southtown Library')
  const otherCoordinatorId = await createCoordinator(db, 'south@example.org', otherService, null, 'Sid South')
  const coordinator = await new Client(ctx.app).signInAs(coordinatorId)
  return { ...ctx, db, service, central, east, skills, trainings, coordinatorId, coordinator, eastCoordinatorId, otherService, otherBranch, otherCoordinatorId }
}

/** An active volunteer free all week 09:00–18:00, with the given skills and trainings. */
export async function volunteer(
  w: Pick<World, 'db' | 'service'>,
  email: string,
  name: string,
  branches: number[],
  options: { skills?: number[]; trainings?: Array<{ kind: number; completed?: string; expires?: string | null }>; maxPerMonth?: number; status?: 'applied' | 'active' | 'paused'; windows?: Array<{ day: number; start: string; end: string }>; timeOff?: Array<{ start: string; end: string }> } = {},
) {
  const v = await createVolunteer(w.db, email, w.service, branches, { name, maxPerMonth: options.maxPerMonth ?? 8, status: options.status ?? 'active' })
  const windows = options.windows ?? [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '09:00', end: '18:00' }))
  if (windows.length) await w.db.insertInto('availability_windows').values(windows.map((x) => ({ volunteer_id: v.volunteerId, day_of_week: x.day, start_time: x.start, end_time: x.end }))).execute()
  if (options.skills?.length) await w.db.insertInto('volunteer_skills').values(options.skills.map((s) => ({ volunteer_id: v.volunteerId, skill_id: s }))).execute()
  for (const tr of options.trainings ?? []) {
    await w.db.insertInto('volunteer_trainings').values({ volunteer_id: v.volunteerId, training_kind_id: tr.kind, completed_on: tr.completed ?? '2026-01-01', expires_on: tr.expires ?? null, recorded_by_person_id: null, created_at: 0 }).execute()
  }
  for (const off of options.timeOff ?? []) await w.db.insertInto('time_off').values({ volunteer_id: v.volunteerId, start_date: off.start, end_date: off.end, note: '' }).execute()
  return v
}

/** Outbox rows (what the service owes people), optionally for one address. */
export async function outbox(db: Db, to?: string) {
  let q = db.selectFrom('outbox').select(['id', 'to_address', 'kind', 'subject', 'text_body', 'html_body', 'ical', 'ical_method']).orderBy('id')
  if (to) q = q.where('to_address', '=', to)
  return q.execute()
}
