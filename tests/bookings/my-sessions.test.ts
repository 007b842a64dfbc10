// My sessions: upcoming and past with hours, withdrawing before the cut-off, "I can't make it" after it, and the waiting list moving up.
import t from 'tap'
import ICAL from 'ical.js'
import { databaseLabel } from '../helpers/app.js'
import { givePlace } from '../helpers/fixtures.js'
import { world, textOf } from './world.js'

t.comment(`database: ${databaseLabel}`)

async function bookedWorld(t: Parameters<typeof world>[0]) {
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08', start: '10:00', end: '12:00', title: 'Digital help drop-in', min: 2, max: 2 })
  const v = await w.volunteer({ name: 'Ewa Nowak' })
  const browser = await w.signIn(v.personId)
  t.equal((await browser.post(`/sessions/${session}/book`, {})).statusCode, 303)
  const assignment = await w.db.selectFrom('assignments').select('id').where('session_id', '=', session).executeTakeFirstOrThrow()
  return { ...w, session, v, browser, assignmentId: assignment.id }
}

t.test('My sessions lists upcoming and past sessions with the hours helped', async (t) => {
  const w = await world(t)
  const v = await w.volunteer()
  const past1 = await w.session({ date: '2026-11-10', start: '10:00', end: '12:30', title: 'Old drop-in' })
  const past2 = await w.session({ date: '2026-11-17', start: '14:00', end: '15:30', title: 'Old class' })
  const noShow = await w.session({ date: '2026-11-24', start: '10:00', end: '12:00', title: 'Missed one' })
  const upcoming = await w.session({ date: '2026-12-15', title: 'Coming drop-in' })
  for (const [session, state] of [[past1, 'attended'], [past2, 'confirmed'], [noShow, 'no_show'], [upcoming, 'confirmed']] as const) {
    await givePlace(w.db, { sessionId: session, volunteerId: v.volunteerId, state })
  }
  const page = await (await w.signIn(v.personId)).get('/my-sessions')
  t.equal(page.statusCode, 200)
  const text = textOf(page.body)
  t.match(text, /You have helped at 1 session: 2\.5 hours in all \(1 more session not yet marked\)\. Thank you\./, 'only the attended place counts; the unmarked one is said, the no-show is not')
  t.match(text, /Coming up Coming drop-in Tuesday 15 December 2026/)
  t.match(text, /Past sessions Missed one.*Marked as not there.*Old class.*Old drop-in/)
  t.match(text, /You can withdraw until 14 December 2026 at 10am/)
})

t.test('My sessions hours follow attendance: unmarked past places are named, not counted, until marked', async (t) => {
  const w = await world(t)
  const v = await w.volunteer()
  const a = await w.session({ date: '2026-11-17', start: '14:00', end: '15:30', title: 'Old class' })
  const b = await w.session({ date: '2026-11-24', start: '10:00', end: '12:00', title: 'Recent drop-in' })
  const places: number[] = []
  for (const session of [a, b]) {
    places.push(await givePlace(w.db, { sessionId: session, volunteerId: v.volunteerId }))
  }
  const browser = await w.signIn(v.personId)
  /** The sentence under the My sessions heading. */
  const summary = async () => /((?:Once you have helped|You have helped at) .*?) Coming up/.exec(textOf((await browser.get('/my-sessions')).body))?.[1]
  t.equal(await summary(), 'Once you have helped at a session, your hours show here. 2 past sessions are not yet marked as attended.', 'nothing counted before marking')
  t.equal((await browser.post(`/my-sessions/${places[1]}/attendance`, { outcome: 'attended' })).statusCode, 303)
  t.equal(await summary(), 'You have helped at 1 session: 2 hours in all (1 more session not yet marked). Thank you.')
  t.equal((await browser.post(`/my-sessions/${places[0]}/attendance`, { outcome: 'attended' })).statusCode, 303)
  t.equal(await summary(), 'You have helped at 2 sessions: 3.5 hours in all. Thank you.')
})

