// Finding cover (issue 16 item 3): a volunteer asks, the ranked candidates are invited at once, the first to accept takes the place, the asker is released and told; nobody accepting alerts the coordinators.
import t from 'tap'
import { databaseLabel, usingPostgres } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { queueCoverAlerts } from '../../src/bookings/cover.service.js'
import { scheduledJobs } from '../../src/jobs/schedulers.js'
import { addVolunteer, world, textOf, type VolunteerOptions } from './world.js'

t.comment(`database: ${databaseLabel}`)

type W = Awaited<ReturnType<typeof world>>

let serial = 0
/** A volunteer at Central (available every day) with their email address. */
async function person(w: W, o: VolunteerOptions & { name: string }) {
  const email = `${o.name.toLowerCase().replace(/\W+/g, '.')}.${++serial}@example.org`
  return { ...(await addVolunteer(w.db, email, w.service, w.central, o)), email }
}

async function mail(w: W, to: string) {
  return w.db.selectFrom('outbox').select(['kind', 'subject', 'text_body', 'ical_method', 'dedupe_key']).where('to_address', '=', to).orderBy('id').execute()
}

/** The accept link of the newest invitation email to `to`, as a path. */
async function acceptLink(w: W, to: string): Promise<string> {
  const m = (await mail(w, to)).filter((x) => x.kind === 'invitation').at(-1)
  if (!m) throw new Error(`no invitation to ${to}`)
  return /https?:\/\/[^/\s]+(\/invitations\/[A-Za-z0-9_-]+)\?answer=accept/.exec(m.text_body)![1]!
}

async function stateOf(w: W, sessionId: number, volunteerId: number): Promise<string | undefined> {
  return (await w.db.selectFrom('assignments').select('state').where('session_id', '=', sessionId).where('volunteer_id', '=', volunteerId).executeTakeFirst())?.state
}

async function countOf(w: W, sessionId: number): Promise<number> {
  return (await w.db.selectFrom('sessions').select('confirmed_count').where('id', '=', sessionId).executeTakeFirstOrThrow()).confirmed_count
}

/** A volunteer books the session through the page and is given their assignment id. */
async function booked(w: W, client: Client, sessionId: number, volunteerId: number): Promise<number> {
  const res = await client.post(`/sessions/${sessionId}/book`, { return: '/my-sessions' })
  if (res.statusCode !== 303) throw new Error(`booking answered ${res.statusCode}`)
  return (await w.db.selectFrom('assignments').select('id').where('session_id', '=', sessionId).where('volunteer_id', '=', volunteerId).executeTakeFirstOrThrow()).id
}

