// Invitations: the email's links open a page whose buttons act once; first acceptances fill the places; a late one is told kindly and offered the waitlist.
import t from 'tap'
import { databaseLabel, usingPostgres } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createSession } from '../helpers/fixtures.js'
import { world, volunteer, outbox, type World } from './world.js'

t.comment(`database: ${databaseLabel}`)

async function invite(w: World, sessionId: number, volunteerIds: number[]) {
  return w.coordinator.post(`/coordinate/sessions/${sessionId}/invitations`, { invite: volunteerIds.map(String) })
}

/** The accept link from the newest invitation email to `to`. */
async function acceptLink(w: World, to: string): Promise<string> {
  const mail = (await outbox(w.db, to)).filter((m) => m.kind === 'invitation').at(-1)!
  return /http:\/\/rota\.test(\/invitations\/[A-Za-z0-9_-]+)\?answer=accept/.exec(mail.text_body)![1]!
}

t.test('invite, the email, the page, accept: confirmed with a calendar invite; the coordinator sees it', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', min: 2, max: 2, title: 'Digital help drop-in' })
  const ann = await volunteer(w, 'ann@example.org', 'Ann Able', [w.central])
  const bob = await volunteer(w, 'bob@example.org', 'Bob Busy', [w.central])

  const res = await invite(w, session, [ann.volunteerId, bob.volunteerId])
  t.equal(res.statusCode, 303)
  const page = await w.coordinator.get(`/coordinate/sessions/${session}`)
  t.match(page.body, /Invitations sent to Ann Able, Bob Busy/)
  t.match(page.body, /Waiting for reply/)

  const mail = (await outbox(w.db, 'ann@example.org')).at(-1)!
  t.equal(mail.kind, 'invitation')
  t.match(mail.subject, /Can you help\? Digital help drop-in, Tuesday 8 December 2026/)
  t.match(mail.text_body, /Yes, I can help:\nhttp:\/\/rota\.test\/invitations\/\S+\?answer=accept/)
  t.match(mail.text_body, /No, I cannot this time:\nhttp:\/\/rota\.test\/invitations\/\S+\?answer=decline/)
  t.match(mail.text_body, /Chris Walker at Westmoor Libraries/)
  const stored = await w.db.selectFrom('invitations').select(['token_hash', 'expires_at']).execute()
  const link = await acceptLink(w, 'ann@example.org')
  t.notOk(stored.some((s) => link.includes(s.token_hash)), 'only the hash of the token is stored')
  t.equal(stored[0]!.expires_at, Date.parse('2026-12-03T09:00:00Z'), 'expires after 72 hours, before the session starts')

  // A mail scanner following the link changes nothing.
  const volunteerBrowser = new Client(w.app)
  const view = await volunteerBrowser.get(`${link}?answer=accept`)
  t.equal(view.statusCode, 200)
  t.match(view.body, /Can you help at this session\?/)
  t.match(view.body, /Yes, I can help/)
  t.equal(view.headers['referrer-policy'], 'no-referrer')
  t.equal((await w.db.selectFrom('assignments').select('state').where('volunteer_id', '=', ann.volunteerId).executeTakeFirstOrThrow()).state, 'invited')

  const accepted = await volunteerBrowser.post(link, { answer: 'accept' })
  t.equal(accepted.statusCode, 303)
  const after = await volunteerBrowser.get(link)
  t.match(after.body, /You are booked/)
  const a = await w.db.selectFrom('assignments').select(['state', 'source']).where('volunteer_id', '=', ann.volunteerId).executeTakeFirstOrThrow()
  t.same(a, { state: 'confirmed', source: 'invitation' })
  const invite2 = (await outbox(w.db, 'ann@example.org')).at(-1)!
  t.equal(invite2.ical_method, 'REQUEST', 'accepting sends the calendar invite')

  // The token acts once.
  const again = await volunteerBrowser.post(link, { answer: 'decline' })
  t.equal(again.statusCode, 303)
  t.equal((await w.db.selectFrom('assignments').select('state').where('volunteer_id', '=', ann.volunteerId).executeTakeFirstOrThrow()).state, 'confirmed')

  // Bob declines.
  const bobLink = await acceptLink(w, 'bob@example.org')
  await new Client(w.app).post(bobLink, { answer: 'decline' })
  const fragment = await w.coordinator.get(`/coordinate/sessions/${session}/invitations`, { 'hx-request': 'true' })
  t.equal(fragment.statusCode, 200)
  t.notMatch(fragment.body, /<html/, 'the polled part alone')
  t.match(fragment.body, /Ann Able[\s\S]*Accepted|Accepted[\s\S]*Ann Able/)
  t.match(fragment.body, /Declined/)
})

