// The session page ranks who could come, says why in words, lists the near-misses with the one rule they fail, and lets the coordinator add someone directly.
import t, { type Test } from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { createSession, givePlace } from '../helpers/fixtures.js'
import { takePlace } from '../../src/assignments/places.service.js'
import { world, volunteer, outbox } from './world.js'

t.comment(`database: ${databaseLabel}`)

t.test('candidates are ranked by the documented score, with reasons; near-misses show the rule they fail', async (t) => {
  const w = await world(t)
  const series = (await w.db.insertInto('series').values({ branch_id: w.central, title: 'NHS App help', kind: 'drop_in', rrule: 'FREQ=WEEKLY;BYDAY=TU', start_time: '14:00', end_time: '16:00', starts_on: '2026-11-01', until_on: '2027-01-31', min_volunteers: 1, max_volunteers: 2, created_by_person_id: null, created_at: 0, updated_at: 0 }).returning('id').executeTakeFirstOrThrow()).id
  const session = await createSession(w.db, w.central, { date: '2026-12-08', start: '14:00', end: '16:00', title: 'NHS App help', seriesId: series, min: 1, max: 2 })
  await w.db.insertInto('session_skills').values([{ session_id: session, skill_id: w.skills.nhs, requirement: 'required' }, { session_id: session, skill_id: w.skills.polish, requirement: 'preferred' }]).execute()
  await w.db.insertInto('session_trainings').values({ session_id: session, training_kind_id: w.trainings.safeguarding }).execute()
  const trained = [{ kind: w.trainings.safeguarding, expires: '2027-06-01' }]
  const polish = await volunteer(w, 'pola@example.org', 'Pola Speaker', [w.central], { skills: [w.skills.nhs, w.skills.polish], trainings: trained })
  const keen = await volunteer(w, 'keen@example.org', 'Kim Keen', [w.central], { skills: [w.skills.nhs], trainings: trained })
  const fresh = await volunteer(w, 'fresh@example.org', 'Fran Fresh', [w.east, w.central], { skills: [w.skills.nhs], trainings: trained })
  await volunteer(w, 'leave@example.org', 'Lee Leave', [w.central], { skills: [w.skills.nhs], trainings: trained, timeOff: [{ start: '2026-12-01', end: '2026-12-12' }] })
  await volunteer(w, 'lapsed@example.org', 'Lou Lapsed', [w.central], { skills: [w.skills.nhs], trainings: [{ kind: w.trainings.safeguarding, completed: '2024-01-01', expires: '2026-11-03' }] })
  await volunteer(w, 'mornings@example.org', 'Mo Mornings', [w.central], { skills: [w.skills.nhs], trainings: trained, windows: [{ day: 2, start: '09:00', end: '12:00' }] })
  await volunteer(w, 'far@example.org', 'Fay Faraway', [w.east], { skills: [w.skills.nhs], trainings: trained })
  await volunteer(w, 'two@example.org', 'Tess Twofails', [w.east], { skills: [], trainings: trained })

  // Kim helped twice at this series in the last 30 days.
  for (const date of ['2026-11-10', '2026-11-17']) {
    const past = await createSession(w.db, w.central, { date, start: '14:00', end: '16:00', seriesId: series })
    await givePlace(w.db, { sessionId: past, volunteerId: keen.volunteerId, state: 'attended' })
  }

  const page = await w.coordinator.get(`/coordinate/sessions/${session}`)
  t.equal(page.statusCode, 200)
  const body = page.body
  const order = ['Pola Speaker', 'Fran Fresh', 'Kim Keen'].map((n) => body.indexOf(`>${n}</a> <span`))
  t.ok(order.every((i) => i > 0), 'all three candidates are listed')
  t.ok(order[0]! < order[1]! && order[1]! < order[2]!, 'asked-for language first, then fewest recent sessions')
  t.match(body, /Speaks Polish \(asked for\)/)
  t.match(body, /No sessions in the last 30 days/)
  t.match(body, /2 sessions in the last 30 days/)
  t.match(body, /Has helped at this series twice/)
  t.match(body, /Home library/)
  t.match(body, /Available Tuesday afternoons/)
  t.match(body, /Has NHS App and health \(needed\)/)
  // Near-misses and their one rule, in the coordinator's words.
  t.match(body, /Lee Leave<\/a><\/td><td class="govuk-table__cell">on leave until 12 Dec/)
  t.match(body, /Lou Lapsed<\/a><\/td><td class="govuk-table__cell">Safeguarding adults expired 3 Nov/)
  t.match(body, /Mo Mornings<\/a><\/td><td class="govuk-table__cell">not available Tuesday afternoons/)
  t.match(body, /Fay Faraway<\/a><\/td><td class="govuk-table__cell">does not go to Central Library/)
  t.notMatch(body, /Tess Twofails/, 'someone failing two rules is not a near-miss')
  void polish
  void fresh
})

