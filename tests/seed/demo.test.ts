// The demo data: the accounts PRODUCT.md promises, 6 weeks of sessions, some full and some short, within the rules.
import t, { type Test } from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { seedDemoIfEmpty } from '../../src/seed/demo.js'

t.comment(`database: ${databaseLabel}`)

async function seeded(t: Test) {
  const ctx = await testApp(t)
  const first = await seedDemoIfEmpty(ctx.app.ctx)
  t.ok(first, 'seeds an empty database')
  t.equal(await seedDemoIfEmpty(ctx.app.ctx), null, 'does nothing the second time')
  return ctx
}

t.test('the demo has what PRODUCT.md describes', async (t) => {
  const { app, clock } = await seeded(t)
  const db = app.db
  t.equal((await db.selectFrom('library_services').selectAll().execute()).length, 1)
  t.equal((await db.selectFrom('branches').selectAll().execute()).length, 8)
  const volunteers = await db.selectFrom('volunteers').innerJoin('people', 'people.id', 'volunteers.person_id').select(['people.email', 'volunteers.status']).execute()
  t.equal(volunteers.length, 60)
  t.ok(volunteers.some((v) => v.email === 'volunteer1@example.org' && v.status === 'active'))
  t.ok(volunteers.some((v) => v.email === 'volunteer60@example.org'))
  for (const email of ['admin@example.org', 'coordinator@example.org']) {
    t.ok(await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst(), `${email} exists`)
  }
  const languages = await db.selectFrom('skills').select('name').where('kind', '=', 'language').execute()
  t.ok(languages.length >= 5, 'languages as skills')
  const expired = await db.selectFrom('volunteer_trainings').select('id').where('expires_on', '<', '2026-11-30').execute()
  t.ok(expired.length > 0, 'some training has expired')

  const now = clock.now()
  const upcoming = await db.selectFrom('sessions').selectAll().where('starts_at', '>', now).execute()
  const lastStart = Math.max(...upcoming.map((s) => s.starts_at))
  t.ok(lastStart - now > 5 * 7 * 86_400_000, 'sessions run about 6 weeks ahead')
  t.ok(upcoming.some((s) => s.confirmed_count >= s.max_volunteers), 'some sessions are full')
  t.ok(upcoming.some((s) => s.confirmed_count < s.min_volunteers), 'some sessions are short')
  for (const s of upcoming) {
    if (s.confirmed_count > s.max_volunteers) t.fail(`session ${s.id} over its maximum`)
  }
  // Nobody is on two overlapping sessions.
  const taken = await db
    .selectFrom('assignments')
    .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
    .select(['assignments.volunteer_id', 'sessions.starts_at', 'sessions.ends_at', 'sessions.id'])
    .where('assignments.state', 'in', ['confirmed', 'attended', 'no_show'])
    .execute()
  const byVolunteer = new Map<number, typeof taken>()
  for (const a of taken) byVolunteer.set(a.volunteer_id, [...(byVolunteer.get(a.volunteer_id) ?? []), a])
  let overlaps = 0
  for (const list of byVolunteer.values()) {
    list.sort((a, b) => a.starts_at - b.starts_at)
    for (let i = 1; i < list.length; i++) if (list[i]!.starts_at < list[i - 1]!.ends_at) overlaps++
  }
  t.equal(overlaps, 0, 'no volunteer is on two overlapping sessions')
  // confirmed_count agrees with the assignments.
  const counts = await db
    .selectFrom('assignments')
    .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['confirmed', 'attended', 'no_show'])
    .groupBy('session_id')
    .execute()
  const sessions = new Map((await db.selectFrom('sessions').select(['id', 'confirmed_count']).execute()).map((s) => [s.id, s.confirmed_count]))
  t.ok(counts.every((c) => sessions.get(c.session_id) === Number(c.n)), 'confirmed_count matches')
  // Every session, including the ones nobody is on: its count is its places, and never over its maximum (issue 14 item 7).
  const places = new Map(counts.map((c) => [c.session_id, Number(c.n)]))
  const all = await db.selectFrom('sessions').select(['id', 'confirmed_count', 'max_volunteers']).execute()
  t.ok(all.length > 100, `read ${all.length} sessions`)
  t.same(
    all.filter((s) => s.confirmed_count !== (places.get(s.id) ?? 0)).map((s) => `session ${s.id}: count ${s.confirmed_count}, places ${places.get(s.id) ?? 0}`),
    [],
    'every session’s confirmed_count equals its assignments in place states',
  )
  t.same(all.filter((s) => s.confirmed_count > s.max_volunteers).map((s) => `session ${s.id}: ${s.confirmed_count} of ${s.max_volunteers}`), [], 'no session is over its maximum')
  t.ok(all.some((s) => s.confirmed_count === 0) && all.some((s) => s.confirmed_count > 0), 'some sessions have places and some have none')
  t.equal((await db.selectFrom('outbox').selectAll().execute()).length, 0, 'seeding sends no email')
})

t.test('the demo is the same every time', async (t) => {
  const a = await seeded(t)
  const b = await seeded(t)
  const shape = async (app: typeof a.app) =>
    (await app.db.selectFrom('assignments').innerJoin('sessions', 'sessions.id', 'assignments.session_id').select(['sessions.title', 'sessions.local_date', 'assignments.volunteer_id', 'assignments.state']).orderBy('assignments.id').execute()).map((r) => JSON.stringify(r))
  t.same(await shape(a.app), await shape(b.app))
})

t.test('no demo session falls on a bank holiday', async (t) => {
  const { app } = await seeded(t)
  const { BANK_HOLIDAYS } = await import('../../src/seed/demo.js')
  const dates = (await app.db.selectFrom('sessions').select('local_date').execute()).map((s) => s.local_date)
  t.ok(dates.length > 100)
  t.same(dates.filter((d) => BANK_HOLIDAYS.includes(d)), [], 'libraries are closed on bank holidays')
  const series = await app.db.selectFrom('series').select('skipped_dates').execute()
  t.ok(series.every((s) => (JSON.parse(s.skipped_dates) as string[]).length >= 1), 'each series records the dates it skips')
})
