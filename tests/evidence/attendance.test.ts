// Attendance after a session: coordinators and volunteers mark places, the coordinator's mark stands, 30 days to correct, audited, scoped to the coordinator's branches.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { textOf } from '../bookings/world.js'
import { evidenceWorld } from './world.js'

t.comment(`database: ${databaseLabel}`)

// The clock stands at Monday 30 November 2026, 09:00 UTC.
async function heldSession(t: Parameters<typeof evidenceWorld>[0]) {
  const w = await evidenceWorld(t)
  const session = await w.session({ date: '2026-11-24', start: '10:00', end: '12:00', title: 'Tuesday drop-in', max: 3 })
  const ewa = await w.volunteer({ name: 'Ewa Nowak' })
  const tom = await w.volunteer({ name: 'Tom Price' })
  const ewaPlace = await w.place(session, ewa.volunteerId)
  const tomPlace = await w.place(session, tom.volunteerId)
  return { ...w, sessionId: session, ewa, tom, ewaPlace, tomPlace }
}

t.test('a coordinator marks who came on the session page; hours in My sessions follow', async (t) => {
  const w = await heldSession(t)
  const casey = await w.signIn(w.coordinator)
  const page = await casey.get(`/coordinate/sessions/${w.sessionId}`)
  t.match(textOf(page.body), /Who came .* Ewa Nowak Not marked yet Was there Did not come Tom Price Not marked yet/)
  const res = await casey.post(`/coordinate/sessions/${w.sessionId}/attendance`, { [`attendance-${w.ewa.volunteerId}`]: 'attended', [`attendance-${w.tom.volunteerId}`]: 'no_show' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/coordinate/sessions/${w.sessionId}#attendance`)
  t.match(textOf((await casey.get(`/coordinate/sessions/${w.sessionId}`)).body), /Attendance saved for 2 volunteers\. .* Ewa Nowak Marked by a coordinator/)
  t.equal(await w.stateOf(w.ewaPlace), 'attended')
  t.equal(await w.stateOf(w.tomPlace), 'no_show')
  t.match(await w.markOf(w.ewaPlace), { source: 'coordinator', outcome: 'attended', marked_by_person_id: w.coordinator })
  t.same(await w.auditActions(), ['attendance.marked', 'attendance.marked'])
  const count = await w.db.selectFrom('sessions').select('confirmed_count').where('id', '=', w.sessionId).executeTakeFirstOrThrow()
  t.equal(count.confirmed_count, 2, 'both places stay counted')

  const tomsPage = textOf((await (await w.signIn(w.tom.personId)).get('/my-sessions')).body)
  t.match(tomsPage, /Once you have helped at a session, your hours show here/, 'a no-show earns no hours')
  t.match(tomsPage, /The coordinator recorded that you could not go/)
  t.notMatch(tomsPage, /I was there/, 'no buttons to change a coordinator\'s mark')
  t.match(textOf((await (await w.signIn(w.ewa.personId)).get('/my-sessions')).body), /You have helped at 1 session: 2 hours in all/)
})

t.test('a volunteer marks their own place; the coordinator\'s later mark wins and the volunteer cannot override it', async (t) => {
  const w = await heldSession(t)
  const ewa = await w.signIn(w.ewa.personId)
  t.match(textOf((await ewa.get('/my-sessions')).body), /Tuesday drop-in .* I was there I couldn’t go/)
  const res = await ewa.post(`/my-sessions/${w.ewaPlace}/attendance`, { outcome: 'attended' })
  t.equal(res.statusCode, 303)
  t.match(textOf((await ewa.get('/my-sessions')).body), /Thank you: you were at Tuesday drop-in on Tuesday 24 November 2026\. .* You told us you were there/)
  t.equal(await w.stateOf(w.ewaPlace), 'attended')
  t.match(await w.markOf(w.ewaPlace), { source: 'volunteer' })

  // She can correct her own mark…
  t.equal((await ewa.post(`/my-sessions/${w.ewaPlace}/attendance`, { outcome: 'no_show' })).statusCode, 303)
  t.equal(await w.stateOf(w.ewaPlace), 'no_show')

  // …until a coordinator records it.
  const casey = await w.signIn(w.coordinator)
  t.equal((await casey.post(`/coordinate/sessions/${w.sessionId}/attendance`, { [`attendance-${w.ewa.volunteerId}`]: 'attended' })).statusCode, 303)
  t.match(await w.markOf(w.ewaPlace), { source: 'coordinator', outcome: 'attended' })
  const refused = await ewa.post(`/my-sessions/${w.ewaPlace}/attendance`, { outcome: 'no_show' })
  t.equal(refused.statusCode, 409)
  t.match(textOf(refused.body), /A coordinator has already recorded whether you were there/)
  t.equal(await w.stateOf(w.ewaPlace), 'attended', 'unchanged')
  t.same(await w.auditActions(), ['attendance.marked', 'attendance.corrected', 'attendance.corrected'])

  // Someone else's place is not hers to mark.
  const other = await ewa.post(`/my-sessions/${w.tomPlace}/attendance`, { outcome: 'attended' })
  t.equal(other.statusCode, 404)
  t.equal(await w.stateOf(w.tomPlace), 'confirmed')
})

t.test('corrections are allowed for 30 days after the session, and not before it has ended', async (t) => {
  const w = await heldSession(t)
  // Ended 24 Nov 12:00 UTC; 30 days later is 24 Dec 12:00.
  w.clock.set(Date.parse('2026-12-24T11:00:00Z'))
  const casey = await w.signIn(w.coordinator)
  const ewa = await w.signIn(w.ewa.personId)
  t.equal((await casey.post(`/coordinate/sessions/${w.sessionId}/attendance`, { [`attendance-${w.tom.volunteerId}`]: 'attended' })).statusCode, 303)
  t.equal((await ewa.post(`/my-sessions/${w.ewaPlace}/attendance`, { outcome: 'attended' })).statusCode, 303)

  w.clock.set(Date.parse('2026-12-24T13:00:00Z'))
  const late = await casey.post(`/coordinate/sessions/${w.sessionId}/attendance`, { [`attendance-${w.tom.volunteerId}`]: 'no_show' })
  t.equal(late.statusCode, 409)
  t.match(textOf(late.body), /There is a problem This session ended more than 30 days ago, so its record can no longer be changed/)
  t.equal(await w.stateOf(w.tomPlace), 'attended', 'unchanged')
  const lateOwn = await ewa.post(`/my-sessions/${w.ewaPlace}/attendance`, { outcome: 'no_show' })
  t.equal(lateOwn.statusCode, 409)
  t.equal(await w.stateOf(w.ewaPlace), 'attended')
  t.notMatch(textOf((await ewa.get('/my-sessions')).body), /I couldn’t go/, 'the buttons are gone')

  // A session that has not ended cannot be marked yet.
  w.clock.set(Date.parse('2026-11-30T09:00:00Z'))
  const casey2 = await w.signIn(w.coordinator)
  const coming = await w.session({ date: '2026-11-30', start: '08:30', end: '11:00' })
  await w.place(coming, w.ewa.volunteerId)
  const early = await casey2.post(`/coordinate/sessions/${coming}/attendance`, { [`attendance-${w.ewa.volunteerId}`]: 'attended' })
  t.equal(early.statusCode, 409)
})

t.test('a coordinator of another branch can neither see nor record a session\'s attendance', async (t) => {
  const w = await heldSession(t)
  const nora = await w.signIn(w.northOnly)
  t.equal((await nora.get(`/coordinate/sessions/${w.sessionId}/attendance`)).statusCode, 403)
  const res = await nora.post(`/coordinate/sessions/${w.sessionId}/attendance`, { [`attendance-${w.ewa.volunteerId}`]: 'no_show' })
  t.equal(res.statusCode, 403)
  t.equal(await w.stateOf(w.ewaPlace), 'confirmed')
  t.equal(await w.markOf(w.ewaPlace), null)
  // Nor can a volunteer post the coordinator's form.
  t.equal((await (await w.signIn(w.ewa.personId)).post(`/coordinate/sessions/${w.sessionId}/attendance`, { [`attendance-${w.ewa.volunteerId}`]: 'attended' })).statusCode, 403)
  // A volunteer without a place on the session is refused in the coordinator's form too.
  const stranger = await w.volunteer({ name: 'Stranger' })
  const bad = await (await w.signIn(w.coordinator)).post(`/coordinate/sessions/${w.sessionId}/attendance`, { [`attendance-${stranger.volunteerId}`]: 'attended', [`attendance-${w.ewa.volunteerId}`]: 'attended' })
  t.equal(bad.statusCode, 409)
  t.equal(await w.stateOf(w.ewaPlace), 'confirmed', 'nothing changed, not even the good line')
})