t.test('asking for cover invites the ranked candidates and keeps the place; the first to accept takes it and the asker is released and told', async (t) => {
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08', min: 1, max: 2, title: 'Tablet help' })
  const ann = await person(w, { name: 'Ann Asker' })
  const bob = await person(w, { name: 'Bob Baker' })
  const cleo = await person(w, { name: 'Cleo Cole' })
  const dan = await person(w, { name: 'Dan Dale' })
  // Only at Northgate: not a candidate for a Central session.
  const eve = await person(w, { name: 'Eve Elsewhere', branches: [w.north] })
  const annBrowser = await w.signIn(ann.personId)
  const assignment = await booked(w, annBrowser, session, ann.volunteerId)

  const page = await annBrowser.get(`/my-sessions/${assignment}/withdraw`)
  t.equal(page.statusCode, 200)
  t.match(textOf(page.body), /Ask for cover instead/)
  t.match(page.body, new RegExp(`action="/my-sessions/${assignment}/cover"`), 'a plain form: works without JavaScript')

  const asked = await annBrowser.post(`/my-sessions/${assignment}/cover`, {})
  t.equal(asked.statusCode, 303)
  t.equal(asked.headers.location, '/my-sessions')
  const mine = textOf((await annBrowser.get('/my-sessions')).body)
  t.match(mine, /We have asked 3 volunteers to take your place at Tablet help on Tuesday 8 December 2026/)
  t.match(mine, /You are still booked until someone takes your place\. We will email you when they do/)
  t.match(mine, /Tablet help .* Booked Cover asked We are asking other volunteers to take your place\. You are still booked until one of them does\./, 'My sessions marks the place')
  t.equal(await stateOf(w, session, ann.volunteerId), 'confirmed', 'the asker keeps the place until someone accepts')
  t.match(textOf((await annBrowser.get(`/my-sessions/${assignment}/withdraw`)).body), /You have asked for cover We are waiting for an answer from 3 volunteers/)

  for (const v of [bob, cleo, dan]) {
    const m = (await mail(w, v.email)).filter((x) => x.kind === 'invitation')
    t.equal(m.length, 1, `${v.email} is invited`)
    t.match(m[0]!.subject, /^Can you take a place\? Tablet help, Tuesday 8 December 2026/)
    t.match(m[0]!.text_body, /Ann has a place on this session and can no longer go\. Can you take their place\?/)
    t.match(m[0]!.text_body, /The first person to accept takes the place/)
  }
  t.equal((await mail(w, eve.email)).length, 0, 'someone who cannot do the session is not asked')
  t.equal((await mail(w, ann.email)).filter((x) => x.kind === 'invitation').length, 0, 'the asker is not asked to cover themselves')

  // Asking twice does not ask again.
  await annBrowser.post(`/my-sessions/${assignment}/cover`, {})
  t.equal((await w.db.selectFrom('invitations').select('id').execute()).length, 3, 'still three invitations')

  // The coordinators see it on the gap board.
  const coordinator = await w.signIn(w.coordinator)
  const gaps = textOf((await coordinator.get('/coordinate/gaps')).body)
  t.match(gaps, /Cover wanted .*Tablet help .*Cover wanted Ann Asker can no longer go; 3 invitations waiting/)

  const bobBrowser = new Client(w.app)
  const bobLink = await acceptLink(w, bob.email)
  const invitePage = textOf((await bobBrowser.get(`${bobLink}?answer=accept`)).body)
  t.match(invitePage, /A volunteer booked on this session can no longer go\. The first person to accept takes their place/)
  const accepted = await bobBrowser.post(bobLink, { answer: 'accept' })
  t.equal(accepted.statusCode, 303)
  t.match(textOf((await bobBrowser.get(bobLink)).body), /You are booked/)

  t.equal(await stateOf(w, session, bob.volunteerId), 'confirmed', 'the accepter takes the place')
  t.equal(await stateOf(w, session, ann.volunteerId), 'withdrawn', 'the asker is released')
  t.equal(await countOf(w, session), 1, 'the count is unchanged')
  const annMail = (await mail(w, ann.email)).filter((x) => x.kind === 'cancellation')
  t.equal(annMail.length, 1, 'one calendar cancellation to the asker')
  t.match(annMail[0]!.subject, /^Your place has been covered: Tablet help, Tuesday 8 December 2026/)
  t.match(annMail[0]!.text_body, /Your place has been covered by Bob, so you are no longer booked\. Thank you for finding cover\./)
  t.equal(annMail[0]!.ical_method, 'CANCEL')
  t.equal((await mail(w, bob.email)).filter((x) => x.kind === 'invite').length, 1, 'the accepter gets the calendar invite')

  // The others: told there is no need to reply, and the link says it is covered, even if they accept.
  for (const v of [cleo, dan]) {
    const told = (await mail(w, v.email)).filter((x) => x.kind === 'invitation-withdrawn')
    t.equal(told.length, 1, `${v.email} is told`)
    t.match(told[0]!.text_body, /Someone else has already covered this session\./)
    const link = await acceptLink(w, v.email)
    const browser = new Client(w.app)
    t.match(textOf((await browser.get(`${link}?answer=accept`)).body), /This session is already covered .* Someone else has already covered this session\. Thank you/)
    const late = await browser.post(link, { answer: 'accept' })
    t.equal(late.statusCode, 303)
    t.match(textOf((await browser.get(link)).body), /Someone else has already covered this session\. Thank you/)
    t.equal(await stateOf(w, session, v.volunteerId), 'cancelled', `${v.email} is not booked`)
  }
  t.equal(await countOf(w, session), 1)
  t.notMatch(textOf((await coordinator.get('/coordinate/gaps')).body), /Cover wanted/, 'the gap board no longer lists it')
})

