// Coordinators' volunteers: search by name, skill, branch and status; approve or reject applicants; pause and resume; mark as left; record trainings; upcoming and history.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { createSession, givePlace } from '../helpers/fixtures.js'
import { takePlace } from '../../src/assignments/places.service.js'
import { Client } from '../helpers/client.js'
import { textOf } from '../bookings/world.js'
import { world, volunteer, outbox, type World } from './world.js'

t.comment(`database: ${databaseLabel}`)

t.test('search by name or email, skill, branch and status', async (t) => {
  const w = await world(t)
  await volunteer(w, 'ewa.nowak@example.org', 'Ewa Nowak', [w.central], { skills: [w.skills.polish] })
  await volunteer(w, 'sam@example.org', 'Sam Jones', [w.east], { skills: [w.skills.email] })
  await volunteer(w, 'newbie@example.org', 'Nia New', [w.east], { status: 'applied' })
  await volunteer(w, 'per_cent@example.org', 'Percy 100%', [w.central])
  const all = await w.coordinator.get('/coordinate/volunteers')
  t.match(all.body, /4 volunteers/)
  t.match(all.body, /1 person has applied<\/a> and is waiting for approval/)
  const byName = await w.coordinator.get('/coordinate/volunteers?q=nowak')
  t.match(byName.body, /1 volunteer/)
  t.match(byName.body, /Ewa Nowak/)
  t.match((await w.coordinator.get('/coordinate/volunteers?q=100%25')).body, /Percy 100%/)
  t.match((await w.coordinator.get('/coordinate/volunteers?q=%25')).body, /1 volunteer/, 'a typed % is literal')
  const bySkill = await w.coordinator.get(`/coordinate/volunteers?skill=${w.skills.email}`)
  t.match(bySkill.body, /Sam Jones/)
  t.notMatch(bySkill.body, /Ewa Nowak/)
  const byBranch = await w.coordinator.get(`/coordinate/volunteers?branch=${w.east}`, { 'hx-request': 'true' })
  t.notMatch(byBranch.body, /<html/, 'htmx gets the list alone')
  t.match(byBranch.body, /Sam Jones/)
  t.match(byBranch.body, /Nia New/)
  t.notMatch(byBranch.body, /Ewa Nowak/)
  const applied = await w.coordinator.get('/coordinate/volunteers?status=applied')
  t.match(applied.body, /Nia New/)
  t.notMatch(applied.body, /Sam Jones/)
})

t.test('approving an applicant emails them; pausing and resuming; every change is audited', async (t) => {
  const w = await world(t)
  const nia = await volunteer(w, 'nia@example.org', 'Nia New', [w.east], { status: 'applied' })
  const approve = await w.coordinator.post(`/coordinate/volunteers/${nia.volunteerId}/approve`)
  t.equal(approve.statusCode, 303)
  const page = await w.coordinator.get(`/coordinate/volunteers/${nia.volunteerId}`)
  t.match(page.body, /Nia New is now approved and has been emailed/)
  const row = await w.db.selectFrom('volunteers').select(['status', 'approved_at']).where('id', '=', nia.volunteerId).executeTakeFirstOrThrow()
  t.same(row, { status: 'active', approved_at: w.clock.now() })
  t.match((await outbox(w.db, 'nia@example.org')).at(-1)!.subject, /You are approved as a digital champion/)
  const twice = await w.coordinator.post(`/coordinate/volunteers/${nia.volunteerId}/approve`)
  t.equal(twice.statusCode, 409)
  t.match(twice.body, /Nia New has already been approved/)
  const held = await createSession(w.db, w.east, { date: '2026-12-08', title: 'Held place' })
  await givePlace(w.db, { sessionId: held, volunteerId: nia.volunteerId, source: 'coordinator', at: 1 })
  t.equal((await w.coordinator.post(`/coordinate/volunteers/${nia.volunteerId}/pause`)).statusCode, 303)
  const paused = await w.coordinator.get(`/coordinate/volunteers/${nia.volunteerId}`)
  t.match(paused.body, /Nia New is now paused: they will not be offered sessions until you resume them. They still hold a place on 1 upcoming session/, 'the coordinator is told about places still held')
  t.equal((await w.db.selectFrom('volunteers').select('status').where('id', '=', nia.volunteerId).executeTakeFirstOrThrow()).status, 'paused')
  t.equal((await w.coordinator.post(`/coordinate/volunteers/${nia.volunteerId}/resume`)).statusCode, 303)
  t.equal((await w.db.selectFrom('volunteers').select('status').where('id', '=', nia.volunteerId).executeTakeFirstOrThrow()).status, 'active')
  const audit = await w.db.selectFrom('audit_log').select('action').where('object_type', '=', 'volunteer').orderBy('id').execute()
  t.same(audit.map((a) => a.action), ['volunteer.approve', 'volunteer.pause', 'volunteer.resume'])
})

