// Auto-fill from the coordinator's side: a proposal to review, lines dropped, invitations (or places) sent in one step, re-checked when sent.
import t, { type Test } from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { createSession } from '../helpers/fixtures.js'
import { world, volunteer, outbox, type World } from './world.js'

t.comment(`database: ${databaseLabel}`)

async function setup(t: Test) {
  const w = await world(t)
  const s1 = await createSession(w.db, w.central, { date: '2026-12-08', start: '10:00', end: '12:00', title: 'Tuesday drop-in', min: 2, max: 3 })
  const s2 = await createSession(w.db, w.central, { date: '2026-12-10', start: '14:00', end: '16:00', title: 'Thursday NHS help', min: 1, max: 1 })
  await w.db.insertInto('session_skills').values({ session_id: s2, skill_id: w.skills.nhs, requirement: 'required' }).execute()
  const s3 = await createSession(w.db, w.east, { date: '2026-12-08', start: '10:30', end: '11:30', title: 'East clash', min: 1, max: 1 })
  const ann = await volunteer(w, 'ann@example.org', 'Ann Everywhere', [w.central, w.east], { skills: [w.skills.nhs] })
  const bob = await volunteer(w, 'bob@example.org', 'Bob Central', [w.central])
  const cy = await volunteer(w, 'cy@example.org', 'Cy East', [w.east], { maxPerMonth: 0 })
  return { w, s1, s2, s3, ann, bob, cy }
}

function lines(body: string): string[] {
  return [...body.matchAll(/name="lines" type="checkbox" value="(\d+:\d+)"/g)].map((m) => m[1]!)
}

async function propose(w: World, query = 'from=2026-11-30&until=2026-12-27') {
  return w.coordinator.get(`/coordinate/autofill?run=1&${query}`)
}

t.test('the proposal fills what the rules allow, explains itself, and sends invitations for the lines kept', async (t) => {
  const { w, s1, s2, s3, ann, bob } = await setup(t)
  const empty = await w.coordinator.get('/coordinate/autofill')
  t.equal(empty.statusCode, 200)
  t.notMatch(empty.body, /Proposal:/, 'nothing is proposed until asked')

  const res = await propose(w)
  t.equal(res.statusCode, 200)
  const proposed = lines(res.body)
  // Ann can do any one of the three (clash between s1 and s3, NHS only she has), Bob only s1; Cy has no room this month.
  t.equal(proposed.length, 3, 'three places: the most the rules allow')
  t.ok(proposed.includes(`${s1}:${bob.volunteerId}`))
  t.ok(proposed.includes(`${s2}:${ann.volunteerId}`), 'the NHS session gets the only person with the skill')
  t.notOk(proposed.some((l) => l.startsWith(`${s1}:`) && l.endsWith(`:${ann.volunteerId}`) && proposed.includes(`${s3}:${ann.volunteerId}`)), 'never two overlapping sessions')
  t.match(res.body, /Needed for minimum/)
  t.match(res.body, /Still short after this/)
  t.match(res.body, /How auto-fill chooses/)

  // Drop Bob's line, send invitations for the rest.
  const kept = proposed.filter((l) => l !== `${s1}:${bob.volunteerId}`)
  const sent = await w.coordinator.post('/coordinate/autofill', { lines: kept, mode: 'invite', from: '2026-11-30', until: '2026-12-27' })
  t.equal(sent.statusCode, 200)
  t.match(sent.body, /2 invitations sent/)
  t.equal((await outbox(w.db, 'bob@example.org')).length, 0, 'the dropped line sent nothing')
  const annMail = await outbox(w.db, 'ann@example.org')
  t.equal(annMail.filter((m) => m.kind === 'invitation').length, 2)
  const sources = await w.db.selectFrom('assignments').select(['state', 'source']).where('volunteer_id', '=', ann.volunteerId).execute()
  t.same(sources.map((x) => x), [{ state: 'invited', source: 'auto_fill' }, { state: 'invited', source: 'auto_fill' }])

  // Invitations waiting for an answer count as taken: a second run proposes only Bob's place.
  const again = lines((await propose(w)).body)
  t.same(again, [`${s1}:${bob.volunteerId}`])
  void s3
})

t.test('adding directly in one step confirms each kept line with a calendar invite', async (t) => {
  const { w, s1, s3, bob } = await setup(t)
  const proposed = lines((await propose(w, `branch=${w.central}&from=2026-11-30&until=2026-12-27`)).body)
  t.ok(proposed.length > 0 && proposed.every((l) => !l.startsWith(`${s3}:`)), 'only the chosen branch')
  const res = await w.coordinator.post('/coordinate/autofill', { lines: proposed, mode: 'assign', from: '2026-11-30', until: '2026-12-27' })
  t.match(res.body, new RegExp(`${proposed.length} volunteers added`))
  const confirmed = await w.db.selectFrom('assignments').select(['session_id', 'volunteer_id', 'source']).where('state', '=', 'confirmed').execute()
  t.equal(confirmed.length, proposed.length)
  t.ok(confirmed.every((c) => c.source === 'auto_fill'))
  t.ok(confirmed.some((c) => c.session_id === s1 && c.volunteer_id === bob.volunteerId))
  t.equal((await outbox(w.db, 'bob@example.org')).at(-1)!.ical_method, 'REQUEST')
})

t.test('sending re-checks every line: what changed since the review is reported, not sent', async (t) => {
  const { w, s1, bob, ann } = await setup(t)
  // Bob goes on leave after the proposal was made; and a tampered line points at another service.
  await w.db.insertInto('time_off').values({ volunteer_id: bob.volunteerId, start_date: '2026-12-07', end_date: '2026-12-09', note: '' }).execute()
  const res = await w.coordinator.post('/coordinate/autofill', { lines: [`${s1}:${bob.volunteerId}`], mode: 'invite', from: '2026-11-30', until: '2026-12-27' })
  t.match(res.body, /0 invitations sent/)
  t.match(res.body, /Bob Central: on leave until 9 Dec/)
  const theirs = await createSession(w.db, w.otherBranch, { date: '2026-12-08', min: 1, max: 2 })
  const forged = await w.coordinator.post('/coordinate/autofill', { lines: [`${theirs}:${ann.volunteerId}`], mode: 'assign', from: '2026-11-30', until: '2026-12-27' })
  t.equal(forged.statusCode, 403)
  t.equal((await w.db.selectFrom('assignments').selectAll().execute()).length, 0, 'nothing was sent')
})

t.test('bad ranges get clear messages', async (t) => {
  const { w } = await setup(t)
  const backwards = await propose(w, 'from=2026-12-20&until=2026-12-01')
  t.equal(backwards.statusCode, 400)
  t.match(backwards.body, /The end date must be on or after the start date/)
  const long = await propose(w, 'from=2026-12-01&until=2027-06-01')
  t.match(long.body, /up to three months at a time/)
  const nothing = await w.coordinator.post('/coordinate/autofill', { mode: 'invite', from: '2026-11-30', until: '2026-12-27' })
  t.equal(nothing.statusCode, 400)
  t.match(nothing.body, /Keep at least one line to send/)
})

t.test('someone a coordinator took off a session is not proposed for it again', async (t) => {
  const { w, s1, bob } = await setup(t)
  await w.coordinator.post(`/coordinate/sessions/${s1}/assign`, { assign: String(bob.volunteerId) })
  await w.coordinator.post(`/coordinate/sessions/${s1}/remove`, { volunteer: String(bob.volunteerId) })
  const proposed = lines((await propose(w)).body)
  t.notOk(proposed.includes(`${s1}:${bob.volunteerId}`))
})