t.test('two candidates accept at the same moment: exactly one takes the place, the asker is released once, the others are told it is covered', async (t) => {
  const w = await world(t)
  const rounds = usingPostgres ? 4 : 2
  for (let round = 0; round < rounds; round++) {
    const date = `2026-12-${String(8 + round).padStart(2, '0')}`
    const session = await w.session({ date, min: 1, max: 1, title: `Round ${round}` })
    const asker = await person(w, { name: `Asker ${round}` })
    const askerBrowser = await w.signIn(asker.personId)
    const assignment = await booked(w, askerBrowser, session, asker.volunteerId)
    if (round === 0) for (let i = 0; i < 3; i++) await person(w, { name: `Helper ${i}` })
    t.equal((await askerBrowser.post(`/my-sessions/${assignment}/cover`, {})).statusCode, 303)
    const invited = await w.db
      .selectFrom('invitations')
      .innerJoin('cover_requests', 'cover_requests.id', 'invitations.cover_request_id')
      .innerJoin('assignments', 'assignments.id', 'invitations.assignment_id')
      .innerJoin('volunteers', 'volunteers.id', 'assignments.volunteer_id')
      .innerJoin('people', 'people.id', 'volunteers.person_id')
      .select(['people.email', 'assignments.volunteer_id'])
      .where('cover_requests.session_id', '=', session)
      .execute()
    t.ok(invited.length >= 2, `round ${round}: at least two invited (${invited.length})`)
    const links = await Promise.all(invited.map((i) => acceptLink(w, i.email)))
    const browsers = invited.map(() => new Client(w.app))
    await Promise.all(browsers.map((b) => b.csrf()))
    const answers = await Promise.all(browsers.map((b, i) => b.post(links[i]!, { answer: 'accept' })))
    t.same(answers.map((a) => a.statusCode), invited.map(() => 303), 'every answer is taken (no errors)')
    const states = await Promise.all(invited.map((i) => stateOf(w, session, i.volunteer_id)))
    t.equal(states.filter((s) => s === 'confirmed').length, 1, `round ${round}: exactly one takes the place`)
    t.equal(await countOf(w, session), 1, 'never above the maximum')
    t.equal(await stateOf(w, session, asker.volunteerId), 'withdrawn')
    t.equal((await mail(w, asker.email)).filter((x) => x.kind === 'cancellation').length, 1, 'the asker is released once')
    const pages = await Promise.all(browsers.map((b, i) => b.get(links[i]!)))
    t.equal(pages.filter((p) => /You are booked/.test(textOf(p.body))).length, 1, 'one is told they are booked')
    t.equal(pages.filter((p) => /Someone else has already covered this session\. Thank you/.test(textOf(p.body))).length, invited.length - 1, 'every other gets the "already covered" answer')
  }
})

t.test('a cover request on a full session never overbooks it, and the waiting list keeps its place', async (t) => {
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08', min: 1, max: 1, title: 'Full drop-in' })
  const ann = await person(w, { name: 'Ann Asker' })
  const wes = await person(w, { name: 'Wes Waiting' })
  const annBrowser = await w.signIn(ann.personId)
  const assignment = await booked(w, annBrowser, session, ann.volunteerId)
  const wesBrowser = await w.signIn(wes.personId)
  t.equal((await wesBrowser.post(`/sessions/${session}/waitlist`, { return: '/sessions' })).statusCode, 303)
  t.equal(await stateOf(w, session, wes.volunteerId), 'waitlisted')
  const cleo = await person(w, { name: 'Cleo Cole' })
  const late = await person(w, { name: 'Lee Late' })
  const lateBrowser = await w.signIn(late.personId)

  t.equal((await annBrowser.post(`/my-sessions/${assignment}/cover`, {})).statusCode, 303)
  t.equal((await mail(w, cleo.email)).filter((x) => x.kind === 'invitation').length, 1, 'invited though the session is full: the place is the asker’s')
  t.equal((await mail(w, wes.email)).filter((x) => x.kind === 'invitation').length, 0, 'someone waiting is not taken off the waiting list by an invitation')

  // Cleo accepts while Lee tries to book the same session.
  const cleoBrowser = new Client(w.app)
  await cleoBrowser.csrf()
  const cleoLink = await acceptLink(w, cleo.email)
  const [accepted, booking] = await Promise.all([cleoBrowser.post(cleoLink, { answer: 'accept' }), lateBrowser.post(`/sessions/${session}/book`, { return: '/sessions' })])
  t.equal(accepted.statusCode, 303)
  t.equal(booking.statusCode, 409, 'a booking at the same moment finds it full')
  t.equal(await countOf(w, session), 1, 'the count never passes the maximum')
  const confirmed = await w.db.selectFrom('assignments').select('volunteer_id').where('session_id', '=', session).where('state', '=', 'confirmed').execute()
  t.same(confirmed.map((c) => c.volunteer_id), [cleo.volunteerId], 'Cleo has the one place')
  t.equal(await stateOf(w, session, ann.volunteerId), 'withdrawn')
  t.equal(await stateOf(w, session, wes.volunteerId), 'waitlisted', 'the place went to Cleo, not to the waiting list: nothing was freed')
})