t.test('two volunteers accept the last place at the same moment: exactly one is confirmed, the other is told kindly', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', min: 1, max: 1 })
  for (let round = 0; round < (usingPostgres ? 5 : 3); round++) {
    const s = round === 0 ? session : await createSession(w.db, w.central, { date: `2026-12-${String(9 + round).padStart(2, '0')}`, min: 1, max: 1 })
    const a = await volunteer(w, `a${round}@example.org`, `Ada ${round}`, [w.central])
    const b = await volunteer(w, `b${round}@example.org`, `Ben ${round}`, [w.central])
    await invite(w, s, [a.volunteerId, b.volunteerId])
    const [la, lb] = [await acceptLink(w, `a${round}@example.org`), await acceptLink(w, `b${round}@example.org`)]
    const [ca, cb] = [new Client(w.app), new Client(w.app)]
    await ca.get(la)
    await cb.get(lb)
    const answers = await Promise.all([ca.post(la, { answer: 'accept' }), cb.post(lb, { answer: 'accept' })])
    t.same(answers.map((r) => r.statusCode), [303, 303], 'no errors')
    const states = await w.db.selectFrom('assignments').select(['volunteer_id', 'state']).where('session_id', '=', s).execute()
    t.equal(states.filter((x) => x.state === 'confirmed').length, 1, 'exactly one confirmed')
    const row = await w.db.selectFrom('sessions').select('confirmed_count').where('id', '=', s).executeTakeFirstOrThrow()
    t.equal(row.confirmed_count, 1)
    const pages = await Promise.all([ca.get(la), cb.get(lb)])
    const late = pages.find((p) => /filled up/.test(p.body))!
    t.ok(late, 'the other sees the kind message')
    t.match(late.body, /Thank you for offering\. Other volunteers answered first/)
    t.match(late.body, /Join the waiting list/)
    t.ok(pages.some((p) => /You are booked/.test(p.body)))
    // The late one joins the waiting list from the same page.
    const lateClient = late === pages[0] ? ca : cb
    const lateLink = late === pages[0] ? la : lb
    await lateClient.post(lateLink, { answer: 'waitlist' })
    t.match((await lateClient.get(lateLink)).body, /You are number 1 on the waiting list/)
  }
})

t.test('expired, withdrawn and cancelled invitations cannot be accepted', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', min: 1, max: 2 })
  const cy = await volunteer(w, 'cy@example.org', 'Cy Late', [w.central])
  const di = await volunteer(w, 'di@example.org', 'Di Dropped', [w.central])
  await invite(w, session, [cy.volunteerId, di.volunteerId])
  const cyLink = await acceptLink(w, 'cy@example.org')
  const diLink = await acceptLink(w, 'di@example.org')

  // The coordinator withdraws Di's invitation (with htmx: the section updates in place).
  const inv = await w.db.selectFrom('invitations').innerJoin('assignments', 'assignments.id', 'invitations.assignment_id').select('invitations.id').where('assignments.volunteer_id', '=', di.volunteerId).executeTakeFirstOrThrow()
  const withdrawn = await w.coordinator.post(`/coordinate/invitations/${inv.id}/withdraw`, { session: String(session) }, { headers: { 'hx-request': 'true' } })
  t.equal(withdrawn.statusCode, 200)
  t.match(withdrawn.body, /The invitation to Di Dropped has been withdrawn/)
  t.match(withdrawn.body, /Withdrawn/)
  t.match((await outbox(w.db, 'di@example.org')).at(-1)!.subject, /No need to reply/)
  const di2 = new Client(w.app)
  await di2.post(diLink, { answer: 'accept' })
  t.match((await di2.get(diLink)).body, /This invitation has been withdrawn/)
  t.equal((await w.db.selectFrom('assignments').select('state').where('volunteer_id', '=', di.volunteerId).executeTakeFirstOrThrow()).state, 'cancelled')

  // 72 hours later Cy's link has closed.
  w.clock.advance(73 * 3_600_000)
  const cy2 = new Client(w.app)
  t.match((await cy2.get(cyLink)).body, /This invitation has closed/)
  await cy2.post(cyLink, { answer: 'accept' })
  t.equal((await w.db.selectFrom('assignments').select('state').where('volunteer_id', '=', cy.volunteerId).executeTakeFirstOrThrow()).state, 'cancelled')
  t.equal((await w.db.selectFrom('invitations').select('state').where('id', '!=', inv.id).executeTakeFirstOrThrow()).state, 'expired')

  // A made-up or mangled link.
  const nobody = new Client(w.app)
  const bad = await nobody.get('/invitations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
  t.equal(bad.statusCode, 404)
  t.match(bad.body, /This invitation link is not right/)
  t.equal((await nobody.get('/invitations/short')).statusCode, 404)
})