t.test('withdrawing before the cut-off frees the place and sends the calendar cancellation', async (t) => {
  const w = await bookedWorld(t)
  const confirm = await w.browser.get(`/my-sessions/${w.assignmentId}/withdraw`)
  t.equal(confirm.statusCode, 200)
  t.match(textOf(confirm.body), /Withdraw from this session\? .* Digital help drop-in .* Tuesday 8 December 2026, 10am to 12pm/)
  const res = await w.browser.post(`/my-sessions/${w.assignmentId}/withdraw`, { reason: 'Family visiting' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/my-sessions')
  const page = await w.browser.get('/my-sessions')
  t.match(textOf(page.body), /You have withdrawn from Digital help drop-in on Tuesday 8 December 2026\. We have emailed you a calendar cancellation/)
  t.match(textOf(page.body), /You have no sessions booked/)

  const row = await w.db.selectFrom('assignments').selectAll().where('id', '=', w.assignmentId).executeTakeFirstOrThrow()
  t.equal(row.state, 'withdrawn')
  t.equal(row.reason, 'Family visiting')
  t.equal((await w.db.selectFrom('sessions').select('confirmed_count').where('id', '=', w.session).executeTakeFirstOrThrow()).confirmed_count, 0)
  const mail = await w.db.selectFrom('outbox').select(['to_address', 'ical_method', 'kind']).orderBy('id').execute()
  t.same(mail.map((m) => [m.to_address, m.ical_method]), [['v1@example.org', 'REQUEST'], ['v1@example.org', 'CANCEL']])
  t.notOk(mail.some((m) => m.kind === 'coordinator-alert'), 'no alert before the cut-off')
})

t.test('after the cut-off, "I can\'t make it" alerts the branch coordinators at once and records the reason', async (t) => {
  const booked = await bookedWorld(t)
  // 5 hours before the 10:00 session (London is on GMT in December). A new day: sign in again.
  booked.clock.set(Date.parse('2026-12-08T05:00:00Z'))
  const w = { ...booked, browser: await booked.signIn(booked.v.personId) }
  const list = await w.browser.get('/my-sessions')
  t.match(textOf(list.body), /I can’t make it/)
  t.notMatch(list.body, />Withdraw</)
  const confirm = await w.browser.get(`/my-sessions/${w.assignmentId}/withdraw`)
  t.match(textOf(confirm.body), /Tell us you cannot make it/)
  t.match(textOf(confirm.body), /This session starts in 5 hours\. We will tell the coordinators straight away/)

  const res = await w.browser.post(`/my-sessions/${w.assignmentId}/withdraw`, { reason: 'Car broken down' })
  t.equal(res.statusCode, 303)
  const page = await w.browser.get('/my-sessions')
  t.match(textOf(page.body), /We have told the coordinators you cannot make it to Digital help drop-in on Tuesday 8 December 2026/)

  const alerts = await w.db.selectFrom('outbox').select(['to_address', 'subject', 'text_body']).where('kind', '=', 'coordinator-alert').orderBy('to_address').execute()
  t.same(alerts.map((a) => a.to_address), ['casey@example.org', 'sam@example.org'], 'the branch coordinator and the whole-service one; not the other branch’s')
  t.match(alerts[0]!.subject, /Ewa Nowak cannot make it: Digital help drop-in, Tuesday 8 December 2026/)
  t.match(alerts[0]!.text_body, /starts in 5 hours/)
  t.match(alerts[0]!.text_body, /They said: “Car broken down”/)
  t.match(alerts[0]!.text_body, /Their place is open again: 0 of the 2 volunteers it needs are booked/)

  const row = await w.db.selectFrom('assignments').selectAll().where('id', '=', w.assignmentId).executeTakeFirstOrThrow()
  t.equal(row.state, 'withdrawn')
  t.equal(row.reason, 'Car broken down')
  const events = await w.db.selectFrom('assignment_events').select(['to_state', 'note']).where('assignment_id', '=', w.assignmentId).orderBy('id').execute()
  t.same(events.at(-1), { to_state: 'withdrawn', note: 'Car broken down' })
  const audit = await w.db.selectFrom('audit_log').selectAll().where('action', '=', 'cannot_make_it').execute()
  t.equal(audit.length, 1)
  t.match(JSON.parse(audit[0]!.detail), { reason: 'Car broken down', hoursBefore: 5 })
  const cancel = await w.db.selectFrom('outbox').select('ical_method').where('to_address', '=', 'v1@example.org').orderBy('id', 'desc').executeTakeFirstOrThrow()
  t.equal(cancel.ical_method, 'CANCEL')
})

t.test('"I can\'t make it" without a reason still alerts, and says none was given', async (t) => {
  const booked = await bookedWorld(t)
  booked.clock.set(Date.parse('2026-12-07T20:00:00Z'))
  const w = { ...booked, browser: await booked.signIn(booked.v.personId) }
  const res = await w.browser.post(`/my-sessions/${w.assignmentId}/withdraw`, {})
  t.equal(res.statusCode, 303)
  const alert = await w.db.selectFrom('outbox').select('text_body').where('kind', '=', 'coordinator-alert').executeTakeFirstOrThrow()
  t.match(alert.text_body, /They did not give a reason/)
})

t.test('a withdrawal promotes the first eligible person on the waiting list and emails them; an ineligible first-in-line is skipped', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', start: '10:00', end: '12:00', max: 1, title: 'Busy drop-in' })
  const holder = await w.volunteer()
  const skipped = await w.volunteer({ name: 'First Inline' })
  const promoted = await w.volunteer({ name: 'Second Inline' })
  const last = await w.volunteer({ name: 'Third Inline' })
  const holderBrowser = await w.signIn(holder.personId)
  t.equal((await holderBrowser.post(`/sessions/${s}/book`, {})).statusCode, 303)
  for (const v of [skipped, promoted, last]) {
    t.equal((await (await w.signIn(v.personId)).post(`/sessions/${s}/waitlist`, {})).statusCode, 303)
  }
  // The first in line has since booked time off over that day: they no longer qualify.
  await w.db.insertInto('time_off').values({ volunteer_id: skipped.volunteerId, start_date: '2026-12-07', end_date: '2026-12-09', note: '' }).execute()

  const assignment = await w.db.selectFrom('assignments').select('id').where('session_id', '=', s).where('volunteer_id', '=', holder.volunteerId).executeTakeFirstOrThrow()
  t.equal((await holderBrowser.post(`/my-sessions/${assignment.id}/withdraw`, {})).statusCode, 303)

  const states = await w.db.selectFrom('assignments').select(['volunteer_id', 'state', 'source']).where('session_id', '=', s).orderBy('id').execute()
  t.same(
    states.map((x) => [x.volunteer_id, x.state]),
    [
      [holder.volunteerId, 'withdrawn'],
      [skipped.volunteerId, 'waitlisted'],
      [promoted.volunteerId, 'confirmed'],
      [last.volunteerId, 'waitlisted'],
    ],
  )
  t.equal(states[2]!.source, 'waitlist')
  t.equal((await w.db.selectFrom('sessions').select('confirmed_count').where('id', '=', s).executeTakeFirstOrThrow()).confirmed_count, 1)
  const invite = await w.db.selectFrom('outbox').select(['subject', 'ical_method']).where('to_address', '=', 'v3@example.org').executeTakeFirstOrThrow()
  t.match(invite.subject, /A place came up: you are booked on Busy drop-in/)
  t.equal(invite.ical_method, 'REQUEST')
  t.equal((await w.db.selectFrom('outbox').selectAll().where('to_address', 'in', ['v2@example.org', 'v4@example.org']).execute()).length, 0, 'nobody else is emailed')

  const lastPage = await (await w.signIn(last.personId)).get('/my-sessions')
  t.match(textOf(lastPage.body), /Waiting list: number 2/, 'the one behind still waits, now second behind the skipped person')
})

t.test('leaving the waiting list', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', max: 1 })
  await (await w.signIn((await w.volunteer()).personId)).post(`/sessions/${s}/book`, {})
  const v = await w.volunteer()
  const browser = await w.signIn(v.personId)
  await browser.post(`/sessions/${s}/waitlist`, {})
  const row = await w.db.selectFrom('assignments').select('id').where('volunteer_id', '=', v.volunteerId).executeTakeFirstOrThrow()
  const confirm = await browser.get(`/my-sessions/${row.id}/withdraw`)
  t.match(textOf(confirm.body), /Leave the waiting list\? .* You are number 1 on the waiting list/)
  t.equal((await browser.post(`/my-sessions/${row.id}/withdraw`, {})).statusCode, 303)
  t.match(textOf((await browser.get('/my-sessions')).body), /You have left the waiting list for/)
  t.equal((await w.db.selectFrom('assignments').select('state').where('id', '=', row.id).executeTakeFirstOrThrow()).state, 'withdrawn')
})