t.test('when nobody accepts by the alert time the coordinators are alerted once, and the request stays open', async (t) => {
  const w = await world(t)
  t.ok(scheduledJobs.some((j) => j.name === 'cover-alerts'), 'the job is scheduled')
  const session = await w.session({ date: '2026-12-08', start: '10:00', min: 1, max: 2, title: 'Quiet morning' })
  const ann = await person(w, { name: 'Ann Asker' })
  await person(w, { name: 'Bob Baker' })
  const annBrowser = await w.signIn(ann.personId)
  const assignment = await booked(w, annBrowser, session, ann.volunteerId)
  t.equal((await annBrowser.post(`/my-sessions/${assignment}/cover`, {})).statusCode, 303)

  const alerts = async () => w.db.selectFrom('outbox').select(['to_address', 'subject', 'text_body']).where('kind', '=', 'coordinator-alert').execute()
  t.equal(await queueCoverAlerts(w.app.ctx), 0, 'nothing before the alert time')
  t.equal((await alerts()).length, 0)

  // 24 hours before 10:00 London on 8 December.
  w.clock.set(Date.parse('2026-12-07T10:00:00Z'))
  t.equal(await queueCoverAlerts(w.app.ctx), 1)
  const sent = await alerts()
  t.same(sent.map((a) => a.to_address).sort(), ['casey@example.org', 'sam@example.org'], 'the branch’s coordinators and the service-wide one')
  t.match(sent[0]!.subject, /Nobody has taken Ann Asker’s place yet: Quiet morning, Tuesday 8 December 2026/)
  t.match(sent[0]!.text_body, /Ann Asker can no longer go to this session, which starts in 24 hours, and asked for someone to take their place\. Nobody has accepted yet\./)

  w.clock.advance(10 * 60_000)
  t.equal(await queueCoverAlerts(w.app.ctx), 0, 'once only')
  t.equal((await alerts()).length, 2)
  t.equal(await stateOf(w, session, ann.volunteerId), 'confirmed', 'the asker is still booked')
  const coordinator = await w.signIn(w.coordinator)
  t.match(textOf((await coordinator.get('/coordinate/gaps?from=2026-12-07')).body), /Cover wanted Ann Asker can no longer go/, 'still open on the gap board')
})

t.test('a volunteer can ask for cover only for their own place; with nobody to ask they are told so and can still withdraw', async (t) => {
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08', min: 1, max: 2, title: 'Only one' })
  const ann = await person(w, { name: 'Ann Asker' })
  const annBrowser = await w.signIn(ann.personId)
  const assignment = await booked(w, annBrowser, session, ann.volunteerId)
  const mallory = await person(w, { name: 'Mal Other', branches: [w.north] })
  const malBrowser = await w.signIn(mallory.personId)
  t.equal((await malBrowser.post(`/my-sessions/${assignment}/cover`, {})).statusCode, 404, 'someone else’s place looks like none')
  t.equal((await w.db.selectFrom('cover_requests').select('id').execute()).length, 0, 'no request made')

  const res = await annBrowser.post(`/my-sessions/${assignment}/cover`, {})
  t.equal(res.statusCode, 200)
  const text = textOf(res.body)
  t.match(text, /Nobody else can take your place at Only one on Tuesday 8 December 2026 at the moment\. You can still withdraw below\./)
  t.match(res.body, new RegExp(`action="/my-sessions/${assignment}/withdraw"`))
  t.equal((await w.db.selectFrom('cover_requests').select('id').execute()).length, 0, 'nothing kept')
  t.equal(await stateOf(w, session, ann.volunteerId), 'confirmed')
})

