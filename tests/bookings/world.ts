// A small library service for the volunteer-journey tests: branches, skills, training, coordinators and helpers.
import type { Test } from 'tap'
import { testApp } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createBranch, createCoordinator, createService, createSession, createVolunteer } from '../helpers/fixtures.js'
import type { Db } from '../../src/db/connect.js'

export interface VolunteerOptions {
  name?: string
  branches?: number[]
  status?: 'applied' | 'active' | 'paused' | 'left'
  maxPerMonth?: number
  skills?: number[]
  /** ISO day + 'HH:MM' times; default: every day 09:00–17:00. */
  windows?: Array<{ day: number; start: string; end: string }>
  /** Training kind ids, done long ago, never expiring unless given as [id, expiresOn]. */
  trainings?: Array<number | [number, string]>
  timeOff?: Array<{ start: string; end: string }>
}

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '09:00', end: '17:00' }))

export async function addVolunteer(db: Db, email: string, service: number, defaultBranch: number, o: VolunteerOptions = {}) {
  const v = await createVolunteer(db, email, service, o.branches ?? [defaultBranch], {
    ...(o.name ? { name: o.name } : {}),
    ...(o.status ? { status: o.status } : {}),
    ...(o.maxPerMonth ? { maxPerMonth: o.maxPerMonth } : {}),
  })
  const windows = o.windows ?? EVERY_DAY
  if (windows.length) {
    await db.insertInto('availability_windows').values(windows.map((w) => ({ volunteer_id: v.volunteerId, day_of_week: w.day, start_time: w.start, end_time: w.end }))).execute()
  }
  if (o.skills?.length) await db.insertInto('volunteer_skills').values(o.skills.map((s) => ({ volunteer_id: v.volunteerId, skill_id: s }))).execute()
  for (const tr of o.trainings ?? []) {
    const [kind, expires] = Array.isArray(tr) ? tr : [tr, null]
    await db
      .insertInto('volunteer_trainings')
      .values({ volunteer_id: v.volunteerId, training_kind_id: kind, completed_on: '2026-01-01', expires_on: expires, recorded_by_person_id: null, created_at: 0 })
      .execute()
  }
  for (const r of o.timeOff ?? []) await db.insertInto('time_off').values({ volunteer_id: v.volunteerId, start_date: r.start, end_date: r.end, note: '' }).execute()
  return v
}

export async function world(t: Test, env: Record<string, string> = {}) {
  const ctx = await testApp(t, { env })
  const db = ctx.app.db
  const service = await createService(db, 'Testshire Libraries')
  const central = await createBranch(db, service, 'Central Library', { address: '1 High Street, Testtown' })
  await db.updateTable('branches').set({ arrival_notes: 'Ask at the enquiry desk.', accessibility_notes: 'Step-free entrance.' }).where('id', '=', central).execute()
  const north = await createBranch(db, service, 'Northgate Library')
  const otherService = await createService(db, 'Elsewhere Libraries')
  const elsewhere = await createBranch(db, otherService, 'Elsewhere Library')

  const skill = async (name: string, kind: 'topic' | 'language', serviceId = service) =>
    (await db.insertInto('skills').values({ library_service_id: serviceId, name, kind }).returning('id').executeTakeFirstOrThrow()).id
  const skills = {
    nhs: await skill('NHS App and health', 'topic'),
    phones: await skill('Smartphones and tablets', 'topic'),
    polish: await skill('Polish', 'language'),
  }
  const essentials = (
    await db.insertInto('training_kinds').values({ library_service_id: service, name: 'Digital champion essentials', validity_months: null }).returning('id').executeTakeFirstOrThrow()
  ).id
  const dbs = (await db.insertInto('training_kinds').values({ library_service_id: service, name: 'DBS check', kind: 'check', validity_months: 36 }).returning('id').executeTakeFirstOrThrow()).id

  const coordinator = await createCoordinator(db, 'casey@example.org', service, central, 'Casey Central')
  const wholeService = await createCoordinator(db, 'sam@example.org', service, null, 'Sam Service')
  const northOnly = await createCoordinator(db, 'nora@example.org', service, north, 'Nora North')

  let n = 0
  const volunteer = (o: VolunteerOptions = {}) => addVolunteer(db, `v${++n}@example.org`, service, central, o)

  const session = (o: Parameters<typeof createSession>[2] & { branch?: number; required?: number[]; preferred?: number[]; trainings?: number[]; notes?: string }) =>
    createSession(db, o.branch ?? central, o).then(async (id) => {
      const rows = [
        ...(o.required ?? []).map((s) => ({ session_id: id, skill_id: s, requirement: 'required' as const })),
        ...(o.preferred ?? []).map((s) => ({ session_id: id, skill_id: s, requirement: 'preferred' as const })),
      ]
      if (rows.length) await db.insertInto('session_skills').values(rows).execute()
      if (o.trainings?.length) await db.insertInto('session_trainings').values(o.trainings.map((k) => ({ session_id: id, training_kind_id: k }))).execute()
      if (o.notes) await db.updateTable('sessions').set({ notes: o.notes }).where('id', '=', id).execute()
      return id
    })

  const signIn = (personId: number) => new Client(ctx.app).signInAs(personId)

  /** What booking may change, to show a refusal changed nothing. */
  const snapshot = async () => ({
    assignments: await db.selectFrom('assignments').select(['id', 'session_id', 'volunteer_id', 'state']).orderBy('id').execute(),
    counts: await db.selectFrom('sessions').select(['id', 'confirmed_count']).orderBy('id').execute(),
    outbox: (await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  })

  return { ...ctx, db, service, central, north, otherService, elsewhere, skills, essentials, dbs, coordinator, wholeService, northOnly, volunteer, session, signIn, snapshot }
}

/** The visible text of an HTML page, tags removed and spaces collapsed (what a person reads). */
export function textOf(html: string): string {
  return html
    .replace(/<span class="govuk-visually-hidden">[^<]*<\/span>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;:])/g, '$1')
    .trim()
}

export function htmx(extra: Record<string, string> = {}): Record<string, string> {
  return { 'hx-request': 'true', ...extra }
}
