// Rules that each have one home: the withdrawal cut-off, weekly availability as advice to volunteers, and what each kind of session is called.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { world, textOf } from './world.js'
import { isPastCutoff, withdrawalCutoff } from '../../src/bookings/cutoff.js'
import { untilText } from '../../src/bookings/booking-wording.js'
import { ADVICE_FOR_VOLUNTEERS, ALL_RULES, BOOKING_RULES, barsVolunteer } from '../../src/matching/eligibility.js'
import { KIND_LABELS, SESSION_KINDS, kindLabel } from '../../src/sessions/kinds.js'

t.comment(`database: ${databaseLabel}`)

t.test('the cut-off: the start less the service’s hours, and "past" from that instant on', async (t) => {
  const session = { starts_at: Date.parse('2026-12-08T10:00:00Z'), withdraw_cutoff_hours: 24 }
  t.equal(withdrawalCutoff(session), Date.parse('2026-12-07T10:00:00Z'))
  t.notOk(isPastCutoff(session, Date.parse('2026-12-07T09:59:59.999Z')))
  t.ok(isPastCutoff(session, Date.parse('2026-12-07T10:00:00Z')), 'the cut-off instant itself is past it')
  t.equal(withdrawalCutoff({ ...session, withdraw_cutoff_hours: 0 }), session.starts_at, 'no cut-off: until it starts')
})

t.test('how long until a session starts, as coordinators’ alerts and the withdraw page say it', async (t) => {
  const hour = 3_600_000
  t.equal(untilText(20 * 60_000), 'less than an hour')
  t.equal(untilText(hour), '1 hour', 'one hour, not "1 hours"')
  t.equal(untilText(47 * hour), '47 hours')
  t.equal(untilText(48 * hour), '2 days')
  t.equal(untilText(-hour), 'less than an hour', 'a session already started is never a negative time away')
})

t.test('My sessions, the session page, the withdraw page and the withdrawal agree on either side of the cut-off', async (t) => {
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08', start: '10:00', end: '12:00', title: 'Digital help drop-in' })
  const v = await w.volunteer({ name: 'Ewa Nowak' })
  t.equal((await (await w.signIn(v.personId)).post(`/sessions/${session}/book`, {})).statusCode, 303)
  const assignment = (await w.db.selectFrom('assignments').select('id').where('session_id', '=', session).executeTakeFirstOrThrow()).id
  const cutoff = Date.parse('2026-12-07T10:00:00Z') // 24 hours before 10:00 GMT

  w.clock.set(cutoff - 1)
  let browser = await w.signIn(v.personId)
  t.match(textOf((await browser.get('/my-sessions')).body), /Withdraw/, 'a moment before: My sessions offers to withdraw')
  t.match(textOf((await browser.get(`/sessions/${session}`)).body), /Withdraw from this session You can withdraw until/)
  t.match(textOf((await browser.get(`/my-sessions/${assignment}/withdraw`)).body), /Withdraw from this session\?/)

  w.clock.set(cutoff)
  browser = await w.signIn(v.personId)
  t.match(textOf((await browser.get('/my-sessions')).body), /I can’t make it/, 'at the cut-off: My sessions says so')
  t.match(textOf((await browser.get(`/sessions/${session}`)).body), /I can’t make it/)
  t.match(textOf((await browser.get(`/my-sessions/${assignment}/withdraw`)).body), /Tell us you cannot make it/)
  t.equal((await browser.post(`/my-sessions/${assignment}/withdraw`, {})).statusCode, 303)
  const alerts = await w.db.selectFrom('outbox').select('kind').where('kind', '=', 'coordinator-alert').execute()
  t.ok(alerts.length > 0, 'and the withdrawal itself is an "I can’t make it", with the coordinators alerted')
})

t.test('weekly availability is advice to volunteers, and the only advice', async (t) => {
  t.same(ADVICE_FOR_VOLUNTEERS, ['availability'])
  t.same([...BOOKING_RULES, ...ADVICE_FOR_VOLUNTEERS].sort(), [...ALL_RULES].sort(), 'every rule is either binding on self-booking or advice')
  t.notOk(BOOKING_RULES.some((r) => ADVICE_FOR_VOLUNTEERS.includes(r)))
  t.notOk(barsVolunteer({ rule: 'availability' }))
  for (const rule of BOOKING_RULES) t.ok(barsVolunteer({ rule }), `${rule} stops a booking`)

  // Through the pages: outside their week the card says so and still offers to book; booking works.
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08', start: '18:00', end: '20:00', title: 'Evening drop-in' })
  const v = await w.volunteer({ windows: [{ day: 2, start: '09:00', end: '12:00' }] })
  const browser = await w.signIn(v.personId)
  const page = textOf((await browser.get(`/sessions/${session}`)).body)
  t.match(page, /Tuesday evenings are not in your availability\. You can still book it if you are free\./)
  t.match(page, /Book this session/)
  t.equal((await browser.post(`/sessions/${session}/book`, {})).statusCode, 303, 'and booking it is allowed')
})

t.test('a kind of session is called the same for coordinators and volunteers', async (t) => {
  t.same(SESSION_KINDS.map((k) => [k.value, k.label]), Object.entries(KIND_LABELS))
  t.equal(kindLabel('one_to_one'), 'Booked 1:1 appointments')
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08', kind: 'one_to_one', title: 'Appointments' })
  const coordinator = await w.signIn(w.wholeService)
  const form = textOf((await coordinator.get('/coordinate/sessions/new')).body)
  const v = await w.volunteer()
  const volunteer = await w.signIn(v.personId)
  const card = textOf((await volunteer.get('/sessions')).body)
  const page = textOf((await volunteer.get(`/sessions/${session}`)).body)
  for (const k of SESSION_KINDS) t.match(form, k.label, `the coordinator's form offers "${k.label}"`)
  t.match(card, /Central Library · Booked 1:1 appointments/, "the volunteer's card")
  t.match(page, /Booked 1:1 appointments at Central Library/, "the volunteer's session page")
  t.notMatch(form, /Booked 1:1(?! appointments)/, 'never the short form')
})
