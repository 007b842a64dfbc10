// A volunteer owns their data: the download holds every row about them and nothing about others; deleting the account erases them and keeps the totals true.
import t, { type Test } from 'tap'
import { sql } from 'kysely'
import { databaseLabel, usingPostgres } from '../helpers/app.js'
import { givePlace } from '../helpers/fixtures.js'
import { world, textOf } from '../bookings/world.js'
import { Client } from '../helpers/client.js'
import { joinWaitlist, takePlace } from '../../src/assignments/places.service.js'
import { runDueJobs } from '../../src/jobs/schedulers.js'
import type { Db } from '../../src/db/connect.js'

t.comment(`database: ${databaseLabel}`)

const ADA = { name: 'Adaline Quillfeather', email: 'adaline.quill@example.org', phone: '07700 900456' }

/** Every text column of every table, as the database describes itself. */
async function textColumns(db: Db): Promise<Array<{ table: string; column: string }>> {
  if (usingPostgres) {
    const r = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type in ('text', 'character varying')`.execute(db)
    return r.rows.map((c) => ({ table: c.table_name, column: c.column_name }))
  }
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
  const out: Array<{ table: string; column: string }> = []
  for (const { name } of tables.rows) {
    const cols = await sql<{ name: string; type: string }>`select name, type from pragma_table_info(${name})`.execute(db)
    for (const c of cols.rows) if (/text|char/i.test(c.type)) out.push({ table: name, column: c.name })
  }
  return out
}

/** Every column of every table, as the database describes itself. */
async function allColumns(db: Db): Promise<Array<{ table: string; column: string }>> {
  if (usingPostgres) {
    const r = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns where table_schema = current_schema()`.execute(db)
    return r.rows.map((c) => ({ table: c.table_name, column: c.column_name }))
  }
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
  const out: Array<{ table: string; column: string }> = []
  for (const { name } of tables.rows) for (const c of (await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db)).rows) out.push({ table: name, column: c.name })
  return out
}

/**
 * Tables that point at a person, a volunteer or a place but are not part of the download, each
 * with why. A new table that points at one of them fails the test until it is exported or listed here.
 */
const NOT_EXPORTED: Record<string, string> = {
  kysely_migration: 'the schema\'s own history',
  sessions: 'sessions are the library\'s; her places on them are exported',
  series: 'a series of sessions is the library\'s (the coordinator who made it is an id)',
  session_reports: 'about a session and the public helped in numbers, not about her',
  group_messages: 'written by a coordinator; the ones sent to her are in group_message_recipients',
  job_leases: 'which server runs a job',
}

