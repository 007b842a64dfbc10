// Emails that could not be delivered are shown to the coordinators of those sessions, who can try them again.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createService, createBranch, createVolunteer, createSession, createCoordinator } from '../helpers/fixtures.js'
import { startSmtpPeer } from '../helpers/smtp-peer.js'
import { takePlace } from '../../src/assignments/places.service.js'

t.comment(`database: ${databaseLabel}`)

t.test('a refused address shows up for the coordinators of that session, and can be tried again', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app, clock } = await testApp(t, { env: { SMTP_URL: peer.url } })
  const db = app.db
  const service = await createService(db)
  const central = await createBranch(db, service, 'Central Library')
  const north = await createBranch(db, service, 'North Library')
  const centralCoordinator = await createCoordinator(db, 'central@example.org', service, central, 'Cora Central')
  const northCoordinator = await createCoordinator(db, 'north@example.org', service, north, 'Nora North')
  const gone = await createVolunteer(db, 'gone@example.org', service, [central], { name: 'Gone Away' })
  const slow = await createVolunteer(db, 'slow@example.org', service, [central], { name: 'Slow Server' })
  const session = await createSession(db, central, { date: '2026-12-08', title: 'Digital help drop-in' })
  peer.mode = { kind: 'reject-rcpt', addresses: ['gone@example.org'] }
  await takePlace(app.ctx, { sessionId: session, volunteerId: gone.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  await app.mail.worker.drain()

  const central$ = await new Client(app).signInAs(centralCoordinator)
  const home = await central$.get('/coordinate')
  t.match(home.body, /1 email to your volunteers was not delivered/, 'the coordinator page says so')
  const page = await central$.get('/coordinate/undelivered')
  t.equal(page.statusCode, 200)
  t.match(page.body, /Booking confirmation/)
  t.match(page.body, /Gone Away \(gone@example\.org\)/)
  t.match(page.body, /Not delivered/)
  t.match(page.body, /The email address was refused by the receiving mail server \(.*550/)
  t.match(page.body, /href="\/coordinate\/sessions\/\d+">Digital help drop-in, Tue 8 Dec/)

  const north$ = await new Client(app).signInAs(northCoordinator)
  t.notMatch((await north$.get('/coordinate/undelivered')).body, /gone@example\.org/, 'not shown to coordinators of other branches')
  t.notMatch((await north$.get('/coordinate')).body, /(was|were) not delivered/)
  t.match((await north$.get('/coordinate')).body, /Emails not delivered \(none\)/)
  const id = (await db.selectFrom('outbox').select('id').where('status', '=', 'failed').executeTakeFirstOrThrow()).id
  t.equal((await north$.post(`/coordinate/undelivered/${id}/retry`)).statusCode, 404, 'nor can they retry it')

  // A server that keeps asking to try later: shown as still trying after three tries.
  peer.mode = { kind: 'tempfail' }
  await takePlace(app.ctx, { sessionId: session, volunteerId: slow.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  for (let i = 0; i < 3; i++) {
    await app.mail.worker.drain()
    clock.advance(60 * 60_000)
  }
  const trying = await central$.get('/coordinate/undelivered')
  t.match(trying.body, /Still trying/)
  t.match(trying.body, /slow@example\.org/)
  t.match(trying.body, /could not be reached or asked us to try later/)

  // The address is fixed at the other end: try again.
  peer.mode = { kind: 'accept' }
  const retry = await central$.post(`/coordinate/undelivered/${id}/retry`)
  t.equal(retry.statusCode, 303)
  t.match((await central$.get('/coordinate/undelivered')).body, /The email will be sent again/)
  await app.mail.worker.drain()
  t.ok(peer.received.some((m) => m.to.includes('gone@example.org')), 'delivered on the second go')
  t.equal((await db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'sent')
  t.notMatch((await central$.get('/coordinate/undelivered')).body, /gone@example\.org/, 'and off the list')
  t.equal((await central$.post(`/coordinate/undelivered/${id}/retry`)).statusCode, 404, 'a sent email cannot be retried')
  const audit = await db.selectFrom('audit_log').select(['action', 'actor_person_id']).where('action', '=', 'email.retry').execute()
  t.same(audit, [{ action: 'email.retry', actor_person_id: centralCoordinator }])
})
