// The booking rules under load, through the HTTP routes in parallel: never above the maximum, never two overlapping places.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import type { Client } from '../helpers/client.js'
import { world, textOf, htmx } from './world.js'

t.comment(`database: ${databaseLabel}`)

t.test('200 volunteers book a 3-place session at the same moment: exactly 3 confirmed, everyone else told it is full', async (t) => {
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08', min: 2, max: 3, title: 'Popular drop-in' })
  const browsers: Client[] = []
  for (let i = 0; i < 200; i++) browsers.push(await w.signIn((await w.volunteer()).personId))
  await Promise.all(browsers.map((b) => b.csrf()))

  // Half come from pages with JavaScript (htmx), half without.
  const responses = await Promise.all(
    browsers.map((b, i) => b.post(`/sessions/${session}/book`, { return: '/sessions' }, i % 2 ? { headers: htmx() } : {})),
  )
  const statuses = responses.map((r) => r.statusCode)
  t.equal(statuses.filter((s) => s >= 500).length, 0, 'no 500s')
  const booked = responses.filter((r) => r.statusCode === 303 || (r.statusCode === 200 && /You are booked on/.test(textOf(r.body))))
  t.equal(booked.length, 3, 'exactly 3 told they are booked')
  const full = responses.filter((r) => r.statusCode === 409 && /Sorry, this session is full\. You can join the waiting list/.test(textOf(r.body)))
  t.equal(full.length, 197, 'everyone else gets the full / waiting list answer')
  t.ok(full.every((r) => new RegExp(`/sessions/${session}/waitlist`).test(r.body)), 'and each of them is offered the waiting list')

  const confirmed = await w.db.selectFrom('assignments').select('volunteer_id').where('session_id', '=', session).where('state', '=', 'confirmed').execute()
  t.equal(confirmed.length, 3)
  const row = await w.db.selectFrom('sessions').select('confirmed_count').where('id', '=', session).executeTakeFirstOrThrow()
  t.equal(row.confirmed_count, 3)
  const invites = await w.db.selectFrom('outbox').select('to_address').where('kind', '=', 'invite').execute()
  t.equal(invites.length, 3, 'three invites, no more')
})

t.test('one volunteer fires 20 bookings at once at two overlapping sessions: exactly one place', async (t) => {
  const w = await world(t)
  const a = await w.session({ date: '2026-12-09', start: '10:00', end: '12:00', title: 'Morning A', max: 5 })
  const b = await w.session({ date: '2026-12-09', start: '11:00', end: '13:00', title: 'Late morning B', max: 5 })
  const v = await w.volunteer()
  // Several tabs of the same person, each with its own cookies but the same login.
  const tabs: Client[] = []
  for (let i = 0; i < 4; i++) tabs.push(await w.signIn(v.personId))
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) => tabs[i % 4]!.post(`/sessions/${i % 2 ? a : b}/book`, { return: '/sessions' }, i % 3 ? {} : { headers: htmx() })),
  )
  t.equal(responses.filter((r) => r.statusCode >= 500).length, 0, 'no 500s')
  for (const r of responses) {
    const text = textOf(r.body)
    const ok = r.statusCode === 303 || (r.statusCode === 200 && /You are (already )?booked on/.test(text)) || (r.statusCode === 409 && /You are already booked on (Morning A|Late morning B) at the same time/.test(text))
    t.ok(ok, `an answer a person understands (${r.statusCode})`)
  }
  const places = await w.db.selectFrom('assignments').select(['session_id', 'state']).where('volunteer_id', '=', v.volunteerId).where('state', '=', 'confirmed').execute()
  t.equal(places.length, 1, 'exactly one confirmed place')
  const counts = await w.db.selectFrom('sessions').select(['id', 'confirmed_count']).where('id', 'in', [a, b]).execute()
  t.equal(counts.reduce((n, c) => n + c.confirmed_count, 0), 1)
  t.equal((await w.db.selectFrom('outbox').selectAll().execute()).length, 1, 'one invite')
})

t.test('withdrawals, waiting-list promotions and new bookings all at once never overfill a session', async (t) => {
  const w = await world(t)
  const session = await w.session({ date: '2026-12-10', max: 3, title: 'Busy class' })
  const holders: Array<{ browser: Client; volunteerId: number }> = []
  for (let i = 0; i < 3; i++) {
    const v = await w.volunteer()
    const browser = await w.signIn(v.personId)
    t.equal((await browser.post(`/sessions/${session}/book`, {})).statusCode, 303)
    holders.push({ browser, volunteerId: v.volunteerId })
  }
  for (let i = 0; i < 10; i++) await (await w.signIn((await w.volunteer()).personId)).post(`/sessions/${session}/waitlist`, {})
  const newcomers: Client[] = []
  for (let i = 0; i < 30; i++) newcomers.push(await w.signIn((await w.volunteer()).personId))
  const ids = await w.db.selectFrom('assignments').select(['id', 'volunteer_id']).where('session_id', '=', session).where('state', '=', 'confirmed').execute()

  const responses = await Promise.all([
    ...holders.map((h) => h.browser.post(`/my-sessions/${ids.find((x) => x.volunteer_id === h.volunteerId)!.id}/withdraw`, {})),
    ...newcomers.map((b) => b.post(`/sessions/${session}/book`, {})),
  ])
  t.equal(responses.filter((r) => r.statusCode >= 500).length, 0, 'no 500s')
  const confirmed = await w.db.selectFrom('assignments').select('source').where('session_id', '=', session).where('state', '=', 'confirmed').execute()
  const row = await w.db.selectFrom('sessions').select('confirmed_count').where('id', '=', session).executeTakeFirstOrThrow()
  t.equal(row.confirmed_count, confirmed.length, 'the count matches the places held')
  t.equal(confirmed.length, 3, 'every freed place was filled, and no more')
  t.equal(confirmed.filter((c) => c.source === 'waitlist').length + responses.slice(3).filter((r) => r.statusCode === 303).length, 3)
})
