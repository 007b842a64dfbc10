// Prompted recording: when a session ends its volunteers are emailed one link to a short form (were you there, the report) that works once and for 14 days.
import t, { type Test } from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { textOf } from '../bookings/world.js'
import { queueRecordingPrompts } from '../../src/evidence/recording-links.service.js'
import { runDueJobs, scheduledJobs } from '../../src/jobs/schedulers.js'
import { evidenceWorld } from './world.js'

t.comment(`database: ${databaseLabel}`)

const DAY = 86_400_000

/** The clock stands at 2026-11-30 09:00 UTC: "Sunday drop-in" ended yesterday at noon. */
async function recordingWorld(t: Test) {
  const w = await evidenceWorld(t)
  const sessionId = await w.session({ date: '2026-11-29', start: '10:00', end: '12:00', title: 'Sunday drop-in', max: 6 })
  const ewa = await w.volunteer({ name: 'Ewa Nowak' })
  const raj = await w.volunteer({ name: 'Raj Patel' })
  const ewaPlace = await w.place(sessionId, ewa.volunteerId)
  const rajPlace = await w.place(sessionId, raj.volunteerId)
  const prompts = async () => w.db.selectFrom('outbox').select(['dedupe_key', 'to_address', 'subject', 'text_body', 'html_body']).where('kind', '=', 'recording-prompt').orderBy('id').execute()
  /** The path of the link in the newest prompt to this address. */
  const linkFor = async (address: string, title = 'Sunday drop-in') => {
    const mail = (await prompts()).filter((m) => m.to_address === address && m.subject.startsWith(`How did ${title} go?`)).at(-1)
    if (!mail) throw new Error(`no recording prompt to ${address}`)
    return /http:\/\/rota\.test(\/record\/[A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!
  }
  const report = async (id = sessionId) => (await w.db.selectFrom('session_reports').selectAll().where('session_id', '=', id).executeTakeFirst()) ?? null
  const topics = async (id = sessionId) => w.db.selectFrom('session_report_topics').select(['skill_id', 'people_count']).where('session_id', '=', id).orderBy('skill_id').execute()
  const emailOf = async (personId: number) => (await w.db.selectFrom('people').select('email').where('id', '=', personId).executeTakeFirstOrThrow()).email
  /** Everything a submission may change. */
  const state = async () => ({
    marks: await w.db.selectFrom('attendance_marks').select(['assignment_id', 'outcome', 'source']).orderBy('assignment_id').execute(),
    places: await w.db.selectFrom('assignments').select(['id', 'state']).orderBy('id').execute(),
    reports: await w.db.selectFrom('session_reports').select(['session_id', 'people_helped', 'notes']).orderBy('session_id').execute(),
    topics: await w.db.selectFrom('session_report_topics').select(['session_id', 'skill_id', 'people_count']).orderBy('session_id').orderBy('skill_id').execute(),
    links: await w.db.selectFrom('recording_links').select(['id', 'used_at']).orderBy('id').execute(),
  })
  return { ...w, sessionId, ewa, raj, ewaPlace, rajPlace, prompts, linkFor, report, topics, emailOf, state }
}

t.test('the job emails each volunteer on an ended session once; the link opens the form; a POST records attendance and report', async (t) => {
  const w = await recordingWorld(t)
  // Places the job must leave alone: a session not ended, one ended long ago, a cancelled one, someone who left.
  const future = await w.session({ date: '2026-12-02', title: 'Future drop-in' })
  const old = await w.session({ date: '2026-11-20', title: 'Old drop-in' })
  const cancelled = await w.session({ date: '2026-11-29', start: '13:00', end: '14:00', title: 'Cancelled drop-in' })
  await w.db.updateTable('sessions').set({ status: 'cancelled', cancelled_at: 0 }).where('id', '=', cancelled).execute()
  const left = await w.volunteer({ name: 'Lou Left' })
  await w.place(w.sessionId, left.volunteerId)
  await w.db.updateTable('volunteers').set({ status: 'left' }).where('id', '=', left.volunteerId).execute()
  const gone = await w.volunteer({ name: 'Ana Nonymous' })
  await w.place(w.sessionId, gone.volunteerId)
  await w.db.updateTable('people').set({ anonymised_at: 1 }).where('id', '=', gone.personId).execute()
  for (const s of [future, old, cancelled]) await w.place(s, w.ewa.volunteerId)

  t.ok(scheduledJobs.some((j) => j.name === 'recording-prompts' && j.everyMs === 5 * 60_000), 'a scheduled job every 5 minutes')
  t.ok((await runDueJobs(w.app.ctx, 'test')).includes('recording-prompts'), 'it runs with the others')
  t.equal(await queueRecordingPrompts(w.app.ctx), 0, 'run again: nothing more')
  w.clock.set(w.clock.now() + 10 * 60_000)
  await runDueJobs(w.app.ctx, 'test')
  const mails = await w.prompts()
  t.same(mails.map((m) => m.dedupe_key).sort(), [`recording-prompt:${w.ewaPlace}`, `recording-prompt:${w.rajPlace}`].sort(), 'one email per volunteer still with us, for the ended session only')
  t.equal(mails[0]!.subject, 'How did Sunday drop-in go? Record it in 30 seconds')
  t.match(mails[0]!.text_body, /http:\/\/rota\.test\/record\/[A-Za-z0-9_-]{43}\n/)
  t.match(mails[0]!.html_body, /href="http:\/\/rota\.test\/record\/[A-Za-z0-9_-]{43}"/)
  const link = await w.linkFor(await w.emailOf(w.ewa.personId))
  const stored = await w.db.selectFrom('recording_links').select(['token_hash', 'expires_at']).where('assignment_id', '=', w.ewaPlace).executeTakeFirstOrThrow()
  t.not(stored.token_hash, link.slice('/record/'.length), 'only a hash of the token is stored')
  t.equal(stored.expires_at, w.clock.now() - 10 * 60_000 + 14 * DAY, 'expires 14 days after it was sent')

  const phone = new Client(w.app)
  const form = await phone.get(link)
  t.equal(form.statusCode, 200)
  t.equal(form.headers['cache-control'], 'no-store')
  t.equal(form.headers['referrer-policy'], 'no-referrer')
  const text = textOf(form.body)
  t.match(text, /How did Sunday drop-in go\?/)
  t.match(text, /Sunday 29 November 2026/)
  t.match(text, /Central Library/)
  t.match(text, /Were you there\? I was there I couldn’t go/)
  t.match(text, /Do not write anything about the people you helped: no names, no contact details\./)
  t.match(text, /NHS App and health/)
  t.notMatch(text, /A report is already in/)

  const res = await phone.post(link, { outcome: 'attended', people: '6', [`topic-${w.skills.nhs}`]: '4', 'new-to-library': '2', note: 'Busy but fine' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  t.match(textOf(res.body), /Thank you Recorded for Sunday drop-in, Sunday 29 November 2026 You were there, and the session report is saved\./)
  t.match(await w.markOf(w.ewaPlace), { outcome: 'attended', source: 'volunteer', marked_by_person_id: w.ewa.personId })
  t.equal(await w.stateOf(w.ewaPlace), 'attended')
  t.match(await w.report(), { people_helped: 6, new_to_library: 2, came_back: null, notes: 'Busy but fine', recorded_by_person_id: w.ewa.personId })
  t.same(await w.topics(), [{ skill_id: w.skills.nhs, people_count: 4 }])
  const log = (await w.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action)
  t.same(log.filter((a) => /attendance|session_report|recording_link/.test(a)), ['attendance.marked', 'session_report.recorded', 'recording_link.used'], 'audited')

  // Raj's link now shows the report as already in, prefilled, and he can correct it.
  const rajLink = await w.linkFor(await w.emailOf(w.raj.personId))
  const rajForm = await new Client(w.app).get(rajLink)
  t.match(textOf(rajForm.body), /A report is already in for this session \(below\); you can correct it\./)
  t.match(rajForm.body, /id="people" name="people" type="text" inputmode="numeric" spellcheck="false" autocomplete="off" value="6"/)
})

t.test('the link works once: a second use is refused and changes nothing', async (t) => {
  const w = await recordingWorld(t)
  await queueRecordingPrompts(w.app.ctx)
  const link = await w.linkFor(await w.emailOf(w.ewa.personId))
  const phone = new Client(w.app)
  await phone.get(link)
  t.equal((await phone.post(link, { outcome: 'attended', people: '3' })).statusCode, 200)
  const before = await w.state()
  const again = await phone.post(link, { outcome: 'no_show', people: '9' })
  t.equal(again.statusCode, 410)
  t.match(textOf(again.body), /This link has been used .*Sign in to change what you recorded/)
  t.match(again.body, /href="\/sign-in\?next=\/my-sessions"/)
  t.same(await w.state(), before, 'nothing changed')
  const opened = await phone.get(link)
  t.equal(opened.statusCode, 410)
  t.match(textOf(opened.body), /This link has been used/)
  t.equal(opened.headers['cache-control'], 'no-store')
})

t.test('the link expires after 14 days', async (t) => {
  const w = await recordingWorld(t)
  await queueRecordingPrompts(w.app.ctx)
  const link = await w.linkFor(await w.emailOf(w.ewa.personId))
  const phone = new Client(w.app)
  w.clock.set(w.clock.now() + 14 * DAY - 60_000)
  t.equal((await phone.get(link)).statusCode, 200, 'a minute before: still open')
  w.clock.set(w.clock.now() + 60_000)
  const res = await phone.get(link)
  t.equal(res.statusCode, 410)
  t.match(textOf(res.body), /This link has expired Links last 14 days\./)
  const before = await w.state()
  const posted = await phone.post(link, { outcome: 'attended', people: '3' })
  t.equal(posted.statusCode, 410)
  t.match(textOf(posted.body), /This link has expired/)
  t.same(await w.state(), before, 'nothing saved')
})

t.test('bad answers get a clear message, keep what was typed, save nothing and leave the link usable', async (t) => {
  const w = await recordingWorld(t)
  await queueRecordingPrompts(w.app.ctx)
  const link = await w.linkFor(await w.emailOf(w.ewa.personId))
  const phone = new Client(w.app)
  await phone.get(link)
  const before = await w.state()
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['negative', { outcome: 'attended', people: '-2' }, /How many people you helped must be 0 or more/],
    ['huge', { outcome: 'attended', people: '100000' }, /How many people you helped must be 500 or fewer/],
    ['not a number', { outcome: 'attended', people: 'abc' }, /How many people you helped must be a whole number, like 6/],
    ['a bad topic count', { outcome: 'attended', people: '2', [`topic-${w.skills.nhs}`]: 'abc' }, /The number helped with NHS App and health must be a whole number/],
    ['an unknown topic', { outcome: 'attended', people: '2', 'topic-99999': '1' }, /Choose topics from the list/],
    ['a language as a topic', { outcome: 'attended', people: '2', [`topic-${w.skills.polish}`]: '1' }, /Choose topics from the list/],
    ['no answer to "were you there"', { people: '2' }, /Choose “I was there” or “I couldn’t go”/],
    ['a made-up answer', { outcome: 'maybe', people: '2' }, /Choose “I was there” or “I couldn’t go”/],
    ['there, but no count', { outcome: 'attended' }, /Enter how many people you helped, as a number like 6/],
  ]
  for (const [what, form, message] of cases) {
    const res = await phone.post(link, { ...form, note: 'kept note' })
    t.equal(res.statusCode, 400, what)
    const text = textOf(res.body)
    t.match(text, /^Error: /, `${what}: the title says there is an error`)
    t.match(text, new RegExp(`There is a problem ${message.source}`), `${what}: in the error summary`)
    t.match(res.body, /<textarea[^>]*>kept note<\/textarea>/, `${what}: what was typed is kept`)
    if (form.people) t.match(res.body, new RegExp(`id="people" name="people"[^>]*value="${form.people}"`), `${what}: the count as typed`)
    if (form.outcome === 'attended') t.match(res.body, /value="attended" checked/, `${what}: the answer kept`)
  }
  t.same(await w.state(), before, 'nothing saved, the link not used')
  const ok = await phone.post(link, { outcome: 'attended', people: '2' })
  t.equal(ok.statusCode, 200, 'the link still works')
  t.match(await w.report(), { people_helped: 2 })
})

t.test('someone who could not go says so and leaves the rest blank', async (t) => {
  const w = await recordingWorld(t)
  await queueRecordingPrompts(w.app.ctx)
  const link = await w.linkFor(await w.emailOf(w.raj.personId))
  const phone = new Client(w.app)
  await phone.get(link)
  const res = await phone.post(link, { outcome: 'no_show', people: '' })
  t.equal(res.statusCode, 200)
  t.match(textOf(res.body), /You could not go\./)
  t.match(await w.markOf(w.rajPlace), { outcome: 'no_show', source: 'volunteer' })
  t.equal(await w.report(), null, 'no report asked of them')
})

t.test("a link records only its own session and place; a coordinator's mark stands", async (t) => {
  const w = await recordingWorld(t)
  const other = await w.session({ date: '2026-11-29', start: '13:00', end: '15:00', title: 'Afternoon drop-in' })
  const otherPlace = await w.place(other, w.ewa.volunteerId)
  await queueRecordingPrompts(w.app.ctx)
  const links = (await w.prompts()).filter((m) => m.subject.startsWith('How did Sunday drop-in'))
  t.equal(links.length, 2)
  const link = await w.linkFor(await w.emailOf(w.raj.personId))
  const phone = new Client(w.app)
  await phone.get(link)
  // Fields naming another session or place are not part of the form: the link decides.
  const res = await phone.post(link, { outcome: 'attended', people: '5', session: String(other), sessionId: String(other), assignment: String(otherPlace) })
  t.equal(res.statusCode, 200)
  t.match(await w.report(), { people_helped: 5 })
  t.equal(await w.report(other), null, 'the other session has no report')
  t.equal(await w.markOf(otherPlace), null, 'the other place is not marked')
  t.equal(await w.markOf(w.ewaPlace), null, "Ewa's place on the same session is not marked")

  // A coordinator marked Ewa: her form says so and her answer cannot change it.
  const casey = await w.signIn(w.coordinator)
  t.equal((await casey.post(`/coordinate/sessions/${w.sessionId}/attendance`, { [`attendance-${w.ewa.volunteerId}`]: 'no_show' })).statusCode, 303)
  const ewaLink = await w.linkFor(await w.emailOf(w.ewa.personId))
  const ewaPhone = new Client(w.app)
  const form = await ewaPhone.get(ewaLink)
  t.match(textOf(form.body), /A coordinator has recorded that you did not come/)
  t.notMatch(form.body, /name="outcome"/)
  t.equal((await ewaPhone.post(ewaLink, { outcome: 'attended', people: '5' })).statusCode, 200)
  t.match(await w.markOf(w.ewaPlace), { outcome: 'no_show', source: 'coordinator' })
})

t.test('no prompt when attendance is already marked and the session has a report', async (t) => {
  const w = await recordingWorld(t)
  const casey = await w.signIn(w.coordinator)
  t.equal((await casey.post(`/sessions/${w.sessionId}/report`, { people: '3' })).statusCode, 303)
  t.equal((await casey.post(`/coordinate/sessions/${w.sessionId}/attendance`, { [`attendance-${w.ewa.volunteerId}`]: 'attended' })).statusCode, 303)
  // On another ended session with no report, a coordinator marked Raj "did not come": nothing to ask him either.
  const other = await w.session({ date: '2026-11-29', start: '13:00', end: '15:00', title: 'Afternoon drop-in' })
  await w.place(other, w.raj.volunteerId)
  const otherEwa = await w.place(other, w.ewa.volunteerId)
  t.equal((await casey.post(`/coordinate/sessions/${other}/attendance`, { [`attendance-${w.raj.volunteerId}`]: 'no_show' })).statusCode, 303)
  await queueRecordingPrompts(w.app.ctx)
  t.same((await w.prompts()).map((m) => m.dedupe_key).sort(), [`recording-prompt:${w.rajPlace}`, `recording-prompt:${otherEwa}`].sort(), 'Raj for the morning (not marked), Ewa for the afternoon (no report yet)')
})

t.test('garbled, unknown or very long tokens get a clear page, never a 500', async (t) => {
  const w = await recordingWorld(t)
  await queueRecordingPrompts(w.app.ctx)
  const phone = new Client(w.app)
  for (const url of ['/record/%00', '/record/not-a-token', `/record/${'A'.repeat(43)}`, `/record/${'a'.repeat(150)}`]) {
    const res = await phone.get(url)
    t.equal(res.statusCode, 404, `${url.slice(0, 40)}: 404`)
    t.match(textOf(res.body), /This recording link is not right\. Check you copied all of it from the email/, `${url.slice(0, 40)}: says what to do`)
  }
  for (const url of [`/record/${'a'.repeat(5000)}`, '/record/%E0%A4%A']) {
    const res = await phone.get(url)
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${url.slice(0, 40)}: ${res.statusCode}, not a 500`)
  }
  const posted = await phone.post(`/record/${'A'.repeat(43)}`, { outcome: 'attended', people: '3' })
  t.equal(posted.statusCode, 404)
  t.equal(await w.report(), null)
})
