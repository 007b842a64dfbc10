// Steps a coordinator or volunteer takes that used to surprise them: what they now see.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createAdmin, createCoordinator, createSession } from '../helpers/fixtures.js'
import { world, volunteer, outbox } from '../coordination/world.js'
import { textOf } from '../bookings/world.js'
import { takePlace, releasePlace } from '../../src/assignments/places.service.js'

t.comment(`database: ${databaseLabel}`)

t.test('"Invite the people selected" with nobody ticked answers with the session page, not the POST', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', min: 1, max: 2 })
  await volunteer(w, 'ann@example.org', 'Ann Able', [w.central])
  const res = await w.coordinator.post(`/coordinate/sessions/${session}/invitations`, {})
  t.equal(res.statusCode, 303, 'a redirect: reloading the page shows it again instead of posting the form again')
  t.equal(res.headers.location, `/coordinate/sessions/${session}?problem=nobody-selected#candidates`)
  const page = await w.coordinator.get(res.headers.location as string)
  t.equal(page.statusCode, 200)
  t.match(page.body, /<title>Error: /, 'the title says there is a problem')
  t.match(page.body, /govuk-error-summary[\s\S]*Select at least one person to invite/, 'the error summary says what to do')
  t.equal((await outbox(w.db, 'ann@example.org')).length, 0, 'nobody was emailed')
  const odd = await w.coordinator.get(`/coordinate/sessions/${session}?problem=constructor`)
  t.notMatch(odd.body, /govuk-error-summary/, 'only known problems are shown, never text from the address')
})

t.test('the decline link opens the page with "No" chosen and its button first', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', min: 1, max: 2 })
  const ann = await volunteer(w, 'ann@example.org', 'Ann Able', [w.central])
  t.equal((await w.coordinator.post(`/coordinate/sessions/${session}/invitations`, { invite: [String(ann.volunteerId)] })).statusCode, 303)
  const mail = (await outbox(w.db, 'ann@example.org')).find((m) => m.kind === 'invitation')!
  const decline = /http:\/\/rota\.test(\/invitations\/\S+\?answer=decline)/.exec(mail.text_body)![1]!
  const accept = decline.replace('answer=decline', 'answer=accept')
  const anyone = new Client(w.app)

  const declinePage = (await anyone.get(decline)).body
  const buttons = [...declinePage.matchAll(/<button type="submit" class="govuk-button([^"]*)"[^>]*>([^<]+)<\/button>/g)].map((m) => [m[2], (m[1] ?? '').includes('secondary') ? 'secondary' : 'primary'])
  t.same(buttons, [['No, I cannot this time', 'primary'], ['Yes, I can help', 'secondary']], 'decline first, as the main button')
  t.match(textOf(declinePage), /You chose “No, I cannot this time” in the email\. Press the button to send that answer\./)

  const acceptPage = (await anyone.get(accept)).body
  const acceptButtons = [...acceptPage.matchAll(/<button type="submit" class="govuk-button([^"]*)"[^>]*>([^<]+)<\/button>/g)].map((m) => m[2])
  t.same(acceptButtons, ['Yes, I can help', 'No, I cannot this time'], 'the accept link: accept first')
  t.notMatch(textOf(acceptPage), /You chose/)

  // Pressing the first button on the decline page declines.
  const res = await anyone.post(decline.split('?')[0]!, { answer: 'decline' })
  t.equal(res.statusCode, 303)
  t.match(textOf((await anyone.get(res.headers.location as string)).body), /You said you cannot help this time/)
})

t.test('the admin page lists a coordinator of two branches once, with both branches', async (t) => {
  const w = await world(t)
  const admin = await createAdmin(w.db, 'ada@example.org', w.service, 'Ada Admin')
  const both = await createCoordinator(w.db, 'two@example.org', w.service, w.central, 'Tom Twobranch')
  await w.db.insertInto('role_grants').values({ person_id: both, role: 'coordinator', library_service_id: w.service, branch_id: w.east, created_at: 0 }).execute()
  const browser = await new Client(w.app).signInAs(admin)
  const page = await browser.get('/admin')
  t.equal(page.statusCode, 200)
  const rows = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]!)).filter((r) => /Tom Twobranch/.test(r))
  t.equal(rows.length, 1, 'one row for the person')
  const branchNames = (await w.db.selectFrom('branches').select('name').where('id', 'in', [w.central, w.east]).orderBy('name').execute()).map((b) => b.name)
  t.match(rows[0], new RegExp(`Tom Twobranch two@example\\.org Coordinator ${branchNames.join(', ')}`), 'with both branches, in name order')
  t.match(textOf(page.body), /Ada Admin ada@example\.org Admin All branches/)
})

t.test('a volunteer who said they cannot make it is not ranked for that session, but shown as a near-miss with the reason', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', min: 2, max: 3 })
  const ann = await volunteer(w, 'ann@example.org', 'Ann Away', [w.central])
  await volunteer(w, 'bob@example.org', 'Bob Ready', [w.central])
  t.equal((await takePlace(w.app.ctx, { sessionId: session, volunteerId: ann.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  t.equal((await releasePlace(w.app.ctx, { sessionId: session, volunteerId: ann.volunteerId, toState: 'withdrawn', actorPersonId: null, wording: 'withdrew' })).kind, 'released')
  const body = (await w.coordinator.get(`/coordinate/sessions/${session}`)).body
  t.notMatch(body, new RegExp(`name="invite" type="checkbox" value="${ann.volunteerId}"`), 'Ann cannot be ticked to invite')
  t.match(body, new RegExp(`name="invite" type="checkbox" value="\\d+"`), 'Bob still can')
  t.match(textOf(body), /Ann Away said they cannot make it to this session/, 'Ann is listed with the reason')
})
