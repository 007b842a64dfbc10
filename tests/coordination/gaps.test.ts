// The gap board: sessions below their minimum soonest first with how short, counts per branch and week, room-for-more apart; filters as links and as htmx swaps.
import t, { type Test } from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createSession, fillSession } from '../helpers/fixtures.js'
import { world } from './world.js'

t.comment(`database: ${databaseLabel}`)

async function board(t: Test) {
  const w = await world(t)
  // Today is Monday 30 November 2026.
  const short2 = await createSession(w.db, w.central, { date: '2026-12-10', title: 'Short by two', min: 2, max: 3 })
  const short1 = await createSession(w.db, w.east, { date: '2026-12-02', title: 'Short by one', min: 1, max: 2 })
  const roomy = await createSession(w.db, w.central, { date: '2026-12-03', title: 'Room for more', min: 1, max: 3 })
  await fillSession(w.db, roomy, 1)
  const full = await createSession(w.db, w.central, { date: '2026-12-04', title: 'Already full', min: 1, max: 1 })
  await fillSession(w.db, full, 1)
  const later = await createSession(w.db, w.central, { date: '2027-01-20', title: 'Seven weeks away', min: 1, max: 2 })
  const cancelled = await createSession(w.db, w.central, { date: '2026-12-05', title: 'Called off', min: 1, max: 2 })
  await w.db.updateTable('sessions').set({ status: 'cancelled' }).where('id', '=', cancelled).execute()
  const past = await createSession(w.db, w.central, { date: '2026-11-30', start: '08:00', end: '08:30', title: 'This morning, over', min: 1, max: 2 })
  const theirs = await createSession(w.db, w.otherBranch, { date: '2026-12-02', title: 'Someone else’s', min: 1, max: 2 })
  return { w, short2, short1, roomy, full, later, cancelled, past, theirs }
}

t.test('sessions below their minimum, soonest first, with how short; counts per branch and week', async (t) => {
  const { w } = await board(t)
  const res = await w.coordinator.get('/coordinate/gaps')
  t.equal(res.statusCode, 200)
  const body = res.body
  t.match(body, /2 sessions short of 3 volunteers/)
  t.ok(body.indexOf('Short by one') < body.indexOf('Short by two'), 'soonest first')
  t.match(body, /Short by one<\/a>[\s\S]*?govuk-tag--red">1</)
  t.match(body, /Short by two<\/a>[\s\S]*?govuk-tag--red">2</)
  t.match(body, /At their minimum, with room for more[\s\S]*Room for more/, 'room-for-more shown apart')
  t.notMatch(body, /Already full|Seven weeks away|Called off|This morning, over|Someone else/, 'nothing full, outside the 4 weeks, cancelled, past or another service’s')
  // Counts: Central has one short session (2 places) in the week of 7 December; East one (1) in the week of 30 November.
  t.match(body, /w\/c 30 Nov[\s\S]*w\/c 7 Dec[\s\S]*w\/c 14 Dec[\s\S]*w\/c 21 Dec/)
  t.match(body, /Central Library<\/a><\/th>\s*<td[^>]*>–<\/td><td[^>]*>1 \(2\)<\/td>/)
  t.match(body, /East Library<\/a><\/th>\s*<td[^>]*>1 \(1\)<\/td>/)
})

t.test('filters work as plain links and as htmx swaps of the board alone', async (t) => {
  const { w } = await board(t)
  const plain = await w.coordinator.get(`/coordinate/gaps?branch=${w.central}&weeks=12`)
  t.match(plain.body, /<html/)
  t.match(plain.body, /Short by two/)
  t.match(plain.body, /Seven weeks away/, 'twelve weeks reach January')
  t.notMatch(plain.body, /Short by one/, 'only Central')
  t.match(plain.body, /<option value="12" selected>12 weeks/)
  t.equal(plain.headers.vary, 'HX-Request')

  const swapped = await w.coordinator.get(`/coordinate/gaps?branch=${w.east}&weeks=1`, { 'hx-request': 'true' })
  t.notMatch(swapped.body, /<html/, 'only the board for htmx')
  t.match(swapped.body, /1 session short of 1 volunteer/)
  t.match(swapped.body, /data-focus-after-swap/)

  const from = await w.coordinator.get('/coordinate/gaps?from=2026-12-07&weeks=1')
  t.match(from.body, /Short by two/)
  t.notMatch(from.body, /Short by one/)

  // Nonsense in the query falls back to the defaults rather than failing.
  const odd = await w.coordinator.get('/coordinate/gaps?from=yesterday&weeks=1000')
  t.equal(odd.statusCode, 200)
  t.match(odd.body, /<option value="4" selected>4 weeks/)
})

t.test('a branch coordinator sees only their branch; another service’s branch is refused', async (t) => {
  const { w } = await board(t)
  const east = await new Client(w.app).signInAs(w.eastCoordinatorId)
  const res = await east.get('/coordinate/gaps')
  t.match(res.body, /Short by one/)
  t.notMatch(res.body, /Short by two|Central Library/)
  const refused = await east.get(`/coordinate/gaps?branch=${w.central}`)
  t.equal(refused.statusCode, 403)
  t.notMatch(refused.body, /Short by two/)
  const other = await w.coordinator.get(`/coordinate/gaps?branch=${w.otherBranch}`)
  t.equal(other.statusCode, 403)
})