t.test('withdrawing: someone else’s booking, a started or cancelled session, a reason too long → 4xx, nothing changed', async (t) => {
  const w = await bookedWorld(t)
  const stranger = await w.signIn((await w.volunteer()).personId)
  const before = await w.snapshot()

  const theirs = await stranger.get(`/my-sessions/${w.assignmentId}/withdraw`)
  t.equal(theirs.statusCode, 404)
  t.match(textOf(theirs.body), /We could not find that booking/)
  const theirsPost = await stranger.post(`/my-sessions/${w.assignmentId}/withdraw`, { reason: 'ha' })
  t.equal(theirsPost.statusCode, 404)
  t.match(textOf(theirsPost.body), /We could not find that booking/)
  t.equal((await stranger.post('/my-sessions/999999/withdraw', {})).statusCode, 404)

  const long = await w.browser.post(`/my-sessions/${w.assignmentId}/withdraw`, { reason: 'x'.repeat(501) })
  t.equal(long.statusCode, 400)
  t.match(textOf(long.body), /There is a problem Your reason must be 500 characters or fewer/)
  t.same(await w.snapshot(), before, 'nothing changed so far')

  w.clock.set(Date.parse('2026-12-08T10:30:00Z'))
  const later = await w.signIn(w.v.personId)
  const started = await later.post(`/my-sessions/${w.assignmentId}/withdraw`, {})
  t.equal(started.statusCode, 409)
  t.match(textOf(started.body), /This session has already started\. If you cannot stay, tell the library staff/)
  w.clock.set(Date.parse('2026-11-30T09:00:00Z'))
  await w.db.updateTable('sessions').set({ status: 'cancelled' }).where('id', '=', w.session).execute()
  const cancelled = await w.browser.post(`/my-sessions/${w.assignmentId}/withdraw`, {})
  t.equal(cancelled.statusCode, 409)
  t.match(textOf(cancelled.body), /This session has been cancelled, so there is nothing to withdraw from/)
  await w.db.updateTable('sessions').set({ status: 'scheduled' }).where('id', '=', w.session).execute()
  t.same(await w.snapshot(), before, 'still nothing changed')

  t.equal((await w.browser.post(`/my-sessions/${w.assignmentId}/withdraw`, {})).statusCode, 303)
  const twice = await w.browser.post(`/my-sessions/${w.assignmentId}/withdraw`, {})
  t.equal(twice.statusCode, 409)
  t.match(textOf(twice.body), /You are no longer booked on this session/)
})

