// Private calendar feeds: the volunteer's and the branch's, over HTTP as calendar apps fetch them.
import t, { type Test } from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createService, createBranch, createVolunteer, createSession, createCoordinator } from '../helpers/fixtures.js'
import { checkIcs, readIcs } from '../helpers/calendar-checks.js'
import { takePlace, releasePlace } from '../../src/assignments/places.service.js'
import { hashToken } from '../../src/auth/tokens.js'

t.comment(`database: ${databaseLabel}`)

const DAY = 86_400_000

async function setup(t: Test) {
  const ctx = await testApp(t)
  const db = ctx.app.db
  const service = await createService(db)
  const central = await createBranch(db, service, 'Central Library')
  const north = await createBranch(db, service, 'North Library')
  const ann = await createVolunteer(db, 'ann@example.org', service, [central, north], { name: 'Ann Example' })
  const bob = await createVolunteer(db, 'bob@example.org', service, [central], { name: 'Bob Example' })
  const book = (sessionId: number, volunteerId: number) => takePlace(ctx.app.ctx, { sessionId, volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  return { ...ctx, db, service, central, north, ann, bob, book }
}

function feedPath(html: string): { https: string; webcal: string; path: string } {
  const https = /value="(http:\/\/rota\.test\/feeds\/[A-Za-z0-9_-]{43}\.ics)"/.exec(html)?.[1]
  const webcal = /"(webcal:\/\/rota\.test\/feeds\/[A-Za-z0-9_-]{43}\.ics)"/.exec(html)?.[1]
  if (!https || !webcal) throw new Error('no feed URLs on the page')
  return { https, webcal, path: new URL(https).pathname }
}

t.test('a volunteer subscribes: their page shows the URLs, the feed has their sessions and answers 304 when unchanged', async (t) => {
  const { app, clock, db, central, ann, bob, book } = await setup(t)
  const mine = await createSession(db, central, { date: '2026-12-08', title: 'Digital help drop-in' })
  const theirs = await createSession(db, central, { date: '2026-12-09', title: 'Bob only' })
  await book(mine, ann.volunteerId)
  await book(theirs, bob.volunteerId)

  const browser = await new Client(app).signInAs(ann.personId)
  const page = await browser.get('/calendar')
  t.equal(page.statusCode, 200)
  t.match(page.body, /<h1 class="govuk-heading-xl">Your calendar<\/h1>/)
  t.match(page.body, /href="\/calendar" aria-current="page"/, 'the nav entry for volunteers')
  for (const app of ['Google Calendar', 'Outlook', 'Apple Calendar']) t.match(page.body, new RegExp(app), `how-to for ${app}`)
  const urls = feedPath(page.body)
  t.equal(urls.webcal.replace('webcal://', 'http://'), urls.https, 'the webcal:// and https:// URLs are the same feed')
  t.equal(feedPath((await browser.get('/calendar')).body).https, urls.https, 'the same URL on every visit')

  const token = /feeds\/([^.]+)\.ics/.exec(urls.path)![1]!
  const stored = await db.selectFrom('feed_tokens').selectAll().execute()
  t.equal(stored.length, 1)
  t.equal(stored[0]!.token_hash, hashToken(token), 'stored as a hash')
  t.notOk(JSON.stringify(stored).includes(token), 'the token itself is not in the database')

  const feed = await app.inject({ url: urls.path })
  t.equal(feed.statusCode, 200)
  t.match(feed.headers['content-type'], /^text\/calendar; charset=utf-8/)
  t.match(feed.headers['cache-control'], /private/)
  const etag = String(feed.headers.etag)
  t.match(etag, /^"[A-Za-z0-9_-]{32}"$/)
  const cal = await checkIcs(t, feed.body, 'feed', 'volunteer feed')
  t.equal(cal.name, 'Champion Rota - Ann Example')
  t.equal(cal.refresh, 'PT60M')
  t.same(cal.events.map((e) => e.summary), ['Digital help drop-in (Central Library)'], 'only her own session')
  t.notMatch(feed.body, /Bob only/, 'never another volunteer\'s session')

  const invite = await db.selectFrom('outbox').select('ical').where('to_address', '=', 'ann@example.org').executeTakeFirstOrThrow()
  const inviteEvent = readIcs(invite.ical!).events[0]!
  t.equal(cal.events[0]!.uid, inviteEvent.uid, 'the same UID as the emailed invite')
  t.equal(cal.events[0]!.sequence, inviteEvent.sequence, 'and the same SEQUENCE')

  const again = await app.inject({ url: urls.path, headers: { 'if-none-match': etag } })
  t.equal(again.statusCode, 304, '304 when nothing changed')
  t.equal(again.body, '')
  t.equal(again.headers.etag, etag)
  clock.advance(3 * 60 * 60_000)
  const later = await app.inject({ url: urls.path })
  t.equal(later.body, feed.body, 'hours later the text is identical: DTSTAMP comes from the data')
  t.equal((await app.inject({ url: urls.path, headers: { 'if-none-match': `W/${etag}, "other"` } })).statusCode, 304, 'weak and listed ETags match too')

  const next = await createSession(db, central, { date: '2026-12-15', title: 'Another drop-in' })
  await book(next, ann.volunteerId)
  const changed = await app.inject({ url: urls.path, headers: { 'if-none-match': etag } })
  t.equal(changed.statusCode, 200, 'a new booking changes the feed')
  t.not(changed.headers.etag, etag)
  t.equal(readIcs(changed.body).events.length, 2)
})

t.test('two first visits at once end up with one link', async (t) => {
  const { app, db, ann } = await setup(t)
  const browser = await new Client(app).signInAs(ann.personId)
  const pages = await Promise.all([browser.get('/calendar'), browser.get('/calendar'), browser.get('/calendar')])
  t.same(new Set(pages.map((p) => feedPath(p.body).https)).size, 1, 'the same URL on every page')
  const live = await db.selectFrom('feed_tokens').select('id').where('revoked_at', 'is', null).execute()
  t.equal(live.length, 1, 'one live token')
})

t.test('reset kills the old URL at once; unknown and malformed tokens are 404', async (t) => {
  const { app, central, ann, book, db } = await setup(t)
  await book(await createSession(db, central, { date: '2026-12-08' }), ann.volunteerId)
  const browser = await new Client(app).signInAs(ann.personId)
  const old = feedPath((await browser.get('/calendar')).body)
  t.equal((await app.inject(old.path)).statusCode, 200)

  const reset = await browser.post('/calendar/reset')
  t.equal(reset.statusCode, 303)
  const page = await browser.get('/calendar')
  t.match(page.body, /You have a new calendar link/)
  const fresh = feedPath(page.body)
  t.not(fresh.path, old.path)
  const gone = await app.inject(old.path)
  t.equal(gone.statusCode, 404, 'the old URL answers 404 straight away')
  t.match(gone.headers['content-type'], /text\/plain/)
  t.equal((await app.inject(fresh.path)).statusCode, 200, 'the new one works')
  const audit = await db.selectFrom('audit_log').select('action').where('action', '=', 'calendar-feed.reset').execute()
  t.equal(audit.length, 1, 'the reset is in the audit log')

  t.equal((await app.inject(`/feeds/${'A'.repeat(43)}.ics`)).statusCode, 404, 'an unknown token')
  t.equal((await app.inject('/feeds/short.ics')).statusCode, 404, 'a malformed token')
  t.equal((await app.inject('/feeds/%27%3Bdrop%20table.ics')).statusCode, 404)
  t.equal((await new Client(app).post('/calendar/reset')).statusCode, 401, 'a stranger cannot reset anything')
  t.equal((await app.inject(fresh.path)).statusCode, 200, 'and the link still works')
})

t.test('the feed keeps 30 days of past sessions, and cancellations of the last 30 days as STATUS:CANCELLED', async (t) => {
  const { app, clock, db, central, ann, book } = await setup(t)
  // Book four sessions while they are ahead, then move the clock on.
  const early = await createSession(db, central, { date: '2026-12-01', title: 'Early' })
  const middle = await createSession(db, central, { date: '2026-12-20', title: 'Middle' })
  const withdrawn = await createSession(db, central, { date: '2027-01-20', title: 'Withdrawn' })
  const future = await createSession(db, central, { date: '2027-02-01', title: 'Future' })
  for (const s of [early, middle, withdrawn, future]) t.equal((await book(s, ann.volunteerId)).kind, 'confirmed')
  await releasePlace(app.ctx, { sessionId: withdrawn, volunteerId: ann.volunteerId, toState: 'withdrawn', actorPersonId: null, wording: 'withdrew' })
  // Bob's session, cancelled: never in Ann's feed.
  const browser = await new Client(app).signInAs(ann.personId)
  const { path } = feedPath((await browser.get('/calendar')).body)

  const now = await checkIcs(t, (await app.inject(path)).body, 'feed')
  t.same(now.events.map((e) => [e.summary.split(' (')[0], e.status]), [['Early', 'CONFIRMED'], ['Middle', 'CONFIRMED'], ['Withdrawn', 'CANCELLED'], ['Future', 'CONFIRMED']])
  const cancelled = now.events.find((e) => e.status === 'CANCELLED')!
  const cancelMail = await db.selectFrom('outbox').select('ical').where('ical_method', '=', 'CANCEL').executeTakeFirstOrThrow()
  t.equal(cancelled.sequence, readIcs(cancelMail.ical!).events[0]!.sequence, 'the cancelled event carries the CANCEL message\'s SEQUENCE')

  clock.set(Date.parse('2027-01-02T09:00:00Z'))
  const later = readIcs((await app.inject(path)).body)
  t.same(later.events.map((e) => e.summary.split(' (')[0]), ['Middle', 'Future'], 'a month on: the session from 32 days ago and the cancellation from 33 days ago have gone')
  clock.advance(40 * DAY)
  t.same(readIcs((await app.inject(path)).body).events.map((e) => e.summary.split(' (')[0]), ['Future'])
})

t.test('a coordinator subscribes to a branch: every session with its staffing, for as long as they coordinate it', async (t) => {
  const { app, db, service, central, north, ann, bob, book } = await setup(t)
  const coordinator = await createCoordinator(db, 'coord@example.org', service, central, 'Cora Ordinator')
  const full = await createSession(db, central, { date: '2026-12-08', title: 'Drop-in', min: 2, max: 3 })
  const empty = await createSession(db, central, { date: '2026-12-10', title: 'Group class', min: 2, max: 4 })
  await createSession(db, north, { date: '2026-12-08', title: 'North only' })
  await book(full, ann.volunteerId)
  await book(full, bob.volunteerId)
  t.ok(empty)

  const browser = await new Client(app).signInAs(coordinator)
  const home = await browser.get('/coordinate')
  t.match(home.body, /href="\/coordinate\/calendars"/, 'linked from the coordinator\'s page')
  const page = await browser.get('/coordinate/calendars')
  t.equal(page.statusCode, 200)
  t.match(page.body, /Central Library/)
  t.notMatch(page.body, /North Library/, 'only branches they coordinate')
  const { path } = feedPath(page.body)
  const res = await app.inject(path)
  t.equal(res.statusCode, 200)
  const cal = await checkIcs(t, res.body, 'feed', 'branch feed')
  t.equal(cal.name, 'Champion Rota - Central Library sessions')
  t.same(cal.events.map((e) => e.summary), ['Drop-in: 2 of 3 volunteers', 'Group class: 0 of 4 volunteers, needs 2 more'])
  t.match(cal.events[0]!.description, /Volunteers: Ann Example, Bob Example/)
  t.match(cal.events[0]!.uid, /^session-\d+@rota\.test$/)
  t.notMatch(res.body, /North only/)

  const etag = String(res.headers.etag)
  await releasePlace(app.ctx, { sessionId: full, volunteerId: bob.volunteerId, toState: 'withdrawn', actorPersonId: null, wording: 'withdrew' })
  const after = await app.inject({ url: path, headers: { 'if-none-match': etag } })
  t.equal(after.statusCode, 200, 'a withdrawal changes the branch feed')
  t.equal(readIcs(after.body).events[0]!.summary, 'Drop-in: 1 of 3 volunteers, needs 1 more')

  await db.deleteFrom('role_grants').where('person_id', '=', coordinator).execute()
  t.equal((await app.inject(path)).statusCode, 404, 'no longer a coordinator of the branch: the feed stops')
})

t.test('a coordinator can reset a branch link, and only for their own branches', async (t) => {
  const { app, db, service, central, north } = await setup(t)
  const coordinator = await createCoordinator(db, 'coord@example.org', service, central, 'Cora Ordinator')
  const browser = await new Client(app).signInAs(coordinator)
  const { path } = feedPath((await browser.get('/coordinate/calendars')).body)
  t.equal((await browser.post(`/coordinate/calendars/${central}/reset`)).statusCode, 303)
  t.equal((await app.inject(path)).statusCode, 404, 'the old branch link is dead')
  const fresh = feedPath((await browser.get('/coordinate/calendars')).body)
  t.equal((await app.inject(fresh.path)).statusCode, 200)
  const refused = await browser.post(`/coordinate/calendars/${north}/reset`)
  t.equal(refused.statusCode, 403)
  t.match(refused.body, /You do not coordinate this branch/)
  t.equal((await browser.post('/coordinate/calendars/999999/reset')).statusCode, 404)
  t.equal((await browser.post('/coordinate/calendars/abc/reset')).statusCode, 400)
})

t.test('the branch feed raises a session\'s SEQUENCE when a coordinator moves it, and again when they cancel it', async (t) => {
  const { app, db, service, central } = await setup(t)
  const coordinator = await createCoordinator(db, 'coord@example.org', service, central, 'Cora Ordinator')
  const sessionId = await createSession(db, central, { date: '2026-12-08', title: 'Drop-in', start: '10:00', end: '12:00', min: 1, max: 3 })
  const browser = await new Client(app).signInAs(coordinator)
  const { path } = feedPath((await browser.get('/coordinate/calendars')).body)
  const eventOf = async (label: string) => {
    const cal = await checkIcs(t, (await app.inject(path)).body, 'feed', label)
    const event = cal.events.find((e) => e.uid.startsWith(`session-${sessionId}@`))
    if (!event) throw new Error(`session ${sessionId} is not in the ${label}`)
    return event
  }

  const before = await eventOf('branch feed before the edit')
  t.equal(before.startLocal, '20261208T100000')

  const edit = await browser.post(`/coordinate/sessions/${sessionId}/edit`, {
    title: 'Drop-in', kind: 'drop_in', min: '1', max: '3', notes: '', scope: 'one', date: '9/12/2026', start: '14:00', end: '16:00',
  })
  t.equal(edit.statusCode, 303, 'the edit is saved')
  const moved = await eventOf('branch feed after the edit')
  t.equal(moved.uid, before.uid, 'the same event')
  t.equal(moved.startLocal, '20261209T140000', 'at the new day and time')
  t.equal(moved.endLocal, '20261209T160000')
  t.ok(moved.sequence > before.sequence, `SEQUENCE went up (${before.sequence} -> ${moved.sequence}), so clients replace the old time`)

  const cancel = await browser.post(`/coordinate/sessions/${sessionId}/cancel`, { scope: 'one', reason: 'The library is closed' })
  t.equal(cancel.statusCode, 303, 'the cancellation is saved')
  const cancelled = await eventOf('branch feed after the cancellation')
  t.equal(cancelled.status, 'CANCELLED')
  t.ok(cancelled.sequence > moved.sequence, `SEQUENCE went up again (${moved.sequence} -> ${cancelled.sequence})`)
})