t.test('withdrawing anyway ends the request and tells the invited there is no need to reply', async (t) => {
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08', min: 1, max: 2, title: 'Changed plans' })
  const ann = await person(w, { name: 'Ann Asker' })
  const bob = await person(w, { name: 'Bob Baker' })
  const annBrowser = await w.signIn(ann.personId)
  const assignment = await booked(w, annBrowser, session, ann.volunteerId)
  t.equal((await annBrowser.post(`/my-sessions/${assignment}/cover`, {})).statusCode, 303)
  t.equal((await annBrowser.post(`/my-sessions/${assignment}/withdraw`, { reason: '' })).statusCode, 303)
  const request = await w.db.selectFrom('cover_requests').select('status').executeTakeFirstOrThrow()
  t.equal(request.status, 'cancelled')
  const told = (await mail(w, bob.email)).filter((x) => x.kind === 'invitation-withdrawn')
  t.equal(told.length, 1)
  t.match(told[0]!.text_body, /The volunteer who asked no longer needs someone to take their place\./)
  const link = await acceptLink(w, bob.email)
  t.match(textOf((await new Client(w.app).get(link)).body), /This invitation has been withdrawn/)
  t.equal(await stateOf(w, session, bob.volunteerId), 'cancelled')
})

t.test('the request ends when a coordinator takes the asker off or cancels the session; a late accept then books nobody in the asker’s name', async (t) => {
  const w = await world(t)
  const coordinator = await w.signIn(w.coordinator)
  const removed = await w.session({ date: '2026-12-08', min: 1, max: 1, title: 'Taken off' })
  const cancelled = await w.session({ date: '2026-12-09', min: 1, max: 2, title: 'Called off' })
  const ann = await person(w, { name: 'Ann Asker' })
  const bob = await person(w, { name: 'Bob Baker' })
  const annBrowser = await w.signIn(ann.personId)
  const first = await booked(w, annBrowser, removed, ann.volunteerId)
  const second = await booked(w, annBrowser, cancelled, ann.volunteerId)
  t.equal((await annBrowser.post(`/my-sessions/${first}/cover`, {})).statusCode, 303)
  t.equal((await annBrowser.post(`/my-sessions/${second}/cover`, {})).statusCode, 303)
  t.equal((await w.db.selectFrom('cover_requests').select('id').where('status', '=', 'open').execute()).length, 2)

  t.equal((await coordinator.post(`/coordinate/sessions/${removed}/remove`, { volunteer: String(ann.volunteerId), reason: '' })).statusCode, 303)
  t.equal((await w.db.selectFrom('cover_requests').select('status').where('assignment_id', '=', first).executeTakeFirstOrThrow()).status, 'cancelled', 'taken off: the request ends')
  t.equal(await stateOf(w, removed, bob.volunteerId), 'cancelled', 'and the invitation with it')

  t.equal((await coordinator.post(`/coordinate/sessions/${cancelled}/cancel`, { scope: 'one', reason: 'Closed for repairs' })).statusCode, 303)
  t.equal((await w.db.selectFrom('cover_requests').select('status').where('assignment_id', '=', second).executeTakeFirstOrThrow()).status, 'cancelled', 'session cancelled: the request ends')
  const links = (await mail(w, bob.email)).filter((x) => x.kind === 'invitation').map((m) => /https?:\/\/[^/\s]+(\/invitations\/[A-Za-z0-9_-]+)\?answer=accept/.exec(m.text_body)![1]!)
  for (const link of links) t.equal((await new Client(w.app).post(link, { answer: 'accept' })).statusCode, 303)
  t.equal(await stateOf(w, removed, bob.volunteerId), 'cancelled', 'a late accept takes nothing')
  t.equal(await stateOf(w, cancelled, bob.volunteerId), 'cancelled')
  t.notMatch(textOf((await coordinator.get('/coordinate/gaps')).body), /Cover wanted/)
})
