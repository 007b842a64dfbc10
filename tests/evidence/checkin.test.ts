// Check-in at the branch: the coordinator's printable sheet with a QR code per session, and a booked volunteer's "I'm here", the least trusted source of attendance.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { textOf } from '../bookings/world.js'
import { evidenceWorld } from './world.js'
import { givePlace } from '../helpers/fixtures.js'
import { queueSessionReminders } from '../../src/reminders/reminders.service.js'

t.comment(`database: ${databaseLabel}`)

// The clock stands at Monday 30 November 2026, 09:00 UTC (London is on UTC in winter).
async function today(t: Parameters<typeof evidenceWorld>[0]) {
  const w = await evidenceWorld(t)
  const morning = await w.session({ date: '2026-11-30', start: '10:00', end: '12:00', title: 'Monday morning drop-in', max: 3 })
  const afternoon = await w.session({ date: '2026-11-30', start: '14:00', end: '16:00', title: 'Monday afternoon class', max: 3 })
  const tomorrow = await w.session({ date: '2026-12-01', start: '10:00', end: '12:00', title: 'Tuesday drop-in', max: 3 })
  const called = await w.session({ date: '2026-11-30', start: '13:00', end: '14:00', title: 'Called-off session', max: 3 })
  await w.db.updateTable('sessions').set({ status: 'cancelled', cancelled_at: 0 }).where('id', '=', called).execute()
  const northern = await w.session({ branch: w.north, date: '2026-11-30', start: '10:00', end: '12:00', title: 'Northgate drop-in', max: 3 })
  const ewa = await w.volunteer({ name: 'Ewa Nowak' })
  const tom = await w.volunteer({ name: 'Tom Price' })
  const ewaPlace = await w.place(morning, ewa.volunteerId)
  const tomPlace = await w.place(morning, tom.volunteerId)
  const casey = await w.signIn(w.coordinator)
  const sheetUrl = `/coordinate/branches/${w.central}/checkin`
  /** The session's check-in address (made when the sheet is first opened). */
  const codeOf = async (sessionId: number) => {
    const row = await w.db.selectFrom('sessions').select('checkin_code').where('id', '=', sessionId).executeTakeFirstOrThrow()
    if (!row.checkin_code) throw new Error(`session ${sessionId} has no check-in code`)
    return row.checkin_code
  }
  return { ...w, morning, afternoon, tomorrow, called, northern, ewa, tom, ewaPlace, tomPlace, casey, sheetUrl, codeOf }
}

/** Every "Or go to <address>" on a page, in order. */
function addresses(html: string): string[] {
  return [...textOf(html).matchAll(/Or go to (\S+)/g)].map((m) => m[1]!)
}