t.test('the session page: where, when you arrive, who else is on (first names), what is needed, who to contact, add to calendar', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', title: 'NHS App help', min: 3, max: 4, required: [w.skills.nhs], preferred: [w.skills.polish], trainings: [w.essentials], notes: 'Bring your badge.' })
  const other = await w.volunteer({ name: 'Marek Kowalski', skills: [w.skills.nhs], trainings: [w.essentials] })
  const me = await w.volunteer({ name: 'Ewa Nowak', skills: [w.skills.nhs, w.skills.polish], trainings: [w.essentials] })
  await (await w.signIn(other.personId)).post(`/sessions/${s}/book`, {})
  await w.db.updateTable('people').set({ phone: '01632 960 555' }).where('email', '=', 'casey@example.org').execute()
  const browser = await w.signIn(me.personId)

  const before = await browser.get(`/sessions/${s}`)
  t.equal(before.statusCode, 200)
  let text = textOf(before.body)
  t.match(text, /NHS App help/)
  t.match(text, /Central Library 1 High Street, Testtown TT1 1AA/)
  t.match(text, /When you arrive Ask at the enquiry desk\./)
  t.match(text, /Access Step-free entrance\./)
  t.match(text, /2 more volunteers needed; Polish speaker wanted/)
  t.match(text, /Volunteers need: NHS App and health/)
  t.match(text, /Training, valid on the day: Digital champion essentials/)
  t.match(text, /It helps if you speak Polish/)
  t.match(text, /Bring your badge\./)
  t.match(text, /Who else is helping Marek\./)
  t.notMatch(text, /Kowalski/, 'first names only')
  t.match(text, /Casey Central, coordinator for Central Library casey@example\.org 01632 960 555/)
  t.match(text, /Sam Service/)
  t.notMatch(text, /Nora North/, 'not the coordinator of another branch')
  t.match(before.body, /Book this session/)

  t.equal((await browser.post(`/sessions/${s}/book`, { return: `/sessions/${s}` })).headers.location, `/sessions/${s}`)
  const after = await browser.get(`/sessions/${s}`)
  text = textOf(after.body)
  t.match(text, /Booked You are booked on this session/)
  t.match(text, /Who else is helping Marek, and you\./)
  t.match(after.body, new RegExp(`href="/sessions/${s}/calendar.ics"`))

  const ics = await browser.get(`/sessions/${s}/calendar.ics`)
  t.equal(ics.statusCode, 200)
  t.match(String(ics.headers['content-type']), /^text\/calendar/)
  t.match(String(ics.headers['content-disposition']), /attachment; filename="session-\d+\.ics"/)
  const vevent = new ICAL.Component(ICAL.parse(ics.body)).getFirstSubcomponent('vevent')!
  const invite = await w.db.selectFrom('outbox').select('ical').where('to_address', '=', 'v2@example.org').executeTakeFirstOrThrow()
  const invited = new ICAL.Component(ICAL.parse(invite.ical!)).getFirstSubcomponent('vevent')!
  t.equal(vevent.getFirstPropertyValue('uid'), invited.getFirstPropertyValue('uid'), 'the same event as the emailed invite')
  t.equal(vevent.getFirstPropertyValue('sequence'), invited.getFirstPropertyValue('sequence'))
  t.match(String(vevent.getFirstProperty('dtstart')!.getParameter('tzid')), 'Europe/London')

  const stranger = await w.signIn((await w.volunteer()).personId)
  const notBooked = await stranger.get(`/sessions/${s}/calendar.ics`)
  t.equal(notBooked.statusCode, 404)
  t.match(textOf(notBooked.body), /You are not booked on this session/)
})