t.test('adding a candidate directly confirms them with a calendar invite; taking them off sends a cancellation', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', min: 1, max: 1 })
  const ann = await volunteer(w, 'ann@example.org', 'Ann Added', [w.central])
  const ben = await volunteer(w, 'ben@example.org', 'Ben Second', [w.central])
  const res = await w.coordinator.post(`/coordinate/sessions/${session}/assign`, { assign: String(ann.volunteerId) })
  t.equal(res.statusCode, 303)
  const page = await w.coordinator.get(`/coordinate/sessions/${session}`)
  t.match(page.body, /Ann Added is now confirmed and has been sent a calendar invite/)
  t.match(page.body, /This session is full/)
  const mail = (await outbox(w.db, 'ann@example.org')).at(-1)!
  t.equal(mail.ical_method, 'REQUEST')
  t.match(mail.subject, /You have been added to/)
  const a = await w.db.selectFrom('assignments').select(['state', 'source']).where('volunteer_id', '=', ann.volunteerId).executeTakeFirstOrThrow()
  t.same(a, { state: 'confirmed', source: 'coordinator' })

  const full = await w.coordinator.post(`/coordinate/sessions/${session}/assign`, { assign: String(ben.volunteerId) })
  t.equal(full.statusCode, 409)
  t.match(full.body, /This session is full/)

  // Ben waits; taking Ann off gives Ben the place.
  await takePlace(w.app.ctx, { sessionId: session, volunteerId: ben.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  const { joinWaitlist } = await import('../../src/assignments/places.service.js')
  await joinWaitlist(w.app.ctx, { sessionId: session, volunteerId: ben.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  const removed = await w.coordinator.post(`/coordinate/sessions/${session}/remove`, { volunteer: String(ann.volunteerId) })
  t.equal(removed.statusCode, 303)
  const after = await w.coordinator.get(`/coordinate/sessions/${session}`)
  t.match(after.body, /Ann Added has been taken off this session and emailed. 1 person from the waiting list now has the place/)
  const cancellation = (await outbox(w.db, 'ann@example.org')).at(-1)!
  t.equal(cancellation.ical_method, 'CANCEL')
  t.notMatch(cancellation.text_body, /Reason/, 'no reason given: the email has no reason line')
  t.notMatch(cancellation.html_body, /Reason/)
  t.equal((await outbox(w.db, 'ben@example.org')).at(-1)!.ical_method, 'REQUEST')
})

/** A session with Ann confirmed by the coordinator, and the session page as the coordinator sees it. */
async function annBooked(t: Test, waiting = false) {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', start: '10:00', end: '12:00', title: 'Smartphone drop-in', min: 1, max: 1 })
  const ann = await volunteer(w, 'ann@example.org', 'Ann Added', [w.central])
  t.equal((await w.coordinator.post(`/coordinate/sessions/${session}/assign`, { assign: String(ann.volunteerId) })).statusCode, 303)
  if (waiting) {
    const ben = await volunteer(w, 'ben@example.org', 'Ben Waiting', [w.central])
    const { joinWaitlist } = await import('../../src/assignments/places.service.js')
    await joinWaitlist(w.app.ctx, { sessionId: session, volunteerId: ben.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  }
  const state = async () => (await w.db.selectFrom('assignments').select('state').where('volunteer_id', '=', ann.volunteerId).where('session_id', '=', session).executeTakeFirstOrThrow()).state
  return { w, session, ann, state }
}

t.test('"Take off" asks first: the session page links to a confirmation that names them and changes nothing', async (t) => {
  const { w, session, ann, state } = await annBooked(t, true)
  const page = await w.coordinator.get(`/coordinate/sessions/${session}`)
  const link = new RegExp(`<a class="govuk-link" href="(/coordinate/sessions/${session}/remove\\?volunteer=${ann.volunteerId})">Take off<span class="govuk-visually-hidden"> Ann Added</span></a>`)
  const href = link.exec(page.body)?.[1]
  t.ok(href, 'Take off is a link to the confirmation page')
  t.notMatch(page.body, /<form method="post" action="\/coordinate\/sessions\/\d+\/remove"/, 'no form on the session page takes anyone off at once')
  const mailsBefore = (await outbox(w.db)).length

  const confirm = await w.coordinator.get(href!)
  t.equal(confirm.statusCode, 200)
  t.match(confirm.body, /<h1 class="govuk-heading-xl">Take Ann Added off Smartphone drop-in\?<\/h1>/)
  t.match(confirm.body, /Tuesday 8 December 2026, 10(:00)?\s?am/i)
  t.match(confirm.body, /We will email Ann Added a calendar cancellation/)
  t.match(confirm.body, /1 person is on the waiting list\. The first one who can still come gets the place/)
  t.match(confirm.body, /<label class="govuk-label govuk-label--s" for="reason">Reason \(optional\)<\/label>/)
  t.match(confirm.body, new RegExp(`<form method="post" action="/coordinate/sessions/${session}/remove" novalidate>\\s*<input type="hidden" name="_csrf" value="[^"]+">\\s*<input type="hidden" name="volunteer" value="${ann.volunteerId}">`))
  t.match(confirm.body, /<button type="submit" class="govuk-button govuk-button--warning"[^>]*>Yes, take them off<\/button>/)
  t.match(confirm.body, new RegExp(`<a class="govuk-link" href="/coordinate/sessions/${session}">No, go back</a>`))
  t.equal(await state(), 'confirmed', 'still confirmed after the confirmation page')
  t.equal((await outbox(w.db)).length, mailsBefore, 'nobody emailed yet')
})

t.test('taking someone off with a reason: it reaches their email, escaped in HTML and as typed in the text; the audit notes only that one was given', async (t) => {
  const { w, session, ann, state } = await annBooked(t)
  const res = await w.coordinator.post(`/coordinate/sessions/${session}/remove`, { volunteer: String(ann.volunteerId), reason: '<b>Rota change</b>' })
  t.equal(res.statusCode, 303)
  t.equal(await state(), 'cancelled')
  const after = await w.coordinator.get(`/coordinate/sessions/${session}`)
  t.match(after.body, /Ann Added has been taken off this session and emailed/)
  const mail = (await outbox(w.db, 'ann@example.org')).at(-1)!
  t.equal(mail.ical_method, 'CANCEL')
  t.match(mail.html_body, /Reason given: &lt;b&gt;Rota change&lt;\/b&gt;/, 'HTML part: the reason, escaped')
  t.notMatch(mail.html_body, /<b>Rota change/, 'never as markup')
  t.match(mail.text_body, /^Reason given: <b>Rota change<\/b>$/m, 'text part: the reason as typed, on its own line')
  const entry = await w.db.selectFrom('audit_log').select(['detail']).where('action', '=', 'assignment.removed').executeTakeFirstOrThrow()
  t.same(JSON.parse(entry.detail), { volunteerId: ann.volunteerId, reasonGiven: true })
  t.notMatch(entry.detail, /Rota change/, 'the reason itself is not kept in the audit log')
  // The row keeps the coordinator's mark (auto-fill reads it), not the reason.
  const row = await w.db.selectFrom('assignments').select('reason').where('volunteer_id', '=', ann.volunteerId).executeTakeFirstOrThrow()
  t.equal(row.reason, 'Removed by the coordinator')
})

t.test('a reason over 500 characters is refused on the confirmation page and changes nothing', async (t) => {
  const { w, session, ann, state } = await annBooked(t)
  const mailsBefore = (await outbox(w.db)).length
  const long = 'x'.repeat(600)
  const res = await w.coordinator.post(`/coordinate/sessions/${session}/remove`, { volunteer: String(ann.volunteerId), reason: long })
  t.equal(res.statusCode, 400)
  t.match(res.body, /<title>Error: Take Ann Added off this session/)
  t.match(res.body, /govuk-error-summary[\s\S]*<a href="#reason">Reason must be 500 characters or fewer<\/a>/)
  t.match(res.body, /<p id="reason-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Reason must be 500 characters or fewer<\/p>/)
  t.match(res.body, new RegExp(`<textarea[^>]*id="reason"[^>]*>${long}</textarea>`), 'what was typed is kept')
  t.equal(await state(), 'confirmed')
  t.equal((await outbox(w.db)).length, mailsBefore, 'nobody emailed')
  t.equal((await w.db.selectFrom('audit_log').select('id').where('action', '=', 'assignment.removed').execute()).length, 0)
})

t.test('the confirmation for someone not on the session, or a session already over, says so (no 500)', async (t) => {
  const { w, session, ann } = await annBooked(t)
  const stranger = await volunteer(w, 'sam@example.org', 'Sam Stranger', [w.central])
  const notOn = await w.coordinator.get(`/coordinate/sessions/${session}/remove?volunteer=${stranger.volunteerId}`)
  t.equal(notOn.statusCode, 409)
  t.match(notOn.body, /That volunteer is not confirmed on this session/)
  const unknown = await w.coordinator.get(`/coordinate/sessions/${session}/remove?volunteer=99999`)
  t.equal(unknown.statusCode, 409)
  t.match(unknown.body, /That volunteer is not confirmed on this session/)
  const nobody = await w.coordinator.get(`/coordinate/sessions/${session}/remove`)
  t.equal(nobody.statusCode, 409)
  t.match(nobody.body, /Choose who to take off the session/)
  const noSession = await w.coordinator.get(`/coordinate/sessions/99999/remove?volunteer=${ann.volunteerId}`)
  t.equal(noSession.statusCode, 404)
  // Taken off already (another tab): the confirmation and its button both say so.
  t.equal((await w.coordinator.post(`/coordinate/sessions/${session}/remove`, { volunteer: String(ann.volunteerId) })).statusCode, 303)
  const again = await w.coordinator.get(`/coordinate/sessions/${session}/remove?volunteer=${ann.volunteerId}`)
  t.equal(again.statusCode, 409)
  t.match(again.body, /That volunteer is not confirmed on this session/)
  const twice = await w.coordinator.post(`/coordinate/sessions/${session}/remove`, { volunteer: String(ann.volunteerId), reason: 'y'.repeat(600) })
  t.equal(twice.statusCode, 409)
  t.match(twice.body, /That volunteer is not confirmed on this session/)
  // A cancelled session has nobody to take off.
  await w.db.updateTable('sessions').set({ status: 'cancelled' }).where('id', '=', session).execute()
  const cancelled = await w.coordinator.get(`/coordinate/sessions/${session}/remove?volunteer=${ann.volunteerId}`)
  t.equal(cancelled.statusCode, 409)
  t.match(cancelled.body, /This session has been cancelled/)
})

t.test('direct assignment keeps every hard rule, with the reason in words', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', start: '18:00', end: '20:00', min: 1, max: 2 })
  const day = await volunteer(w, 'day@example.org', 'Dana Daytime', [w.central])
  const res = await w.coordinator.post(`/coordinate/sessions/${session}/assign`, { assign: String(day.volunteerId) })
  t.equal(res.statusCode, 409)
  t.match(res.body, /Dana Daytime cannot be added: not available Tuesday evenings/)
  t.equal((await w.db.selectFrom('assignments').selectAll().execute()).length, 0)
})