t.test("the sheet shows today's scheduled sessions at the branch, each with a QR code as SVG and its address written out", async (t) => {
  const w = await today(t)
  const res = await w.casey.get(w.sheetUrl)
  t.equal(res.statusCode, 200)
  const text = textOf(res.body)
  t.match(text, /Central Library Check-in sheet for Monday 30 November 2026/)
  t.match(text, /Monday morning drop-in 10am to 12pm Volunteers: scan this code .* Monday afternoon class 2pm to 4pm/, 'in time order, with title and time')
  t.notMatch(text, /Tuesday drop-in|Called-off session|Northgate drop-in/, 'not another day, not cancelled, not another branch')

  const svgs = res.body.match(/<svg class="rota-qr"[^>]*>[\s\S]*?<\/svg>/g) ?? []
  t.equal(svgs.length, 2, 'one QR code per session')
  t.match(svgs[0], /role="img" aria-label="QR code to check in to Monday morning drop-in, 10am to 12pm"/)
  for (const svg of svgs) t.match(svg, /^<svg class="rota-qr" [^>]*viewBox="0 0 \d+ \d+"[^>]*>(<path [^>]*\/>)+<\/svg>$/, 'only the library’s drawing, no script or text')

  const codes = [await w.codeOf(w.morning), await w.codeOf(w.afternoon)]
  t.match(codes[0], /^[a-z2-9]{12}$/)
  t.not(codes[0], codes[1], 'each session its own code')
  t.same(addresses(res.body), codes.map((c) => `http://rota.test/checkin/${c}`), 'the written address is the check-in address of each session')
  t.same(addresses((await w.casey.get(w.sheetUrl)).body), codes.map((c) => `http://rota.test/checkin/${c}`), 'printing again gives the same codes')
  t.equal(await w.db.selectFrom('sessions').select('checkin_code').where('id', '=', w.tomorrow).executeTakeFirstOrThrow().then((r) => r.checkin_code), null, 'no code for sessions not on the sheet')

  const other = await w.casey.get(`${w.sheetUrl}?date=2026-12-01`)
  t.match(textOf(other.body), /Check-in sheet for Tuesday 1 December 2026 .* Tuesday drop-in/)
  t.equal((other.body.match(/<svg class="rota-qr"/g) ?? []).length, 1)
  t.match(textOf((await w.casey.get(`${w.sheetUrl}?date=2026-12-05`)).body), /There are no sessions at Central Library on Saturday 5 December 2026/)

  const bad = await w.casey.get(`${w.sheetUrl}?date=2026-02-31`)
  t.equal(bad.statusCode, 400)
  t.match(textOf(bad.body), /There is a problem Enter a real date/)

  // The coordinator's session page links to the sheet of its day.
  t.match((await w.casey.get(`/coordinate/sessions/${w.morning}`)).body, new RegExp(`href="/coordinate/branches/${w.central}/checkin\\?date=2026-11-30">Print the check-in sheet`))
})

t.test("another branch's coordinator and volunteers cannot open a branch's sheet", async (t) => {
  const w = await today(t)
  for (const [who, client] of [['the Northgate coordinator', await w.signIn(w.northOnly)], ['a volunteer', await w.signIn(w.ewa.personId)]] as const) {
    const res = await client.get(w.sheetUrl)
    t.equal(res.statusCode, 403, who)
    t.notMatch(res.body, /Monday morning drop-in|rota-qr/, `${who} sees nothing of it`)
  }
  t.equal((await w.casey.get('/coordinate/branches/999999/checkin')).statusCode, 404)
  const sam = await w.signIn(w.wholeService)
  t.equal((await sam.get(`/coordinate/branches/${w.north}/checkin`)).statusCode, 200, 'a coordinator of the whole service opens any of its branches')
  const nora = await w.signIn(w.northOnly)
  t.match(textOf((await nora.get(`/coordinate/branches/${w.north}/checkin`)).body), /Northgate drop-in/)
  t.equal(await w.db.selectFrom('sessions').select('checkin_code').where('id', '=', w.morning).executeTakeFirstOrThrow().then((r) => r.checkin_code), null, 'refusals made no codes')
})