t.test('a coordinator of the branch previews the session page as volunteers see it; other coordinators cannot', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', title: 'NHS App help', min: 2, max: 3, required: [w.skills.nhs], notes: 'Bring your badge.' })
  const other = await w.volunteer({ name: 'Marek Kowalski', skills: [w.skills.nhs] })
  await (await w.signIn(other.personId)).post(`/sessions/${s}/book`, {})
  const before = await w.snapshot()

  for (const [who, personId] of [['the branch coordinator', w.coordinator], ['a whole-service coordinator', w.wholeService]] as const) {
    const coordinator = await w.signIn(personId)
    const res = await coordinator.get(`/sessions/${s}`)
    t.equal(res.statusCode, 200, `${who} opens the volunteer's page`)
    const text = textOf(res.body)
    t.match(text, /Preview This is what volunteers see\./, `${who}: says it is a preview`)
    t.match(text, /NHS App help/)
    t.match(text, /When you arrive Ask at the enquiry desk\./, 'the same details a volunteer gets')
    t.match(text, /Volunteers need: NHS App and health/)
    t.match(text, /Bring your badge\./)
    t.match(text, /Who else is helping Marek\./, 'first names, as volunteers see them')
    t.notMatch(text, /Kowalski/)
    t.match(text, /Booking 1 more volunteer needed/)
    t.notMatch(res.body, /action="\/sessions\/\d+\/(book|waitlist)"/, 'nothing to book')
    t.notMatch(text, /Your place/)
    t.match(res.body, new RegExp(`href="/coordinate/sessions/${s}"`), 'a way back to staffing it')
  }
  // The coordinator's page links to the preview.
  t.match((await (await w.signIn(w.coordinator)).get(`/coordinate/sessions/${s}`)).body, new RegExp(`href="/sessions/${s}">See the page volunteers see`))

  const north = await w.signIn(w.northOnly)
  const refused = await north.get(`/sessions/${s}`)
  t.equal(refused.statusCode, 403, 'a coordinator of another branch is refused')
  t.notMatch(refused.body, /NHS App help|Marek/)
  t.equal((await north.get('/sessions/999999')).statusCode, 403, 'and learns nothing about which sessions exist')
  t.equal((await (await w.signIn(w.coordinator)).get(`/sessions/${s}/calendar.ics`)).statusCode, 403, 'the calendar file stays for volunteers')
  t.same(await w.snapshot(), before, 'previewing changes nothing')
})