t.test('recording a training uses its usual validity when no expiry is given; bad dates are refused', async (t) => {
  const w = await world(t)
  const v = await volunteer(w, 'tia@example.org', 'Tia Trained', [w.central])
  const form = await w.coordinator.get(`/coordinate/volunteers/${v.volunteerId}/trainings/new`)
  t.match(form.body, /Valid for 24 months/)
  const bad = await w.coordinator.post(`/coordinate/volunteers/${v.volunteerId}/trainings/new`, { kind: String(w.trainings.safeguarding), completed: '2027-01-01' })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /The date it was done must be today or in the past/)
  const backwards = await w.coordinator.post(`/coordinate/volunteers/${v.volunteerId}/trainings/new`, { kind: String(w.trainings.safeguarding), completed: '2026-11-03', expires: '2026-01-01' })
  t.match(backwards.body, /The expiry date must be after the date it was done/)
  const missing = await w.coordinator.post(`/coordinate/volunteers/${v.volunteerId}/trainings/new`, {})
  t.match(missing.body, /Select the training or check/)
  t.match(missing.body, /Enter the date it was done/)
  const ok = await w.coordinator.post(`/coordinate/volunteers/${v.volunteerId}/trainings/new`, { kind: String(w.trainings.safeguarding), completed: '3/11/2026' })
  t.equal(ok.statusCode, 303)
  const rec = await w.db.selectFrom('volunteer_trainings').select(['completed_on', 'expires_on', 'recorded_by_person_id']).where('volunteer_id', '=', v.volunteerId).executeTakeFirstOrThrow()
  t.same(rec, { completed_on: '2026-11-03', expires_on: '2028-11-03', recorded_by_person_id: w.coordinatorId })
  const page = await w.coordinator.get(`/coordinate/volunteers/${v.volunteerId}`)
  t.match(page.body, /Safeguarding adults recorded for Tia Trained, valid until Friday 3 November 2028/)
  t.match(page.body, /recorded by Chris Walker/)
})