t.test('accepting still checks the booking rules, and a cancelled session withdraws its invitations', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', start: '10:00', end: '12:00', min: 1, max: 2 })
  const overlapping = await createSession(w.db, w.central, { date: '2026-12-08', start: '11:00', end: '13:00', title: 'Job club' })
  const ed = await volunteer(w, 'ed@example.org', 'Ed Double', [w.central])
  const flo = await volunteer(w, 'flo@example.org', 'Flo Second', [w.central])
  await invite(w, session, [ed.volunteerId, flo.volunteerId])
  const link = await acceptLink(w, 'ed@example.org')
  // Meanwhile Ed books another session at the same time.
  await w.coordinator.post(`/coordinate/sessions/${overlapping}/assign`, { assign: String(ed.volunteerId) })
  const client = new Client(w.app)
  await client.get(link)
  const res = await client.post(link, { answer: 'accept' })
  t.equal(res.statusCode, 409)
  t.match(res.body, /You are already booked on Job club at the same time/)
  t.match(res.body, /Yes, I can help/, 'the invitation stays open')

  await w.coordinator.post(`/coordinate/sessions/${session}/cancel`, { scope: 'one' })
  const floMail = (await outbox(w.db, 'flo@example.org')).at(-1)!
  t.match(floMail.subject, /No need to reply/)
  t.match(floMail.text_body, /The session was cancelled/)
  const floLink = await acceptLink(w, 'flo@example.org')
  t.match((await new Client(w.app).get(floLink)).body, /This session has been cancelled/)
})

t.test('a coordinator cannot invite someone who fails a rule, or twice', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', min: 1, max: 2 })
  const off = await volunteer(w, 'off@example.org', 'Gil Away', [w.central], { timeOff: [{ start: '2026-12-01', end: '2026-12-12' }] })
  const res = await invite(w, session, [off.volunteerId])
  t.equal(res.statusCode, 409)
  t.match(res.body, /Gil Away: on leave until 12 Dec/)
  t.equal((await outbox(w.db, 'off@example.org')).length, 0)
  const ok = await volunteer(w, 'hal@example.org', 'Hal Here', [w.central])
  await invite(w, session, [ok.volunteerId])
  const twice = await invite(w, session, [ok.volunteerId])
  t.match(twice.body, /Hal Here has already been invited and has not answered yet/)
  t.equal((await outbox(w.db, 'hal@example.org')).length, 1)
  const none = await invite(w, session, [])
  t.equal(none.statusCode, 303, 'nobody ticked: back to the session page, so a reload does not post again')
  t.match((await w.coordinator.get(none.headers.location as string)).body, /Select at least one person to invite/)
})

t.test('someone whose invitation closed unanswered can be asked again', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-10', min: 1, max: 2 })
  const jo = await volunteer(w, 'jo@example.org', 'Jo Quiet', [w.central])
  await invite(w, session, [jo.volunteerId])
  w.clock.advance(73 * 3_600_000)
  await w.coordinator.signInAs(w.coordinatorId)
  const page = await w.coordinator.get(`/coordinate/sessions/${session}`)
  t.match(page.body, /Expired/, 'the coordinator sees it closed')
  t.match(page.body, /id="invite-\d+"[^>]*value="\d+"[\s\S]*Jo Quiet/, 'and Jo is a candidate again')
  const again = await invite(w, session, [jo.volunteerId])
  t.equal(again.statusCode, 303)
  t.equal((await outbox(w.db, 'jo@example.org')).filter((m) => m.kind === 'invitation').length, 2)
  const states = await w.db.selectFrom('invitations').select('state').orderBy('id').execute()
  t.same(states.map((s) => s.state), ['expired', 'pending'])
})