t.test('a session of another library service is not found', async (t) => {
  const w = await world(t)
  const theirs = await w.session({ date: '2026-12-08', branch: w.elsewhere })
  const browser = await w.signIn((await w.volunteer()).personId)
  const before = await w.snapshot()
  const page = await browser.get(`/sessions/${theirs}`)
  t.equal(page.statusCode, 404)
  t.match(textOf(page.body), /We could not find that session/)
  const booked = await browser.post(`/sessions/${theirs}/book`, {})
  t.equal(booked.statusCode, 404)
  t.same(await w.snapshot(), before)
})

t.test('promoted from the waiting list while the "leave" page was open: the button withdraws the new place properly', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', max: 1, title: 'Small class' })
  const holder = await w.volunteer()
  const waiting = await w.volunteer()
  const holderBrowser = await w.signIn(holder.personId)
  const waitingBrowser = await w.signIn(waiting.personId)
  await holderBrowser.post(`/sessions/${s}/book`, {})
  await waitingBrowser.post(`/sessions/${s}/waitlist`, {})
  const mine = await w.db.selectFrom('assignments').select('id').where('volunteer_id', '=', waiting.volunteerId).executeTakeFirstOrThrow()
  t.match(textOf((await waitingBrowser.get(`/my-sessions/${mine.id}/withdraw`)).body), /Leave the waiting list\?/)

  const held = await w.db.selectFrom('assignments').select('id').where('volunteer_id', '=', holder.volunteerId).executeTakeFirstOrThrow()
  await holderBrowser.post(`/my-sessions/${held.id}/withdraw`, {})
  t.equal((await w.db.selectFrom('assignments').select('state').where('id', '=', mine.id).executeTakeFirstOrThrow()).state, 'confirmed', 'promoted meanwhile')

  t.equal((await waitingBrowser.post(`/my-sessions/${mine.id}/withdraw`, {})).statusCode, 303)
  t.match(textOf((await waitingBrowser.get('/my-sessions')).body), /You have withdrawn from Small class/)
  const mail = await w.db.selectFrom('outbox').select('ical_method').where('to_address', '=', 'v2@example.org').orderBy('id').execute()
  t.same(mail.map((m) => m.ical_method), ['REQUEST', 'CANCEL'], 'the invite from the promotion is cancelled, not left dangling')
  t.equal((await w.db.selectFrom('sessions').select('confirmed_count').where('id', '=', s).executeTakeFirstOrThrow()).confirmed_count, 0)
})
