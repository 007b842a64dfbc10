// Reminders, coordinator alerts, the weekly digest and expiry notices, as the scheduler queues them and a real SMTP peer receives them.
import t, { type Test } from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client, encodeForm } from '../helpers/client.js'
import { createService, createBranch, createVolunteer, createSession, createCoordinator } from '../helpers/fixtures.js'
import { startSmtpPeer } from '../helpers/smtp-peer.js'
import { takePlace } from '../../src/assignments/places.service.js'
import { queueExpiryReminders, queueGapsDigests, queueSessionReminders, queueShortSessionAlerts } from '../../src/reminders/reminders.service.js'
import { switchToken } from '../../src/mail/switches.js'
import { runDueJobs } from '../../src/jobs/schedulers.js'

t.comment(`database: ${databaseLabel}`)

async function setup(t: Test, options: { smtp?: boolean } = {}) {
  const peer = options.smtp ? await startSmtpPeer(t) : null
  const ctx = await testApp(t, { env: { BASE_URL: 'https://rota.test', ...(peer ? { SMTP_URL: peer.url } : {}) } })
  const db = ctx.app.db
  const service = await createService(db)
  const branch = await createBranch(db, service, 'Central Library')
  const ann = await createVolunteer(db, 'ann@example.org', service, [branch], { name: 'Ann Example' })
  const book = (sessionId: number, volunteerId = ann.volunteerId) => takePlace(ctx.app.ctx, { sessionId, volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  const outbox = (kind: string) => db.selectFrom('outbox').selectAll().where('kind', '=', kind).orderBy('id').execute()
  return { ...ctx, db, service, branch, ann, book, outbox, peer }
}

t.test('two days before at the session time and 08:00 on the day, each once', async (t) => {
  const { app, clock, branch, book, outbox } = await setup(t)
  await book(await createSession(app.db, branch, { date: '2026-12-08', start: '10:00', end: '12:00', title: 'Digital help drop-in' }))
  clock.set(Date.parse('2026-12-06T09:59:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 0, 'not at 09:59 two days before')
  clock.set(Date.parse('2026-12-06T10:00:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 1, 'at 10:00 two days before')
  t.equal(await queueSessionReminders(app.ctx), 0, 'once')
  clock.set(Date.parse('2026-12-08T07:59:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 0)
  clock.set(Date.parse('2026-12-08T08:00:30Z'))
  t.same(await runDueJobs(app.ctx, 'test-owner'), ['purge-sign-in-links', 'purge-rate-limit-hits', 'session-reminders', 'short-session-alerts', 'cover-alerts', 'gaps-digest', 'recording-prompts', 'expiry-reminders', 'scrub-erased-mail', 'retention', 'purge-old-mail'], 'the scheduler runs the jobs')
  const reminders = await outbox('reminder')
  t.same(reminders.map((r) => /:(2d|0d@08:00)$/.exec(r.dedupe_key)?.[1]), ['2d', '0d@08:00'])
  t.match(reminders[0]!.subject, /^Reminder: Digital help drop-in at Central Library, Tuesday 8 December 2026$/)
  t.match(reminders[1]!.subject, /^Today: Digital help drop-in at Central Library, 10am to 12pm$/)
  t.match(reminders[1]!.text_body, /helping at this session today/)
  t.equal(reminders[1]!.ical, null, 'a reminder is not a calendar message')
})

t.test('no reminder for a time already past when booked; a session moved later is reminded again', async (t) => {
  const { app, clock, db, branch, book, outbox } = await setup(t)
  const session = await createSession(db, branch, { date: '2026-12-08', start: '10:00', end: '12:00' })
  clock.set(Date.parse('2026-12-07T12:00:00Z'))
  await book(session)
  clock.set(Date.parse('2026-12-07T12:05:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 0, 'the two-days-before time had passed when she booked')
  clock.set(Date.parse('2026-12-08T08:00:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 1, 'the morning one still comes')
  // Moved to a week later: its own reminders, by the new date.
  await db.updateTable('sessions').set({ local_date: '2026-12-15', starts_at: Date.parse('2026-12-15T10:00:00Z'), ends_at: Date.parse('2026-12-15T12:00:00Z') }).where('id', '=', session).execute()
  clock.set(Date.parse('2026-12-13T10:00:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 1)
  t.same((await outbox('reminder')).map((r) => r.dedupe_key.replace(/^reminder:\d+:/, '')), ['2026-12-08T10:00:0d@08:00', '2026-12-15T10:00:2d'])
})

t.test('across the spring change: the 10:00 Monday session is reminded at 10:00 GMT on Saturday, not 48 hours before', async (t) => {
  const { app, clock, db, branch, book, outbox } = await setup(t)
  const { localToInstant } = await import('../../src/time/wall-clock.js')
  const session = await db
    .insertInto('sessions')
    .values({ branch_id: branch, series_id: null, title: 'Drop-in', kind: 'drop_in', local_date: '2027-03-29', start_time: '10:00', end_time: '12:00', starts_at: localToInstant('2027-03-29', '10:00', 'Europe/London'), ends_at: localToInstant('2027-03-29', '12:00', 'Europe/London'), min_volunteers: 1, max_volunteers: 3, created_at: 0, updated_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.updateTable('library_services').set({ booking_window_days: 400 }).execute()
  t.equal((await book(session.id)).kind, 'confirmed')
  clock.set(Date.parse('2027-03-27T09:00:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 0, '48 hours before (09:00Z) is 09:00 GMT on the clock: too early')
  clock.set(Date.parse('2027-03-27T10:00:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 1, '10:00 GMT on Saturday')
  clock.set(Date.parse('2027-03-29T06:59:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 0)
  clock.set(Date.parse('2027-03-29T07:00:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 1, '08:00 BST on the day is 07:00Z')
  t.equal((await outbox('reminder')).length, 2)
})

t.test('the reminder carries List-Unsubscribe and List-Unsubscribe-Post; the one-click POST, without cookies, turns reminders off', async (t) => {
  const { app, clock, db, branch, ann, book, peer } = await setup(t, { smtp: true })
  await book(await createSession(db, branch, { date: '2026-12-08' }))
  await book(await createSession(db, branch, { date: '2026-12-09' }))
  clock.set(Date.parse('2026-12-06T10:00:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 1)
  await app.mail.worker.drain()
  const parsed = await peer!.parsedAll()
  const reminder = parsed.find((m) => /^Reminder:/.test(m.subject ?? ''))!
  t.ok(reminder, 'the reminder arrived')
  const listUnsubscribe = reminder.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? ''
  const url = /<(https:\/\/rota\.test\/reminders\/[^>]+)>/.exec(listUnsubscribe)?.[1]
  t.ok(url, `List-Unsubscribe has an https URL: ${listUnsubscribe}`)
  t.match(reminder.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/i)
  t.match(reminder.text, /Stop reminder emails|To stop reminder emails/)
  const invites = parsed.filter((m) => /^You are booked/.test(m.subject ?? ''))
  t.equal(invites.length, 2)
  t.ok(invites.every((m) => !m.headerLines.some((h) => h.key.startsWith('list-unsubscribe'))), 'invites carry no unsubscribe: they always go')

  // What a mail provider does (RFC 8058): a POST with no cookies and no CSRF token.
  const path = new URL(url!).pathname
  const oneClick = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
  t.equal(oneClick.statusCode, 200)
  t.notOk(oneClick.headers['set-cookie']?.toString().includes('rota_session'), 'no session involved')
  const v = await db.selectFrom('volunteers').select('reminders_enabled').where('id', '=', ann.volunteerId).executeTakeFirstOrThrow()
  t.equal(v.reminders_enabled, 0, 'reminders are off')

  clock.set(Date.parse('2026-12-07T10:00:00Z'))
  t.equal(await queueSessionReminders(app.ctx), 0, 'no more reminders')
  await book(await createSession(db, branch, { date: '2026-12-10' }))
  await app.mail.worker.drain()
  t.match(peer!.received.at(-1)!.raw, /Subject: You are booked/, 'but booking confirmations still go')

  // The page behind the link lets her turn them back on.
  const page = await app.inject(path)
  t.equal(page.statusCode, 200)
  t.match(page.body, /Reminder emails are off/)
  t.match(page.body, /Turn reminder emails back on/)
  const on = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encodeForm({ reminders: 'on' }) })
  t.equal(on.statusCode, 303)
  t.equal((await db.selectFrom('volunteers').select('reminders_enabled').where('id', '=', ann.volunteerId).executeTakeFirstOrThrow()).reminders_enabled, 1, 'back on')
  const actions = await db.selectFrom('audit_log').select('action').where('object_type', '=', 'volunteer').orderBy('id').execute()
  t.same(actions.map((a) => a.action), ['reminders.off', 'reminders.on'])
})

t.test('the one-click POST also works as multipart/form-data, and forged tokens are refused', async (t) => {
  const { app, db, ann, service, branch } = await setup(t)
  const other = await createVolunteer(db, 'bob@example.org', service, [branch], { name: 'Bob' })
  const token = switchToken(app.config.sessionSecret, 'reminders', ann.volunteerId)
  const boundary = '----rota'
  const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`
  const res = await app.inject({ method: 'POST', url: `/reminders/${token}`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: multipart })
  t.equal(res.statusCode, 200)
  t.equal((await db.selectFrom('volunteers').select('reminders_enabled').where('id', '=', ann.volunteerId).executeTakeFirstOrThrow()).reminders_enabled, 0)
  const forged = token.replace(/^\d+-/, `${other.volunteerId}-`)
  t.equal((await app.inject({ method: 'POST', url: `/reminders/${forged}`, payload: '' })).statusCode, 404, "another volunteer's id with this signature")
  t.equal((await app.inject(`/reminders/${token.slice(0, -1)}A`)).statusCode, 404, 'an altered signature')
  t.equal((await app.inject('/reminders/nonsense')).statusCode, 404)
  t.equal((await db.selectFrom('volunteers').select('reminders_enabled').where('id', '=', other.volunteerId).executeTakeFirstOrThrow()).reminders_enabled, 1, 'nothing changed for Bob')
})

t.test('a signed-in volunteer switches reminders on their calendar page', async (t) => {
  const { app, db, ann } = await setup(t)
  const browser = await new Client(app).signInAs(ann.personId)
  const page = await browser.get('/calendar')
  t.match(page.body, /We email you before each session: two days before, and at 8am on the day/)
  t.equal((await browser.post('/calendar/reminders', { reminders: 'off' })).statusCode, 303)
  t.match((await browser.get('/calendar')).body, /Reminder emails are off/)
  t.equal((await browser.post('/calendar/reminders', { reminders: 'maybe' })).statusCode, 400, 'nonsense is refused')
  t.equal((await browser.post('/calendar/reminders', { reminders: 'on' })).statusCode, 303)
  t.equal((await db.selectFrom('volunteers').select('reminders_enabled').where('id', '=', ann.volunteerId).executeTakeFirstOrThrow()).reminders_enabled, 1)
})

t.test('coordinators hear about a session still short three days ahead, at 08:00, once', async (t) => {
  const { app, clock, db, service, branch, book, outbox } = await setup(t)
  const coord = await createCoordinator(db, 'coord@example.org', service, branch, 'Cora')
  await createCoordinator(db, 'whole@example.org', service, null, 'Whole Service')
  const other = await createBranch(db, service, 'Far Library')
  await createCoordinator(db, 'far@example.org', service, other, 'Far Coordinator')
  const short = await createSession(db, branch, { date: '2026-12-08', min: 2, max: 3, title: 'Short drop-in' })
  await createSession(db, branch, { date: '2026-12-08', start: '14:00', end: '16:00', min: 1, max: 3, title: 'Fine' }).then((id) => book(id))
  await book(short)
  clock.set(Date.parse('2026-12-05T07:59:00Z'))
  t.equal(await queueShortSessionAlerts(app.ctx), 0, 'not before 08:00 three days ahead')
  clock.set(Date.parse('2026-12-05T08:00:00Z'))
  t.equal(await queueShortSessionAlerts(app.ctx), 2, 'the branch coordinator and the whole-service coordinator')
  t.equal(await queueShortSessionAlerts(app.ctx), 0, 'once')
  const alerts = await outbox('coordinator-alert')
  t.same(alerts.map((a) => a.to_address).sort(), ['coord@example.org', 'whole@example.org'])
  t.match(alerts[0]!.subject, /^Needs 1 more volunteer: Short drop-in, Tue 8 Dec at Central Library$/)
  t.match(alerts[0]!.text_body, /has 1 volunteer and needs at least 2/)
  t.match(alerts[0]!.text_body, /https:\/\/rota\.test\/coordinate\/sessions\/\d+/)
  t.ok(coord)

  // A service that wants five days' notice.
  const later = await createSession(db, branch, { date: '2026-12-12', min: 1, max: 2, title: 'Later' })
  await db.updateTable('library_services').set({ short_alert_days: 5 }).where('id', '=', service).execute()
  clock.set(Date.parse('2026-12-07T08:00:00Z'))
  await queueShortSessionAlerts(app.ctx)
  t.equal((await outbox('coordinator-alert')).filter((a) => a.session_id === later).length, 2, 'five days ahead when set so')
})

t.test('the weekly digest: Monday 08:00 local, the gaps of the next two weeks, once; nothing when there are none', async (t) => {
  const { app, clock, db, service, branch, outbox } = await setup(t)
  await createCoordinator(db, 'coord@example.org', service, branch, 'Cora')
  const quiet = await createBranch(db, service, 'Quiet Library')
  await createCoordinator(db, 'quiet@example.org', service, quiet, 'Quentin')
  await createSession(db, branch, { date: '2026-12-09', min: 2, max: 3, title: 'Soon' })
  await createSession(db, branch, { date: '2026-12-16', min: 1, max: 3, title: 'Next week' })
  await createSession(db, branch, { date: '2027-01-20', min: 1, max: 3, title: 'Far off' })
  clock.set(Date.parse('2026-12-07T07:59:00Z'))
  t.equal(await queueGapsDigests(app.ctx), 0, 'Monday 07:59')
  clock.set(Date.parse('2026-12-07T08:00:00Z'))
  t.equal(await queueGapsDigests(app.ctx), 1, 'Monday 08:00: one digest, to the coordinator with gaps')
  t.equal(await queueGapsDigests(app.ctx), 0, 'once')
  clock.set(Date.parse('2026-12-08T08:00:00Z'))
  t.equal(await queueGapsDigests(app.ctx), 0, 'not on Tuesday')
  const [digest] = await outbox('gaps-digest')
  t.equal(digest!.to_address, 'coord@example.org')
  t.match(digest!.subject, /^2 sessions still need volunteers in the next two weeks$/)
  t.match(digest!.text_body, /Soon, Central Library\s+Wednesday 9 December 2026, 10am to 12pm\s+0 of 3 volunteers, needs 2 more/)
  t.notMatch(digest!.text_body, /Far off/)
  t.match(digest!.html_body, /<caption[^>]*>Sessions below their minimum<\/caption>/)
})

t.test('the weekly digest lists the sessions of the last 30 days with no report yet, each with its report form; none, no section', async (t) => {
  const { app, clock, db, service, branch, outbox } = await setup(t)
  await createCoordinator(db, 'coord@example.org', service, branch, 'Cora')
  const quiet = await createBranch(db, service, 'Quiet Library')
  await createCoordinator(db, 'quiet@example.org', service, quiet, 'Quentin')
  const busy = await createBranch(db, service, 'Busy Library')
  await createCoordinator(db, 'busy@example.org', service, busy, 'Bea')
  // Central: a gap ahead, one held session without a report, and ones that do not count.
  await createSession(db, branch, { date: '2026-12-09', min: 2, max: 3, title: 'Soon' })
  const unreported = await createSession(db, branch, { date: '2026-12-01', title: 'Tuesday drop-in' })
  const reported = await createSession(db, branch, { date: '2026-11-24', title: 'Reported one' })
  await db.insertInto('session_reports').values({ session_id: reported, people_helped: 4, new_to_library: null, came_back: null, notes: '', recorded_by_person_id: null, recorded_at: 0 }).execute()
  const cancelled = await createSession(db, branch, { date: '2026-12-02', title: 'Cancelled one' })
  await db.updateTable('sessions').set({ status: 'cancelled', cancelled_at: 0 }).where('id', '=', cancelled).execute()
  await createSession(db, branch, { date: '2026-11-03', title: 'Too long ago' })
  await createSession(db, quiet, { date: '2026-12-03', title: 'Another branch' })
  // Busy: no gaps, twelve held sessions without a report (23 November to 4 December).
  const busyIds: number[] = []
  for (let day = 23; day <= 34; day++) {
    const date = day <= 30 ? `2026-11-${day}` : `2026-12-0${day - 30}`
    busyIds.push(await createSession(db, busy, { date, title: `Class ${date}` }))
  }

  clock.set(Date.parse('2026-12-07T08:00:00Z'))
  t.equal(await queueGapsDigests(app.ctx), 3, 'one each: gaps and a missing report, a missing report only, missing reports only')
  const mails = new Map((await outbox('gaps-digest')).map((m) => [m.to_address, m]))
  /** The "Sessions with no report yet" section of a digest's text, read back line by line. */
  const section = (text: string) => {
    const part = text.slice(text.indexOf('Sessions with no report yet:'))
    return {
      summary: /^Sessions with no report yet: (.+)\.$/m.exec(part)?.[1],
      sessions: [...part.matchAll(/^- (.+), (.+), (\w+day \d+ \w+ \d{4})\n {2}Record the report: (\S+)$/gm)].map((m) => ({ title: m[1], branch: m[2], date: m[3], url: m[4] })),
      all: /^All sessions with no report yet: (\S+)$/m.exec(part)?.[1],
    }
  }

  const cora = mails.get('coord@example.org')!
  t.equal(cora.subject, '1 session still needs volunteers in the next two weeks', 'gaps first in the subject')
  t.match(cora.text_body, /Soon, Central Library/, 'the gaps as before')
  t.same(section(cora.text_body), {
    summary: '1 session ended in the last 30 days without a report',
    sessions: [{ title: 'Tuesday drop-in', branch: 'Central Library', date: 'Tuesday 1 December 2026', url: `https://rota.test/sessions/${unreported}/report` }],
    all: 'https://rota.test/reports/unreported',
  }, 'not the reported, cancelled, too old or other branch\'s sessions')
  t.ok(cora.text_body.indexOf('Fill the gaps') < cora.text_body.indexOf('Sessions with no report yet'), 'after the gaps')
  t.match(cora.html_body, /<caption[^>]*>Sessions with no report yet<\/caption>/)
  t.match(cora.html_body, new RegExp(`<a href="https://rota.test/sessions/${unreported}/report"[^>]*>Tuesday drop-in</a>`))

  const quentin = mails.get('quiet@example.org')!
  t.equal(quentin.subject, '1 session has no report yet', 'no gaps: the subject says what there is')
  t.notMatch(quentin.text_body, /still need volunteers|Fill the gaps/, 'no empty gaps section')
  t.same(section(quentin.text_body).sessions.map((s) => s.title), ['Another branch'])

  const bea = mails.get('busy@example.org')!
  t.equal(bea.subject, '12 sessions have no report yet')
  const busySection = section(bea.text_body)
  t.equal(busySection.summary, '12 sessions ended in the last 30 days without a report (the latest 10 are listed)')
  t.same(busySection.sessions.map((s) => s.url), busyIds.slice(2).reverse().map((id) => `https://rota.test/sessions/${id}/report`), 'the latest ten, newest first')
  t.equal(busySection.sessions[0]!.date, 'Friday 4 December 2026')
  t.notMatch(bea.text_body, /\n\n\n/, 'no run of empty lines')
})

t.test('the weekly digest has no report section when every session is reported', async (t) => {
  const { app, clock, db, service, branch, outbox } = await setup(t)
  await createCoordinator(db, 'coord@example.org', service, branch, 'Cora')
  await createSession(db, branch, { date: '2026-12-09', min: 2, max: 3, title: 'Soon' })
  const held = await createSession(db, branch, { date: '2026-12-01', title: 'Tuesday drop-in' })
  await db.insertInto('session_reports').values({ session_id: held, people_helped: 4, new_to_library: null, came_back: null, notes: '', recorded_by_person_id: null, recorded_at: 0 }).execute()
  clock.set(Date.parse('2026-12-07T08:00:00Z'))
  t.equal(await queueGapsDigests(app.ctx), 1)
  const [digest] = await outbox('gaps-digest')
  t.notMatch(digest!.text_body, /no report/)
  t.notMatch(digest!.html_body, /no report/)
  t.match(digest!.text_body, /Fill the gaps: https:\/\/rota.test\/coordinate\n\nChampion Rota/)
})

t.test('30 days before a training or check runs out, at 08:00; not if renewed, not if reminders are off', async (t) => {
  const { app, clock, db, service, ann, outbox } = await setup(t)
  const kind = await db.insertInto('training_kinds').values({ library_service_id: service, name: 'DBS check', kind: 'check', validity_months: 36 }).returning('id').executeTakeFirstOrThrow()
  const record = (volunteerId: number, expiresOn: string) =>
    db.insertInto('volunteer_trainings').values({ volunteer_id: volunteerId, training_kind_id: kind.id, completed_on: '2024-01-15', expires_on: expiresOn, recorded_by_person_id: null, created_at: Date.parse('2024-01-15T12:00:00Z') }).execute()
  await record(ann.volunteerId, '2027-01-15')
  const renewed = await createVolunteer(db, 'ren@example.org', service, [], { name: 'Renewed' })
  await record(renewed.volunteerId, '2027-01-15')
  await record(renewed.volunteerId, '2030-01-15')
  const quiet = await createVolunteer(db, 'quiet@example.org', service, [], { name: 'Quiet' })
  await record(quiet.volunteerId, '2027-01-15')
  await db.updateTable('volunteers').set({ reminders_enabled: 0 }).where('id', '=', quiet.volunteerId).execute()

  clock.set(Date.parse('2026-12-16T07:59:00Z'))
  t.equal(await queueExpiryReminders(app.ctx), 0)
  clock.set(Date.parse('2026-12-16T08:00:00Z'))
  t.equal(await queueExpiryReminders(app.ctx), 1, 'one: not the renewed one, not the one who turned reminders off')
  t.equal(await queueExpiryReminders(app.ctx), 0, 'once')
  const [mail] = await outbox('expiry-reminder')
  t.equal(mail!.to_address, 'ann@example.org')
  t.equal(mail!.subject, 'Your DBS check runs out on Friday 15 January 2027')
  const headers = JSON.parse(mail!.headers) as Record<string, string>
  t.match(headers['List-Unsubscribe'], /^<https:\/\/rota\.test\/reminders\/\d+-[A-Za-z0-9_-]{43}>$/)
  t.equal(headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click')
})