t.test("a booked volunteer checks in with one button from an hour before the start; it records 'attended' from check-in", async (t) => {
  const w = await today(t)
  await w.casey.get(w.sheetUrl)
  const code = await w.codeOf(w.morning)
  const ewa = await w.signIn(w.ewa.personId)

  w.clock.set(Date.parse('2026-11-30T08:59:00Z'))
  const early = await ewa.get(`/checkin/${code}`)
  t.equal(early.statusCode, 409)
  t.match(textOf(early.body), /You cannot check in here .* Monday morning drop-in .* Check-in opens at 9am on Monday 30 November 2026, an hour before the session starts/)
  t.notMatch(early.body, /I’m here/)
  t.equal((await ewa.post(`/checkin/${code}`, {})).statusCode, 409, 'the button refuses too')
  t.equal(await w.markOf(w.ewaPlace), null, 'nothing recorded')

  w.clock.set(Date.parse('2026-11-30T09:00:00Z'))
  const page = await ewa.get(`/checkin/${code}`)
  t.equal(page.statusCode, 200)
  t.equal(page.headers['cache-control'], 'no-store')
  t.match(textOf(page.body), /Check in What Monday morning drop-in When Monday 30 November 2026, 10am to 12pm Where Central Library .* I’m here/)
  t.match(page.body, new RegExp(`<form method="post" action="/checkin/${code}">\\s*<input type="hidden" name="_csrf" value="[^"]+">`))

  const res = await ewa.post(`/checkin/${code}`, {})
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/checkin/${code}`)
  const done = await ewa.get(`/checkin/${code}`)
  t.equal(done.statusCode, 200)
  t.match(textOf(done.body), /You are checked in at Monday morning drop-in\. Thank you for coming\. You are checked in What .* You checked in at 9am\. Go to your sessions/)
  t.notMatch(done.body, /I’m here/)
  t.equal(await w.stateOf(w.ewaPlace), 'attended')
  t.match(await w.markOf(w.ewaPlace), { source: 'check_in', outcome: 'attended', marked_by_person_id: w.ewa.personId })
  t.same(await w.auditActions(), ['attendance.marked'])
  t.match(textOf((await ewa.get('/my-sessions')).body), /Coming up Monday morning drop-in Monday 30 November 2026, 10am to 12pm Central Library Checked in You told us you have arrived/, 'My sessions still lists it, as checked in')
  t.match(textOf((await ewa.get('/dashboard')).body), /Monday morning drop-in/, 'and so does her dashboard')
  t.equal((await ewa.post(`/checkin/${code}`, {})).statusCode, 200, 'pressing again records nothing more')
  t.same(await w.auditActions(), ['attendance.marked'])

  // A check-in is the least trusted source: the coordinator's mark after the session replaces it.
  w.clock.set(Date.parse('2026-11-30T12:30:00Z'))
  const casey = await w.signIn(w.coordinator)
  t.match(textOf((await casey.get(`/coordinate/sessions/${w.morning}`)).body), /Ewa Nowak Marked by check-in/)
  t.equal((await casey.post(`/coordinate/sessions/${w.morning}/attendance`, { [`attendance-${w.ewa.volunteerId}`]: 'no_show' })).statusCode, 303)
  t.match(await w.markOf(w.ewaPlace), { source: 'coordinator', outcome: 'no_show' })

  const late = await (await w.signIn(w.tom.personId)).get(`/checkin/${code}`)
  t.equal(late.statusCode, 409)
  t.match(textOf(late.body), /This session has ended, so check-in has closed/)
  t.equal(await w.markOf(w.tomPlace), null)
})

t.test("a check-in never overrides the coordinator's no-show, nor the volunteer's own word", async (t) => {
  const w = await today(t)
  await w.casey.get(w.sheetUrl)
  const code = await w.codeOf(w.morning)
  // At the very end both are open: the coordinator may mark, and check-in has not closed.
  w.clock.set(Date.parse('2026-11-30T12:00:00Z'))
  t.equal((await w.casey.post(`/coordinate/sessions/${w.morning}/attendance`, { [`attendance-${w.tom.volunteerId}`]: 'no_show' })).statusCode, 303)
  const tom = await w.signIn(w.tom.personId)
  const page = await tom.get(`/checkin/${code}`)
  t.equal(page.statusCode, 409)
  t.match(textOf(page.body), /A coordinator has already recorded whether you were there/)
  const res = await tom.post(`/checkin/${code}`, {})
  t.equal(res.statusCode, 409)
  t.equal(await w.stateOf(w.tomPlace), 'no_show', 'unchanged')
  t.match(await w.markOf(w.tomPlace), { source: 'coordinator', outcome: 'no_show' })

  const ewa = await w.signIn(w.ewa.personId)
  t.equal((await ewa.post(`/my-sessions/${w.ewaPlace}/attendance`, { outcome: 'no_show' })).statusCode, 303)
  const own = await ewa.post(`/checkin/${code}`, {})
  t.equal(own.statusCode, 409)
  t.match(textOf(own.body), /You have already told us whether you were there/)
  t.match(await w.markOf(w.ewaPlace), { source: 'volunteer', outcome: 'no_show' })
  t.same(await w.auditActions(), ['attendance.marked', 'attendance.marked'], 'only the coordinator and the volunteer marked')
})

t.test('someone not booked on the session is told so, and nothing is recorded', async (t) => {
  const w = await today(t)
  await w.casey.get(w.sheetUrl)
  const code = await w.codeOf(w.morning)
  w.clock.set(Date.parse('2026-11-30T10:15:00Z'))
  const stranger = await w.volunteer({ name: 'Sid Stranger' })
  const withdrawn = await w.volunteer({ name: 'Wes Withdrawn' })
  await givePlace(w.db, { sessionId: w.morning, volunteerId: withdrawn.volunteerId, state: 'withdrawn' })
  const before = await w.snapshot()
  for (const [who, personId] of [['a volunteer with no place', stranger.personId], ['a volunteer who withdrew', withdrawn.personId], ['a coordinator', w.coordinator]] as const) {
    const client = await w.signIn(personId)
    const page = await client.get(`/checkin/${code}`)
    t.equal(page.statusCode, 403, who)
    t.match(textOf(page.body), /You are not booked on this session; ask the coordinator/, who)
    t.notMatch(page.body, /I’m here/)
    const res = await client.post(`/checkin/${code}`, {})
    t.equal(res.statusCode, 403, `${who}: the button refuses`)
  }
  t.same(await w.snapshot(), before, 'nothing changed')
  t.same(await w.auditActions(), [])
})

t.test('a stranger is asked to sign in and comes back; an unknown code is a 404, never a 500', async (t) => {
  const w = await today(t)
  await w.casey.get(w.sheetUrl)
  const code = await w.codeOf(w.morning)
  const anonymous = new Client(w.app)
  const res = await anonymous.get(`/checkin/${code}`)
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/sign-in?next=${encodeURIComponent(`/checkin/${code}`)}`)
  t.match((await anonymous.get(res.headers.location as string)).body, new RegExp(`name="next" value="/checkin/${code}"`), 'the sign-in form carries the way back')

  const ewa = await w.signIn(w.ewa.personId)
  for (const bad of ['abc', '222222222222', 'ABCDEFGHJKMN', `${code}x`, '%E2%9C%93', 'a'.repeat(99)]) {
    for (const client of [ewa, anonymous]) {
      const page = await client.get(`/checkin/${bad}`)
      t.equal(page.statusCode, 404, `GET /checkin/${bad}`)
      t.match(textOf(page.body), /There is no session with this check-in code/)
    }
    t.equal((await ewa.post(`/checkin/${bad}`, {})).statusCode, 404, `POST /checkin/${bad}`)
  }
  const long = await ewa.get(`/checkin/${'a'.repeat(300)}`)
  t.ok([400, 404, 414].includes(long.statusCode), `a code longer than any code → ${long.statusCode}`)
  t.equal(await w.markOf(w.ewaPlace), null)
})