/** Where a string still appears: 'table.column' for each hit (case-insensitive). */
async function whereFound(db: Db, needle: string): Promise<string[]> {
  const hits: string[] = []
  for (const { table, column } of await textColumns(db)) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where lower(${sql.ref(column)}) like ${'%' + needle.toLowerCase() + '%'}`.execute(db)
    if (Number(r.rows[0]!.n) > 0) hits.push(`${table}.${column}`)
  }
  return hits
}

/** The figures reports are made of: sessions reported, people helped, places attended and their hours. */
async function totals(db: Db) {
  const helped = await db.selectFrom('session_reports').select((eb) => [eb.fn.countAll<number>().as('reports'), eb.fn.sum<number>('people_helped').as('people')]).executeTakeFirstOrThrow()
  const attended = await db
    .selectFrom('assignments')
    .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
    .select((eb) => [eb.fn.countAll<number>().as('places'), eb.fn.sum<number>(sql`sessions.ends_at - sessions.starts_at`).as('ms')])
    .where('assignments.state', '=', 'attended')
    .executeTakeFirstOrThrow()
  return { reports: Number(helped.reports), people: Number(helped.people), places: Number(attended.places), ms: Number(attended.ms) }
}

async function setup(t: Test) {
  const w = await world(t)
  const { db, app } = w
  const ada = await w.volunteer({ name: ADA.name, skills: [w.skills.phones], timeOff: [{ start: '2027-01-04', end: '2027-01-08' }] })
  await db.updateTable('people').set({ email: ADA.email, phone: ADA.phone }).where('id', '=', ada.personId).execute()
  await db.updateTable('time_off').set({ note: 'Visiting my sister Quillfeather' }).where('volunteer_id', '=', ada.volunteerId).execute()
  const bob = await w.volunteer({ name: 'Bob Other' })
  const cat = await w.volunteer({ name: 'Cat Other' })
  const book = (sessionId: number, volunteerId: number) => takePlace(app.ctx, { sessionId, volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })

  // A past session Ada helped at, with its report.
  const past = await w.session({ date: '2026-11-20', title: 'Past drop-in' })
  const t0 = Date.parse('2026-11-01T00:00:00Z')
  const pastPlace = await givePlace(db, { sessionId: past, volunteerId: ada.volunteerId, state: 'attended', at: t0 })
  await db.insertInto('assignment_events').values({ assignment_id: pastPlace, from_state: 'confirmed', to_state: 'attended', source: 'coordinator', actor_person_id: w.coordinator, note: `${ADA.name} was great`, at: t0 }).execute()
  await db.insertInto('session_reports').values({ session_id: past, people_helped: 7, notes: '', recorded_by_person_id: w.coordinator, recorded_at: t0 }).execute()
  await db.insertInto('session_report_topics').values({ session_id: past, skill_id: w.skills.phones, people_count: 4 }).execute()

  // Future: a full session with Bob waiting behind Ada; a session she alone staffs; one where she waits; one she is invited to.
  const full = await w.session({ date: '2026-12-08', title: 'Full drop-in', min: 1, max: 1 })
  const alone = await w.session({ date: '2026-12-09', title: 'Only Ada', min: 1, max: 2 })
  const queue = await w.session({ date: '2026-12-10', title: 'Cat holds it', min: 1, max: 1 })
  const invitedTo = await w.session({ date: '2026-12-11', title: 'Invited drop-in', min: 1, max: 2 })
  t.equal((await book(full, ada.volunteerId)).kind, 'confirmed')
  t.equal((await joinWaitlist(app.ctx, { sessionId: full, volunteerId: bob.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'waitlisted')
  t.equal((await book(alone, ada.volunteerId)).kind, 'confirmed')
  t.equal((await book(queue, cat.volunteerId)).kind, 'confirmed')
  t.equal((await joinWaitlist(app.ctx, { sessionId: queue, volunteerId: ada.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'waitlisted')
  const casey = await w.signIn(w.coordinator)
  t.equal((await casey.post(`/coordinate/sessions/${invitedTo}/invitations`, { invite: [String(ada.volunteerId)] })).statusCode, 303, 'invitation sent')

  // Her feed, and a sign-in session.
  const browser = await w.signIn(ada.personId)
  const calendar = await browser.get('/calendar')
  const feed = new URL(/value="(http:\/\/rota\.test\/feeds\/[A-Za-z0-9_-]{43}\.ics)"/.exec(calendar.body)![1]!).pathname
  t.equal((await app.inject({ url: feed })).statusCode, 200, 'the feed works before')
  await app.mail.worker.drain()
  return { ...w, ada, bob, cat, past, full, alone, queue, invitedTo, browser, casey, feed, pastPlace }
}

t.test('the download holds every row the database has about the volunteer, table by table, and nothing about anyone else', async (t) => {
  const w = await setup(t)
  const { db } = w
  const res = await w.browser.get('/profile/data.json')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /application\/json/)
  t.match(res.headers['content-disposition'], /attachment; filename="champion-rota-data-2026-11-30\.json"/)
  const data = JSON.parse(res.body)
  t.equal(data.format, 'champion-rota/personal-data/v1')
  for (const table of Object.keys(data.tables)) t.type(data.fields[table], 'string', `${table} is documented`)
  // Every table that points at a person, a volunteer or a place is in the download (or excused above).
  const pointing = new Set((await allColumns(db)).filter((c) => /(^|_)(person_id|volunteer_id|assignment_id)$/.test(c.column) || ['email', 'to_address'].includes(c.column)).map((c) => c.table))
  for (const table of [...pointing].sort()) t.ok(table in data.tables || table in NOT_EXPORTED, `${table} is in the download (or excused with a reason)`)

  const vid = w.ada.volunteerId
  const pid = w.ada.personId
  const assignmentIds = (await db.selectFrom('assignments').select('id').where('volunteer_id', '=', vid).execute()).map((r) => r.id)
  const ids = (rows: Array<{ id?: unknown }>) => rows.map((r) => Number(r.id)).sort((a, b) => a - b)
  const expected: Record<string, number[] | number> = {
    people: [pid],
    volunteers: [vid],
    availability_windows: ids(await db.selectFrom('availability_windows').select('id').where('volunteer_id', '=', vid).execute()),
    time_off: ids(await db.selectFrom('time_off').select('id').where('volunteer_id', '=', vid).execute()),
    volunteer_trainings: ids(await db.selectFrom('volunteer_trainings').select('id').where('volunteer_id', '=', vid).execute()),
    assignments: assignmentIds.sort((a, b) => a - b),
    assignment_events: ids(await db.selectFrom('assignment_events').select('id').where('assignment_id', 'in', assignmentIds).execute()),
    invitations: ids(await db.selectFrom('invitations').select('id').where('assignment_id', 'in', assignmentIds).execute()),
    outbox: ids(await db.selectFrom('outbox').select('id').where('person_id', '=', pid).execute()),
    feed_tokens: ids(await db.selectFrom('feed_tokens').select('id').where('person_id', '=', pid).execute()),
    volunteer_skills: (await db.selectFrom('volunteer_skills').select('skill_id').where('volunteer_id', '=', vid).execute()).length,
    volunteer_branches: (await db.selectFrom('volunteer_branches').select('branch_id').where('volunteer_id', '=', vid).execute()).length,
    login_sessions: (await db.selectFrom('login_sessions').select('id_hash').where('person_id', '=', pid).execute()).length,
    role_grants: 0,
  }
  for (const [table, want] of Object.entries(expected)) {
    const rows = data.tables[table] as Array<{ id?: unknown }>
    if (typeof want === 'number') t.equal(rows.length, want, `${table}: every row`)
    else t.same(ids(rows), want, `${table}: every row, by id`)
  }
  t.ok(expected.outbox && (expected.outbox as number[]).length >= 3, 'emails sent to her are there (confirmations, invitation)')
  t.ok(data.tables.outbox.every((o: { subject: string; text_body?: string }) => o.subject && o.text_body === undefined), 'emails: subjects and dates, not bodies')
  t.ok(data.tables.assignment_events.length >= 5, 'the history of her places')
  t.ok(data.tables.audit_log.some((a: { action: string }) => a.action === 'invitation.sent'), 'audit entries about her')
  t.equal(data.tables.time_off[0].note, 'Visiting my sister Quillfeather')

  // Nothing about anyone else: no other person's name or address, no token or hash.
  for (const other of ['Bob Other', 'Cat Other', 'v2@example.org', 'v3@example.org', 'casey@example.org', 'Casey Central']) t.notOk(res.body.includes(other), `nothing about ${other}`)
  t.notMatch(res.body, /token_hash|id_hash|token_sealed/, 'no secrets')
  t.notOk(data.tables.assignments.some((a: { id: number }) => !assignmentIds.includes(a.id)), 'only her places')

  const page = await w.browser.get('/profile/data/view')
  t.equal(page.statusCode, 200)
  const text = textOf(page.body)
  t.match(text, 'Everything we hold about you')
  t.match(text, ADA.email)
  t.match(text, 'Full drop-in')
  t.notOk(text.includes('Bob Other'))

  t.match(textOf((await w.browser.get('/profile')).body), 'Your data', 'linked from the profile')
  t.equal((await w.casey.get('/profile/data.json')).statusCode, 403, 'a coordinator has no volunteer data to download here')
})

t.test(`deleting the account on ${databaseLabel}: places released, waiting list moves, access revoked, no trace of name, email or phone, totals unchanged`, async (t) => {
  const w = await setup(t)
  const { db, app } = w
  const before = await totals(db)
  t.ok((await whereFound(db, ADA.name)).length > 2, 'her name is in several tables before')

  const confirm = await w.browser.get('/profile/delete')
  t.equal(confirm.statusCode, 200)
  const said = textOf(confirm.body)
  t.match(said, 'This cannot be undone')
  t.match(said, 'give up your 4 places on coming sessions')
  t.match(said, 'Full drop-in')
  t.match(said, 'Cat holds it, Thursday 10 December 2026 (waiting list)')
  t.match(said, 'private calendar feed stops working')

  const outboxBefore = await db.selectFrom('outbox').select('id').execute()
  const res = await w.browser.post('/profile/delete')
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/account-deleted')
  t.match(textOf((await w.browser.get('/account-deleted')).body), 'Your account has been deleted')

  // Places: released; the waiting list moved; coordinators told about the session now short.
  const places = await db.selectFrom('assignments').select(['session_id', 'volunteer_id', 'state']).execute()
  const stateOf = (session: number, volunteer: number) => places.find((p) => p.session_id === session && p.volunteer_id === volunteer)?.state
  t.equal(stateOf(w.full, w.ada.volunteerId), 'withdrawn')
  t.equal(stateOf(w.full, w.bob.volunteerId), 'confirmed', 'Bob, first waiting, got the place')
  t.equal(stateOf(w.alone, w.ada.volunteerId), 'withdrawn')
  t.equal(stateOf(w.queue, w.ada.volunteerId), 'withdrawn', 'off the waiting list')
  t.equal(stateOf(w.past, w.ada.volunteerId), 'attended', 'her past place stays')
  t.not(stateOf(w.invitedTo, w.ada.volunteerId), 'invited')
  t.same((await db.selectFrom('invitations').select('state').execute()).map((i) => i.state), ['withdrawn'], 'the open invitation ended')
  const newMail = await db.selectFrom('outbox').selectAll().where('id', 'not in', outboxBefore.map((o) => o.id)).execute()
  const cancellations = newMail.filter((m) => m.kind === 'cancellation' && m.to_address === ADA.email)
  t.same(cancellations.map((m) => m.session_id).sort(), [w.full, w.alone].sort(), 'a calendar cancellation queued for each future place')
  t.ok(cancellations.every((m) => /METHOD:CANCEL/.test(m.ical ?? '')))
  t.ok(newMail.some((m) => m.kind === 'invite' && m.person_id === w.bob.personId), 'Bob is emailed his place')
  const alert = newMail.filter((m) => m.kind === 'coordinator-alert')
  t.ok(alert.length >= 1 && alert.every((m) => m.session_id === w.alone), 'coordinators alerted for the session now short, only that one')
  t.match(alert[0]!.subject, 'A volunteer has left: Only Ada')

  // Access: the feed and every signed-in session stop at once.
  t.equal((await app.inject({ url: w.feed })).statusCode, 404, 'the feed URL answers 404')
  const after = await w.browser.get('/profile')
  t.equal(after.statusCode, 303, 'signed out: sent to sign in')
  t.match(after.headers.location, /^\/sign-in/)
  t.equal((await db.selectFrom('login_sessions').selectAll().where('person_id', '=', w.ada.personId).execute()).length, 0)

  // The person row stays, anonymised.
  const person = await db.selectFrom('people').selectAll().where('id', '=', w.ada.personId).executeTakeFirstOrThrow()
  t.equal(person.name, 'Former volunteer')
  t.equal(person.phone, null)
  t.ok(person.anonymised_at)

  // The cancellations go out; then their copies are scrubbed, and no table holds her name, email or phone.
  await app.mail.worker.drain()
  t.equal((await db.selectFrom('outbox').select('status').where('id', 'in', cancellations.map((c) => c.id)).execute()).filter((m) => m.status === 'sent').length, 2, 'cancellations sent')
  await runDueJobs(app.ctx, 'test', undefined)
  for (const needle of [ADA.email, ADA.name, 'Quillfeather', ADA.phone, 'adaline.quill']) t.same(await whereFound(db, needle), [], `no table holds “${needle}”`)
  t.same(await totals(db), before, 'every report total unchanged')
  t.equal((await db.selectFrom('session_report_topics').select('people_count').executeTakeFirstOrThrow()).people_count, 4)

  // Her address can register again, as a new person.
  const again = new Client(app)
  await again.get('/apply')
  const apply = await again.post('/apply', { name: 'Adaline Again', email: ADA.email, branches: String(w.central) })
  t.equal(apply.statusCode, 303, textOf(apply.body).slice(0, 300))
  const people = await db.selectFrom('people').select(['id', 'name']).where('email', '=', ADA.email).execute()
  t.equal(people.length, 1)
  t.not(people[0]!.id, w.ada.personId, 'a new person')

  const entry = await db.selectFrom('audit_log').selectAll().where('action', '=', 'volunteer.erased').executeTakeFirstOrThrow()
  t.equal(entry.object_id, String(w.ada.volunteerId))
  t.same(JSON.parse(entry.detail), { via: 'self', placesReleased: 2 })
})

t.test('an admin answers a subject access request and an erasure request, for their own service only', async (t) => {
  const w = await setup(t)
  const { db } = w
  const adminId = (await db.insertInto('people').values({ email: 'ad@example.org', name: 'Ad Min', phone: null, created_at: 0, anonymised_at: null }).returning('id').executeTakeFirstOrThrow()).id
  await db.insertInto('role_grants').values({ person_id: adminId, role: 'admin', library_service_id: w.service, branch_id: null, created_at: 0 }).execute()
  const otherAdminId = (await db.insertInto('people').values({ email: 'od@example.org', name: 'Other Admin', phone: null, created_at: 0, anonymised_at: null }).returning('id').executeTakeFirstOrThrow()).id
  await db.insertInto('role_grants').values({ person_id: otherAdminId, role: 'admin', library_service_id: w.otherService, branch_id: null, created_at: 0 }).execute()
  const admin = await w.signIn(adminId)
  const other = await w.signIn(otherAdminId)

  const data = await admin.get(`/admin/volunteers/${w.ada.volunteerId}/data.json`)
  t.equal(data.statusCode, 200)
  t.equal(JSON.parse(data.body).tables.people[0].email, ADA.email)
  t.equal((await other.get(`/admin/volunteers/${w.ada.volunteerId}/data.json`)).statusCode, 403, 'an admin of another service is refused')
  t.equal((await other.post(`/admin/volunteers/${w.ada.volunteerId}/delete`)).statusCode, 403)
  t.equal((await w.casey.post(`/admin/volunteers/${w.ada.volunteerId}/delete`)).statusCode, 403, 'a coordinator is refused')
  t.equal((await db.selectFrom('people').select('name').where('id', '=', w.ada.personId).executeTakeFirstOrThrow()).name, ADA.name, 'nothing changed')

  t.match(textOf((await admin.get(`/admin/volunteers/${w.ada.volunteerId}/delete`)).body), `Delete ${ADA.name}’s account`)
  const res = await admin.post(`/admin/volunteers/${w.ada.volunteerId}/delete`)
  t.equal(res.statusCode, 303)
  t.equal((await db.selectFrom('people').select('name').where('id', '=', w.ada.personId).executeTakeFirstOrThrow()).name, 'Former volunteer')
  const actions = (await db.selectFrom('audit_log').select(['action', 'actor_person_id']).where('actor_person_id', '=', adminId).execute()).map((a) => a.action)
  t.ok(actions.includes('personal_data.downloaded') && actions.includes('volunteer.erased'), 'both audited with the admin as actor')
  t.equal((await admin.get(`/admin/volunteers/${w.ada.volunteerId}/data.json`)).statusCode, 404, 'nothing left to download')
})

t.test('the privacy page is linked from every page footer', async (t) => {
  const w = await world(t)
  const home = await w.app.inject({ url: '/' })
  t.match(home.body, /<a class="govuk-footer__link" href="\/privacy">Privacy<\/a>/)
  const page = await w.app.inject({ url: '/privacy' })
  t.equal(page.statusCode, 200)
  t.match(textOf(page.body), 'How long we keep it')
  t.match(textOf(page.body), 'See, download or delete your information')
})

t.test('the retention job anonymises volunteers who left longer ago than the service keeps details, and removes old sign-in records', async (t) => {
  const w = await world(t)
  const { db, app, clock } = w
  const month = 30.5 * 86_400_000
  const now = clock.now()
  const longGone = await w.volunteer({ name: 'Long Gone', status: 'left' })
  await db.updateTable('volunteers').set({ left_at: now - 25 * month }).where('id', '=', longGone.volunteerId).execute()
  const recent = await w.volunteer({ name: 'Recently Gone', status: 'left' })
  await db.updateTable('volunteers').set({ left_at: now - 23 * month }).where('id', '=', recent.volunteerId).execute()
  const legacy = await w.volunteer({ name: 'Legacy Gone', status: 'left' })
  await db.updateTable('volunteers').set({ left_at: null, updated_at: now - 30 * month }).where('id', '=', legacy.volunteerId).execute()
  const active = await w.volunteer({ name: 'Still Here' })
  await db.updateTable('volunteers').set({ updated_at: now - 40 * month }).where('id', '=', active.volunteerId).execute()
  const stillHere = await w.signIn(active.personId)
  await db.insertInto('login_sessions').values({ id_hash: 'old', person_id: active.personId, created_at: now - 20 * 86_400_000, last_seen_at: now - 15 * 86_400_000, expires_at: now - 6 * 86_400_000 }).execute()
  await db.insertInto('sign_in_tokens').values({ token_hash: 'h', email: 'v4@example.org', client_key: 'k', created_at: now - 3 * 86_400_000, expires_at: now - 3 * 86_400_000 + 600_000, used_at: null }).execute()

  const nameOf = async (personId: number) => (await db.selectFrom('people').select('name').where('id', '=', personId).executeTakeFirstOrThrow()).name
  t.same(await runDueJobs(app.ctx, 'test', (await import('../../src/jobs/schedulers.js')).scheduledJobs.filter((j) => j.name === 'retention')), ['retention'])
  t.equal(await nameOf(longGone.personId), 'Former volunteer', 'left 25 months ago: anonymised (default 24)')
  t.equal(await nameOf(legacy.personId), 'Former volunteer', 'left before left_at was recorded: counted from the last change')
  t.equal(await nameOf(recent.personId), 'Recently Gone', 'left 23 months ago: kept')
  t.equal(await nameOf(active.personId), 'Still Here', 'active volunteers are never touched')
  t.equal((await db.selectFrom('login_sessions').select('id_hash').where('id_hash', '=', 'old').execute()).length, 0, 'expired sign-in session record removed')
  t.equal((await stillHere.get('/profile')).statusCode, 200, 'live sessions stay')
  t.equal((await db.selectFrom('sign_in_tokens').select('id').execute()).length, 0, 'old sign-in links removed')
  t.ok((await db.selectFrom('audit_log').select('detail').where('action', '=', 'volunteer.erased').execute()).every((a) => JSON.parse(a.detail).via === 'retention'))

  // A shorter period, set by an admin, applies at the next run.
  await db.updateTable('library_services').set({ retention_months: 12 }).where('id', '=', w.service).execute()
  const { applyRetention } = await import('../../src/privacy/privacy.service.js')
  t.same(await applyRetention(app.ctx), { anonymised: 1, sessions: 0 })
  t.equal(await nameOf(recent.personId), 'Former volunteer')
})