t.test('a volunteer’s upcoming sessions and history', async (t) => {
  const w = await world(t)
  const v = await volunteer(w, 'hal@example.org', 'Hal History', [w.central])
  const next = await createSession(w.db, w.central, { date: '2026-12-08', title: 'Next week’s drop-in' })
  await takePlace(w.app.ctx, { sessionId: next, volunteerId: v.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  const last = await createSession(w.db, w.central, { date: '2026-11-17', title: 'Last month’s class' })
  await givePlace(w.db, { sessionId: last, volunteerId: v.volunteerId, state: 'attended' })
  const page = await w.coordinator.get(`/coordinate/volunteers/${v.volunteerId}`)
  t.match(page.body, /Coming up[\s\S]*Next week’s drop-in[\s\S]*History[\s\S]*Last month’s class[\s\S]*Attended/)
})

async function statusOf(w: World, volunteerId: number) {
  return (await w.db.selectFrom('volunteers').select(['status', 'left_at']).where('id', '=', volunteerId).executeTakeFirstOrThrow())
}

/** The "Who could come" section of a session page (candidates and near-misses). */
function candidatesSection(html: string): string {
  return /id="candidates-heading"[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''
}

t.test('rejecting an applicant: an "Are you sure?" page first, then they are Left and emailed the reason, escaped', async (t) => {
  const w = await world(t)
  const nia = await volunteer(w, 'nia@example.org', 'Nia New', [w.east], { status: 'applied' })
  const record = await w.coordinator.get(`/coordinate/volunteers/${nia.volunteerId}`)
  t.match(record.body, new RegExp(`<a [^>]*href="/coordinate/volunteers/${nia.volunteerId}/reject">Reject application</a>`), 'the applicant’s page leads to the confirmation')
  t.notMatch(record.body, /Mark as left/, 'an applicant is rejected, not marked as left')

  const confirm = await w.coordinator.get(`/coordinate/volunteers/${nia.volunteerId}/reject`)
  t.equal(confirm.statusCode, 200)
  t.match(textOf(confirm.body), /Are you sure you want to reject Nia New’s application\?/)
  t.match(confirm.body, /<title>Are you sure you want to reject Nia New’s application\? – /, 'the title says what the page asks')
  t.match(confirm.body, new RegExp(`<form method="post" action="/coordinate/volunteers/${nia.volunteerId}/reject"[^>]*>\\s*<input type="hidden" name="_csrf" value="[^"]+">`), 'a plain form with its CSRF field: no JavaScript needed')
  t.match(confirm.body, /<textarea[^>]*name="reason"/)
  t.equal((await statusOf(w, nia.volunteerId)).status, 'applied', 'showing the confirmation changes nothing')

  const tooLong = await w.coordinator.post(`/coordinate/volunteers/${nia.volunteerId}/reject`, { reason: 'x'.repeat(501) })
  t.equal(tooLong.statusCode, 400)
  t.match(textOf(tooLong.body), /Reason must be 500 characters or fewer/)
  t.equal((await statusOf(w, nia.volunteerId)).status, 'applied', 'a refused form changes nothing')
  t.equal((await outbox(w.db, 'nia@example.org')).length, 0, 'and emails nobody')

  await w.db.updateTable('library_services').set({ contact: 'Chris Walker, volunteers@westmoor.example' }).where('id', '=', w.service).execute()
  const done = await w.coordinator.post(`/coordinate/volunteers/${nia.volunteerId}/reject`, { reason: 'We need <b>weekday</b> mornings & you are free at weekends' })
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, `/coordinate/volunteers/${nia.volunteerId}`)
  const page = await w.coordinator.get(`/coordinate/volunteers/${nia.volunteerId}`)
  t.match(textOf(page.body), /Nia New has been told their application is not being taken forward\./)
  t.match(page.body, /<h1[^>]*>Nia New <strong class="govuk-tag[^"]*">Left<\/strong><\/h1>/, 'their page shows them as Left')
  t.notMatch(page.body, /Reject application|Approve Nia New/, 'nothing more to approve or reject')
  const row = await statusOf(w, nia.volunteerId)
  t.same(row, { status: 'left', left_at: w.clock.now() })

  const mails = await outbox(w.db, 'nia@example.org')
  t.equal(mails.length, 1)
  t.equal(mails[0]!.kind, 'volunteer-rejected')
  t.equal(mails[0]!.subject, 'Your application to volunteer with Westmoor Libraries')
  t.match(mails[0]!.text_body, /your application is not being taken forward/)
  t.match(mails[0]!.text_body, /Reason: We need <b>weekday<\/b> mornings & you are free at weekends/, 'the plain text gives the reason as typed')
  t.match(mails[0]!.text_body, /contact Chris Walker, volunteers@westmoor\.example\./, 'and who to contact')
  const html = (await w.db.selectFrom('outbox').select('html_body').where('id', '=', mails[0]!.id).executeTakeFirstOrThrow()).html_body
  t.match(html, /We need &lt;b&gt;weekday&lt;\/b&gt; mornings &amp; you are free at weekends/, 'the HTML escapes it')
  t.notMatch(html, /<b>weekday/)

  const audit = await w.db.selectFrom('audit_log').select(['action', 'detail']).where('object_type', '=', 'volunteer').execute()
  t.equal(audit.length, 1)
  t.equal(audit[0]!.action, 'volunteer.reject')
  t.match(JSON.parse(String(audit[0]!.detail)), { from: 'applied', to: 'left', reasonGiven: true })
  t.notMatch(String(audit[0]!.detail), /weekday/, 'the reason itself stays out of the audit log (minimised)')

  const again = await w.coordinator.post(`/coordinate/volunteers/${nia.volunteerId}/reject`, {})
  t.equal(again.statusCode, 409, 'rejecting twice is refused')
  t.equal((await outbox(w.db, 'nia@example.org')).length, 1, 'and sends nothing more')
})

t.test('reject is only for applicants: on an active volunteer it is refused, saying why, and changes nothing', async (t) => {
  const w = await world(t)
  const sam = await volunteer(w, 'sam@example.org', 'Sam Jones', [w.central])
  t.notMatch((await w.coordinator.get(`/coordinate/volunteers/${sam.volunteerId}`)).body, /Reject application/, 'no Reject button for an active volunteer')
  const page = await w.coordinator.get(`/coordinate/volunteers/${sam.volunteerId}/reject`)
  t.equal(page.statusCode, 409)
  t.match(textOf(page.body), /Sam Jones is not waiting for approval, so there is no application to reject\. To take a volunteer off the rota, mark them as left/)
  const post = await w.coordinator.post(`/coordinate/volunteers/${sam.volunteerId}/reject`, { reason: 'Oops' })
  t.equal(post.statusCode, 409)
  t.match(textOf(post.body), /Sam Jones is not waiting for approval/)
  t.same(await statusOf(w, sam.volunteerId), { status: 'active', left_at: null })
  t.equal((await outbox(w.db, 'sam@example.org')).length, 0)
  t.equal((await w.db.selectFrom('audit_log').select('id').where('object_type', '=', 'volunteer').execute()).length, 0)
  // Nor can an applicant be "marked as left": they are rejected.
  const nia = await volunteer(w, 'nia@example.org', 'Nia New', [w.central], { status: 'applied' })
  t.equal((await w.coordinator.post(`/coordinate/volunteers/${nia.volunteerId}/leave`)).statusCode, 409)
  t.equal((await statusOf(w, nia.volunteerId)).status, 'applied')
})

t.test('marking a volunteer as left releases their places (the waiting list gets them), ends invitations, emails them the list; they are no longer a candidate', async (t) => {
  const w = await world(t)
  const ann = await volunteer(w, 'ann@example.org', 'Ann Leaver', [w.central])
  const bob = await volunteer(w, 'bob@example.org', 'Bob Waiting', [w.central])
  await volunteer(w, 'cat@example.org', 'Cat Stays', [w.central])
  const full = await createSession(w.db, w.central, { date: '2026-12-08', start: '10:00', end: '12:00', title: 'Scam awareness café', min: 1, max: 1 })
  t.equal((await takePlace(w.app.ctx, { sessionId: full, volunteerId: ann.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  const bobClient = await new Client(w.app).signInAs(bob.personId)
  t.equal((await bobClient.post(`/sessions/${full}/waitlist`)).statusCode, 303, 'Bob joins the waiting list')
  t.equal((await w.db.selectFrom('assignments').select('state').where('volunteer_id', '=', bob.volunteerId).executeTakeFirstOrThrow()).state, 'waitlisted')
  const invited = await createSession(w.db, w.central, { date: '2026-12-10', start: '14:00', end: '16:00', title: 'Video calls', min: 1, max: 2 })
  t.equal((await w.coordinator.post(`/coordinate/sessions/${invited}/invitations`, { invite: [String(ann.volunteerId)] })).statusCode, 303)
  const inviteMail = (await outbox(w.db, 'ann@example.org')).filter((m) => m.kind === 'invitation').at(-1)!
  const acceptLink = /http:\/\/rota\.test(\/invitations\/[A-Za-z0-9_-]+)\?answer=accept/.exec(inviteMail.text_body)![1]!
  const other = await createSession(w.db, w.central, { date: '2026-12-15', start: '10:00', end: '12:00', title: 'Online forms', min: 1, max: 2 })
  t.match(candidatesSection((await w.coordinator.get(`/coordinate/sessions/${other}`)).body), /Ann Leaver/, 'before: Ann is a candidate')

  const record = await w.coordinator.get(`/coordinate/volunteers/${ann.volunteerId}`)
  t.match(record.body, new RegExp(`<a [^>]*href="/coordinate/volunteers/${ann.volunteerId}/leave">Mark as left</a>`))
  const confirm = await w.coordinator.get(`/coordinate/volunteers/${ann.volunteerId}/leave`)
  t.equal(confirm.statusCode, 200)
  const confirmText = textOf(confirm.body)
  t.match(confirmText, /Are you sure Ann Leaver has left\?/)
  t.match(confirmText, /They will be taken off 2 upcoming sessions/)
  t.match(confirmText, /Scam awareness café, Central Library: Tuesday 8 December 2026, 10(:00)?am ?(to|–) ?12(:00)?pm/i)
  t.match(confirmText, /Video calls, Central Library: .*\(invited\)/)
  t.match(confirm.body, new RegExp(`<form method="post" action="/coordinate/volunteers/${ann.volunteerId}/leave"[^>]*>\\s*<input type="hidden" name="_csrf" value="[^"]+">`))
  t.equal((await statusOf(w, ann.volunteerId)).status, 'active', 'showing the confirmation changes nothing')

  const done = await w.coordinator.post(`/coordinate/volunteers/${ann.volunteerId}/leave`)
  t.equal(done.statusCode, 303)
  const page = await w.coordinator.get(`/coordinate/volunteers/${ann.volunteerId}`)
  t.match(textOf(page.body), /Ann Leaver is now marked as left and has been emailed\. They have been taken off 2 upcoming sessions\./)
  t.match(page.body, /<h1[^>]*>Ann Leaver <strong class="govuk-tag[^"]*">Left<\/strong><\/h1>/)
  t.match(textOf(page.body), /Coming up Nothing booked\./, 'nothing left on their record')
  t.same(await statusOf(w, ann.volunteerId), { status: 'left', left_at: w.clock.now() })

  // The place went to the waiting list.
  const session = await w.coordinator.get(`/coordinate/sessions/${full}`)
  const booked = /id="booked-heading"[\s\S]*?<\/section>/.exec(session.body)![0]
  t.match(booked, /Bob Waiting<\/a>\s*<span[^>]*>from the waiting list/, 'Bob was promoted into the freed place')
  t.notMatch(booked, /Ann Leaver/)
  t.notMatch(session.body, /id="waitlist-heading"/, 'nobody is left waiting')
  t.match(textOf(session.body), /1 booked of 1 place/)
  t.equal((await outbox(w.db, 'bob@example.org')).at(-1)!.ical_method, 'REQUEST', 'Bob is sent the calendar invite')

  // Ann: a calendar cancellation for the held place, and one email saying what happened.
  const annMails = (await outbox(w.db, 'ann@example.org')).filter((m) => m.kind !== 'invitation' && m.ical_method !== 'REQUEST')
  t.same(annMails.map((m) => m.kind).sort(), ['cancellation', 'volunteer-left'])
  t.equal(annMails.find((m) => m.kind === 'cancellation')!.ical_method, 'CANCEL', 'the place leaves her calendar')
  const left = annMails.find((m) => m.kind === 'volunteer-left')!
  t.equal(left.subject, 'You are no longer on the rota at Westmoor Libraries')
  t.match(left.text_body, /Chris Walker has recorded that you are no longer volunteering with Westmoor Libraries/)
  t.match(left.text_body, /Thank you for everything you have done/)
  t.match(left.text_body, /You have been taken off these sessions, so you do not need to go:\n- Scam awareness café, Central Library: Tuesday 8 December 2026, [^\n]+\n- Video calls, Central Library: Thursday 10 December 2026, [^\n]+ \(invitation\)/)
  t.match(left.text_body, /contact Chris Walker \(coord@example\.org\)\./, 'with no contact set, the coordinator is who to ask')

  // The invitation is over: its link says so, and accepting does not book her.
  const annBrowser = new Client(w.app)
  t.match((await annBrowser.get(acceptLink)).body, /This invitation has been withdrawn/)
  await annBrowser.post(acceptLink, { answer: 'accept' })
  const annInvited = await w.db.selectFrom('assignments').select('state').where('volunteer_id', '=', ann.volunteerId).where('session_id', '=', invited).executeTakeFirstOrThrow()
  t.equal(annInvited.state, 'cancelled')
  t.equal((await w.db.selectFrom('invitations').select('state').executeTakeFirstOrThrow()).state, 'withdrawn')

  // No longer a candidate anywhere (the control, Cat, still is).
  const candidates = candidatesSection((await w.coordinator.get(`/coordinate/sessions/${other}`)).body)
  t.match(candidates, /Cat Stays/)
  t.notMatch(candidates, /Ann Leaver/, 'a left volunteer is neither a candidate nor a near-miss')

  const audit = await w.db.selectFrom('audit_log').select('action').where('object_type', '=', 'volunteer').execute()
  t.same(audit.map((a) => a.action), ['volunteer.leave'])
  t.equal((await w.coordinator.post(`/coordinate/volunteers/${ann.volunteerId}/leave`)).statusCode, 409, 'marking as left twice is refused')
})

t.test('a paused volunteer can be marked as left; an invitation left open to a left volunteer cannot be accepted', async (t) => {
  const w = await world(t)
  const pat = await volunteer(w, 'pat@example.org', 'Pat Paused', [w.central], { status: 'paused' })
  t.equal((await w.coordinator.post(`/coordinate/volunteers/${pat.volunteerId}/leave`)).statusCode, 303)
  t.equal((await statusOf(w, pat.volunteerId)).status, 'left')
  const mail = (await outbox(w.db, 'pat@example.org')).at(-1)!
  t.equal(mail.kind, 'volunteer-left')
  t.notMatch(mail.text_body, /taken off these sessions/, 'nothing to list when they held nothing')

  // Defence in depth: whatever way someone came to be "left", an open invitation does not book them.
  const cy = await volunteer(w, 'cy@example.org', 'Cy Gone', [w.central])
  const session = await createSession(w.db, w.central, { date: '2026-12-08', min: 1, max: 2 })
  await w.coordinator.post(`/coordinate/sessions/${session}/invitations`, { invite: [String(cy.volunteerId)] })
  const link = /http:\/\/rota\.test(\/invitations\/[A-Za-z0-9_-]+)\?answer=accept/.exec((await outbox(w.db, 'cy@example.org')).at(-1)!.text_body)![1]!
  await w.db.updateTable('volunteers').set({ status: 'left' }).where('id', '=', cy.volunteerId).execute()
  const res = await new Client(w.app).post(link, { answer: 'accept' })
  t.equal(res.statusCode, 409)
  t.match(textOf(res.body), /You cannot book sessions: you are no longer on the rota/)
  t.equal((await w.db.selectFrom('assignments').select('state').where('volunteer_id', '=', cy.volunteerId).executeTakeFirstOrThrow()).state, 'invited')
})

t.test('a coordinator of another library service, or of another branch, can neither reject nor mark as left', async (t) => {
  const w = await world(t)
  const nia = await volunteer(w, 'nia@example.org', 'Nia New', [w.central], { status: 'applied' })
  const sam = await volunteer(w, 'sam@example.org', 'Sam Jones', [w.central])
  for (const personId of [w.otherCoordinatorId, w.eastCoordinatorId]) {
    const outsider = await new Client(w.app).signInAs(personId)
    for (const [v, action] of [[nia, 'reject'], [sam, 'leave']] as const) {
      const get = await outsider.get(`/coordinate/volunteers/${v.volunteerId}/${action}`)
      t.ok([403, 404].includes(get.statusCode), `GET ${action} → ${get.statusCode}`)
      t.notMatch(get.body, /Nia New|Sam Jones/)
      const post = await outsider.post(`/coordinate/volunteers/${v.volunteerId}/${action}`, { reason: 'Not mine' })
      t.ok([403, 404].includes(post.statusCode), `POST ${action} → ${post.statusCode}`)
    }
  }
  t.equal((await statusOf(w, nia.volunteerId)).status, 'applied')
  t.equal((await statusOf(w, sam.volunteerId)).status, 'active')
  t.equal((await outbox(w.db)).filter((m) => m.to_address === 'nia@example.org' || m.to_address === 'sam@example.org').length, 0)
})