t.test('the "I\'m here" button needs the form\'s CSRF token', async (t) => {
  const w = await today(t)
  await w.casey.get(w.sheetUrl)
  const code = await w.codeOf(w.morning)
  w.clock.set(Date.parse('2026-11-30T10:00:00Z'))
  const ewa = await w.signIn(w.ewa.personId)
  const none = await ewa.post(`/checkin/${code}`, {}, { csrf: false })
  t.equal(none.statusCode, 403)
  t.match(textOf(none.body), /This form has expired/)
  const forged = await ewa.post(`/checkin/${code}`, { _csrf: 'forged-token-value' })
  t.equal(forged.statusCode, 403)
  const otherToken = await new Client(w.app).csrf()
  t.equal((await ewa.post(`/checkin/${code}`, { _csrf: otherToken })).statusCode, 403, "another browser's token")
  t.equal(await w.markOf(w.ewaPlace), null, 'nothing recorded')
  t.equal((await ewa.post(`/checkin/${code}`, {})).statusCode, 303, 'with the token it works')
  t.equal(await w.stateOf(w.ewaPlace), 'attended')
})

t.test('the reminder on the day carries a per-place check-in link that works without signing in, in the same window', async (t) => {
  const w = await today(t)
  const tuesdayPlace = await w.place(w.tomorrow, w.ewa.volunteerId)
  const reminders = async () => (await w.db.selectFrom('outbox').select(['subject', 'text_body', 'html_body']).where('kind', '=', 'reminder').orderBy('id').execute())
  w.clock.set(Date.parse('2026-11-29T10:00:00Z'))
  await queueSessionReminders(w.app.ctx)
  w.clock.set(Date.parse('2026-12-01T08:00:30Z'))
  await queueSessionReminders(w.app.ctx)
  const [before, onTheDay] = (await reminders()).filter((m) => /Tuesday drop-in/.test(m.subject))
  t.match(before?.subject, /^Reminder: /)
  t.notMatch(before?.text_body, /check in/, 'not in the reminder days before')
  t.match(onTheDay?.subject, /^Today: /)
  const link = /When you get there, check in \(from an hour before the start\), so the coordinator knows you came:\n(http:\/\/rota\.test\/checkin\/place\/\S+)/.exec(onTheDay?.text_body ?? '')?.[1]
  t.ok(link, 'the text part has the link')
  t.match(onTheDay?.html_body, `href="${link}"`, 'and the HTML part')
  const path = new URL(link!).pathname

  const phone = new Client(w.app)
  const early = await phone.get(path)
  t.equal(early.statusCode, 409)
  t.match(textOf(early.body), /Check-in opens at 9am on Tuesday 1 December 2026/)
  w.clock.set(Date.parse('2026-12-01T09:45:00Z'))
  const page = await phone.get(path)
  t.equal(page.statusCode, 200)
  t.equal(page.headers['cache-control'], 'no-store')
  t.match(textOf(page.body), /Check in What Tuesday drop-in .* I’m here/)
  t.equal((await phone.post(path, {}, { csrf: false })).statusCode, 403, 'the button needs the CSRF token here too')
  t.equal((await phone.post(path, {})).statusCode, 303)
  t.match(textOf((await phone.get(path)).body), /You are checked in at Tuesday drop-in\. .* You checked in at 9:45am/)
  t.equal(await w.stateOf(tuesdayPlace), 'attended')
  t.match(await w.markOf(tuesdayPlace), { source: 'check_in', marked_by_person_id: w.ewa.personId })
  t.equal(await w.markOf(w.ewaPlace), null, 'only that place')

  const [id, sig] = path.replace('/checkin/place/', '').split('-')
  for (const bad of [`${w.ewaPlace}-${sig}`, `${id}-${'A'.repeat(43)}`, `${id}`, 'nonsense']) {
    const res = await phone.get(`/checkin/place/${bad}`)
    t.equal(res.statusCode, 404, `a link that is not right: ${bad}`)
    t.match(textOf(res.body), /This check-in link is not right/)
  }
})

t.test("the sheet's day is today in the branch's own zone, and titles are escaped in the QR code's name", async (t) => {
  const w = await today(t)
  await w.db.updateTable('branches').set({ timezone: 'Pacific/Kiritimati' }).where('id', '=', w.central).execute()
  w.clock.set(Date.parse('2026-11-30T11:00:00Z')) // 01:00 on Tuesday 1 December at UTC+14
  t.match(textOf((await w.casey.get(w.sheetUrl)).body), /Check-in sheet for Tuesday 1 December 2026 .* Tuesday drop-in/)
  await w.db.updateTable('sessions').set({ title: 'Tom & "Jerry" <b>help</b>' }).where('id', '=', w.tomorrow).execute()
  const page = await w.casey.get(w.sheetUrl)
  t.match(page.body, 'aria-label="QR code to check in to Tom &amp; &quot;Jerry&quot; &lt;b&gt;help&lt;/b&gt;, 10am to 12pm"')
  t.notMatch(page.body, '<b>help</b>')
})
