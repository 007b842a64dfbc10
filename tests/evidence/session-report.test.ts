// The session report form: who may record it, its validation (bad counts, unknown topics change nothing), editing, and what it says about personal data.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { textOf } from '../bookings/world.js'
import { evidenceWorld } from './world.js'

t.comment(`database: ${databaseLabel}`)

async function reportWorld(t: Parameters<typeof evidenceWorld>[0]) {
  const w = await evidenceWorld(t)
  const sessionId = await w.session({ date: '2026-11-24', start: '10:00', end: '12:00', title: 'Tuesday drop-in' })
  const ewa = await w.volunteer({ name: 'Ewa Nowak' })
  await w.place(sessionId, ewa.volunteerId)
  const report = async () => (await w.db.selectFrom('session_reports').selectAll().where('session_id', '=', sessionId).executeTakeFirst()) ?? null
  const topics = async () => (await w.db.selectFrom('session_report_topics').select(['skill_id', 'people_count']).where('session_id', '=', sessionId).orderBy('skill_id').execute())
  return { ...w, sessionId, ewa, report, topics }
}

t.test('a volunteer on the session records the report; it says no personal data is asked for', async (t) => {
  const w = await reportWorld(t)
  const ewa = await w.signIn(w.ewa.personId)
  const form = await ewa.get(`/sessions/${w.sessionId}/report`)
  t.equal(form.statusCode, 200)
  const text = textOf(form.body)
  t.match(text, /Record the session report/)
  t.match(text, /does not keep, any personal details of members of the public/)
  t.match(text, /What did you help them with\? .* NHS App and health Smartphones and tablets/)
  t.notMatch(text, /Polish/, 'languages are not topics')
  const res = await ewa.post(`/sessions/${w.sessionId}/report`, { people: '7', [`topic-${w.skills.nhs}`]: '4', [`topic-${w.skills.phones}`]: '5', 'new-to-library': '2', 'came-back': '', note: 'Busy morning' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/my-sessions')
  t.match(await w.report(), { people_helped: 7, new_to_library: 2, came_back: null, notes: 'Busy morning', recorded_by_person_id: w.ewa.personId })
  t.same(await w.topics(), [{ skill_id: w.skills.nhs, people_count: 4 }, { skill_id: w.skills.phones, people_count: 5 }].sort((a, b) => a.skill_id - b.skill_id))

  // Editing replaces it, audited with what it was.
  const again = await ewa.get(`/sessions/${w.sessionId}/report`)
  t.match(textOf(again.body), /Change the session report/)
  t.match(again.body, /id="people" name="people" type="text" inputmode="numeric" spellcheck="false" autocomplete="off" value="7"/)
  t.equal((await ewa.post(`/sessions/${w.sessionId}/report`, { people: '8', [`topic-${w.skills.nhs}`]: '8' })).statusCode, 303)
  t.match(await w.report(), { people_helped: 8, new_to_library: null })
  t.same(await w.topics(), [{ skill_id: w.skills.nhs, people_count: 8 }])
  const log = await w.db.selectFrom('audit_log').select(['action', 'detail']).where('object_type', '=', 'session').orderBy('id').execute()
  t.same(log.map((l) => l.action), ['session_report.recorded', 'session_report.changed'])
  t.match(JSON.parse(log[1]!.detail), { peopleHelped: 8, previous: { peopleHelped: 7 } })
})

t.test('bad counts and unknown topics get a clear message and change nothing', async (t) => {
  const w = await reportWorld(t)
  const casey = await w.signIn(w.coordinator)
  t.equal((await casey.post(`/sessions/${w.sessionId}/report`, { people: '3', [`topic-${w.skills.nhs}`]: '3' })).statusCode, 303)
  const before = { report: await w.report(), topics: await w.topics() }
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['negative', { people: '-2' }, /How many people you helped must be 0 or more/],
    ['huge', { people: '100000' }, /How many people you helped must be 500 or fewer/],
    ['not a number', { people: 'lots' }, /How many people you helped must be a whole number, like 6/],
    ["a fraction", { people: "2.5" }, /How many people you helped must be a whole number/],
    ['blank', { people: '' }, /Enter how many people you helped, as a number like 6/],
    ['a topic count above the total', { people: '2', [`topic-${w.skills.nhs}`]: '3' }, /The number helped with NHS App and health cannot be more than the 2 people helped/],
    ['a negative topic count', { people: '2', [`topic-${w.skills.nhs}`]: '-1' }, /The number helped with NHS App and health must be 0 or more/],
    ['an unknown topic', { people: '2', 'topic-99999': '1' }, /Choose topics from the list/],
    ['a language as a topic', { people: '2', [`topic-${w.skills.polish}`]: '1' }, /Choose topics from the list/],
    ['too long a note', { people: '2', note: 'x'.repeat(501) }, /The note must be 500 characters or fewer/],
  ]
  for (const [what, form, message] of cases) {
    const res = await casey.post(`/sessions/${w.sessionId}/report`, form)
    t.equal(res.statusCode, 400, what)
    const text = textOf(res.body)
    t.match(text, /^Error: /, `${what}: the title says there is an error`)
    t.match(text, new RegExp(`There is a problem ${message.source}`), `${what}: in the error summary`)
    t.match(res.body, /govuk-error-message/, `${what}: inline too`)
  }
  t.same({ report: await w.report(), topics: await w.topics() }, before, 'nothing changed')
})

t.test('only the session\'s volunteers and its coordinators may record its report', async (t) => {
  const w = await reportWorld(t)
  const nora = await w.signIn(w.northOnly)
  t.equal((await nora.get(`/sessions/${w.sessionId}/report`)).statusCode, 403, 'a coordinator of another branch')
  t.equal((await nora.post(`/sessions/${w.sessionId}/report`, { people: '4' })).statusCode, 403)
  const other = await w.volunteer({ name: 'Not On It' })
  const stranger = await w.signIn(other.personId)
  t.equal((await stranger.get(`/sessions/${w.sessionId}/report`)).statusCode, 403, 'a volunteer without a place')
  t.equal((await stranger.post(`/sessions/${w.sessionId}/report`, { people: '4' })).statusCode, 403)
  t.equal(await w.report(), null, 'nothing recorded')
  // The whole-service coordinator may, and is sent back to the session page.
  const sam = await w.signIn(w.wholeService)
  const res = await sam.post(`/sessions/${w.sessionId}/report`, { people: '4' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/coordinate/sessions/${w.sessionId}#report`)
  // Not for a cancelled session, nor one that has not started.
  const cancelled = await w.session({ date: '2026-11-25' })
  await w.db.updateTable('sessions').set({ status: 'cancelled', cancelled_at: 0 }).where('id', '=', cancelled).execute()
  const refused = await sam.post(`/sessions/${cancelled}/report`, { people: '4' })
  t.equal(refused.statusCode, 409)
  t.match(textOf(refused.body), /This session was cancelled, so there is nothing to record/)
  const future = await w.session({ date: '2026-12-10' })
  t.equal((await sam.post(`/sessions/${future}/report`, { people: '4' })).statusCode, 409)
})
