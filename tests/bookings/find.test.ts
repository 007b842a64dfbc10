// Find sessions: what a volunteer is shown by default, the filters, why each fits, and the same URL with and without htmx.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { givePlace } from '../helpers/fixtures.js'
import { world, textOf, htmx } from './world.js'

t.comment(`database: ${databaseLabel}`)

async function scene(t: Parameters<typeof world>[0]) {
  const w = await world(t)
  const { skills, essentials } = w
  // Tuesday and Thursday mornings, Polish speaker, NHS App, essentials done; goes to Central only.
  const v = await w.volunteer({
    name: 'Ewa Nowak',
    skills: [skills.nhs, skills.polish],
    trainings: [essentials],
    windows: [
      { day: 2, start: '09:00', end: '13:00' },
      { day: 4, start: '09:00', end: '13:00' },
    ],
    timeOff: [{ start: '2026-12-22', end: '2026-12-24' }],
    maxPerMonth: 3,
  })
  const s = {
    fits: await w.session({ date: '2026-12-08', title: 'Polish drop-in', min: 2, max: 3, preferred: [skills.polish] }),
    nhs: await w.session({ date: '2026-12-10', title: 'NHS App clinic', required: [skills.nhs], trainings: [essentials] }),
    otherBranch: await w.session({ date: '2026-12-08', branch: w.north, title: 'Northgate drop-in' }),
    otherService: await w.session({ date: '2026-12-08', branch: w.elsewhere, title: 'Elsewhere drop-in' }),
    tooFar: await w.session({ date: '2027-01-12', title: 'Seven weeks away' }),
    full: await w.session({ date: '2026-12-15', title: 'Full class', max: 1 }),
    cancelled: await w.session({ date: '2026-12-15', title: 'Cancelled one', start: '11:00', end: '12:00' }),
    started: await w.session({ date: '2026-11-30', start: '08:30', end: '10:30', title: 'Already started' }),
    needsSkill: await w.session({ date: '2026-12-17', title: 'Phones class', required: [skills.phones] }),
    onLeave: await w.session({ date: '2026-12-22', title: 'During leave' }),
    outside: await w.session({ date: '2026-12-09', title: 'Wednesday afternoon', start: '14:00', end: '16:00' }),
    clash: await w.session({ date: '2026-12-29', start: '10:30', end: '12:30', title: 'Clashing one' }),
    booked: await w.session({ date: '2026-12-29', start: '10:00', end: '11:00', title: 'Already mine' }),
  }
  await w.db.updateTable('sessions').set({ status: 'cancelled' }).where('id', '=', s.cancelled).execute()
  const filler = await w.volunteer()
  for (const [session, vol] of [[s.full, filler.volunteerId], [s.booked, v.volunteerId]] as const) {
    await givePlace(w.db, { sessionId: session, volunteerId: vol })
  }
  // January: already at the cap of 3.
  const capSessions = []
  for (const date of ['2027-01-05', '2027-01-07']) capSessions.push(await w.session({ date, title: `January ${date}`, start: '09:00', end: '10:00' }))
  for (const [i, date] of ['2027-01-04', '2027-01-06', '2027-01-08'].entries()) {
    const held = await w.session({ date, title: `Held ${i}`, start: '18:00', end: '19:00' })
    await givePlace(w.db, { sessionId: held, volunteerId: v.volunteerId })
  }
  const browser = await w.signIn(v.personId)
  return { ...w, v, s, capSessions, browser }
}

t.test('by default: the next 6 weeks, at their libraries, still needing people, eligible, available, no clash, under the cap', async (t) => {
  const w = await scene(t)
  const res = await w.browser.get('/sessions')
  t.equal(res.statusCode, 200)
  t.equal(res.headers.vary, 'HX-Request')
  const text = textOf(res.body)
  for (const shown of ['Polish drop-in', 'NHS App clinic']) t.match(text, shown, `shows ${shown}`)
  for (const hidden of ['Already mine', 'Northgate drop-in', 'Elsewhere drop-in', 'Seven weeks away', 'Full class', 'Cancelled one', 'Already started', 'Phones class', 'During leave', 'Wednesday afternoon', 'Clashing one', 'January 2027-01-05']) {
    t.notMatch(text, hidden, `does not show ${hidden}`)
  }
  t.match(text, /2 sessions found/)
  t.match(text, /Filter All your libraries, Mon 30 Nov to Sun 10 Jan, any topic/)
  // Why it fits and what is needed, in plain words.
  t.match(text, /Polish drop-in Tue 8 Dec, 10am to 12pm Central Library · Drop-in 2 more volunteers needed; Polish speaker wanted You speak Polish Tuesday mornings are in your availability It is at your home library/)
  t.match(text, /NHS App clinic .* You have the skill it needs: NHS App and health Thursday mornings are in your availability/)
  // And why the rest are not there.
  t.match(text, /Why some sessions are not shown/)
  t.match(text, /4 sessions you are already booked on/, 'booked ones are in My sessions')
  t.match(text, /1 session outside your usual times: show it/)
  t.match(text, /1 session already full: show it/)
  t.match(text, /1 session at the same time as sessions you are booked on/)
  t.match(text, /2 sessions in months where you already have 3 sessions, the most you asked for/)
  t.match(text, /1 session while you are away/)
  t.match(text, /1 session that needs a skill not in your profile/)
  t.match(res.body, /<button type="submit" class="govuk-button govuk-!-margin-bottom-0">Book<span class="govuk-visually-hidden"> Polish drop-in, Tuesday 8 December 2026<\/span>/)
})

t.test('filters: library, dates, topic, outside my times, full sessions', async (t) => {
  const w = await scene(t)
  const get = async (q: string) => textOf((await w.browser.get(`/sessions?${q}`)).body)

  let text = await get('outside=1')
  t.match(text, /Wednesday afternoon .* Wednesday afternoons are not in your availability\. You can still book it/)
  t.match(text, /3 sessions found/)

  text = await get('full=1')
  t.match(text, /Full class/)
  const fullPage = (await w.browser.get('/sessions?full=1')).body
  t.match(fullPage, new RegExp(`action="/sessions/${w.s.full}/waitlist"`), 'a full session offers the waiting list')

  text = await get(`topic=${w.skills.nhs}`)
  t.match(text, /1 session found/)
  t.match(text, /NHS App clinic/)
  t.notMatch(text, /Polish drop-in/)

  text = await get(`topic=${w.skills.polish}`)
  t.match(text, /Polish drop-in/)
  t.notMatch(text, /NHS App clinic/)

  text = await get('from=2026-12-09&to=2026-12-31')
  t.match(text, /1 session found/)
  t.match(text, /Wed 9 Dec to Thu 31 Dec/)
  t.notMatch(text, /Polish drop-in/)

  // Their libraries only: add Northgate to the profile, then filter by it.
  await w.db.insertInto('volunteer_branches').values({ volunteer_id: w.v.volunteerId, branch_id: w.north }).execute()
  text = await get(`branch=${w.north}`)
  t.match(text, /Northgate drop-in/)
  t.notMatch(text, /Polish drop-in/)
  t.match(text, /Northgate Library, Mon 30 Nov to Sun 10 Jan/)

  // Beyond the booking window the range is brought back, and says so.
  text = await get('to=2027-06-01')
  t.match(text, /Mon 30 Nov to Mon 25 Jan, any topic .*You can book up to Monday 25 January 2027, so we show sessions until then/)
  t.match(text, /3 sessions in months where you already have 3 sessions/, 'Seven weeks away is now considered (and is in a full month)')
})

t.test('htmx gets only the results, and the pushed URL renders the whole page on its own', async (t) => {
  const w = await scene(t)
  const url = `/sessions?topic=${w.skills.nhs}&outside=1`
  const fragment = await w.browser.get(url, htmx({ 'hx-current-url': 'http://rota.test/sessions' }))
  t.equal(fragment.statusCode, 200)
  t.notMatch(fragment.body, /<html|<form method="get"/, 'no page around it, no filter form')
  t.match(fragment.body, /id="results-status" class="govuk-visually-hidden" role="status" hx-swap-oob="true">1 session found/)
  t.match(textOf(fragment.body), /NHS App clinic/)
  t.equal(fragment.headers.vary, 'HX-Request')

  const whole = await w.browser.get(url)
  t.match(whole.body, /<html/)
  t.match(whole.body, new RegExp(`<option value="${w.skills.nhs}" selected>`), 'the filter shows what is applied')
  t.match(whole.body, /id="outside" name="outside" type="checkbox" value="1" checked/)
  t.match(whole.body, /hx-get="\/sessions" hx-target="#results" hx-swap="innerHTML" hx-push-url="true"/)
  t.match(textOf(whole.body), /NHS App clinic/)

  // A history restore asks for the whole page even with HX-Request.
  const restore = await w.browser.get(url, htmx({ 'hx-history-restore-request': 'true' }))
  t.match(restore.body, /<html/)
})

t.test('pages of 20, with links that work with and without htmx', async (t) => {
  const w = await world(t)
  const v = await w.volunteer()
  for (let d = 1; d <= 25; d++) await w.session({ date: `2026-12-${String(d).padStart(2, '0')}`, title: `Session ${d}`, start: '12:00', end: '13:00' })
  await w.db.updateTable('volunteers').set({ max_sessions_per_month: 31 }).where('id', '=', v.volunteerId).execute()
  const browser = await w.signIn(v.personId)
  const first = await browser.get('/sessions')
  t.match(textOf(first.body), /25 sessions found.* Page 1 of 2/)
  t.match(first.body, /href="\/sessions\?page=2" rel="next" hx-get="\/sessions\?page=2"/)
  const second = await browser.get('/sessions?page=2', htmx({ 'hx-trigger': 'results-page-next' }))
  t.match(textOf(second.body), /Page 2 of 2/)
  t.match(textOf(second.body), /Session 25/)
  t.notMatch(textOf(second.body), /Session 1 /)
  t.match(second.body, /id="results-heading" tabindex="-1" data-focus-after-swap/, 'paging moves focus to the results')
  const changed = await browser.get('/sessions?outside=1', htmx({ 'hx-trigger': 'outside' }))
  t.notMatch(changed.body, /data-focus-after-swap/, 'changing a filter leaves focus where it is')
})

t.test('filters that are not right get a message and a 400, never a 500', async (t) => {
  const w = await scene(t)
  const cases: Array<[string, RegExp]> = [
    ['branch=abc', /Select a library from the list/],
    [`branch=${w.elsewhere}`, /Select a library from the list/],
    [`branch=${w.north}`, /Select a library from the list/],
    ['topic=99999', /Select a topic from the list/],
    ['from=2026-13-45', /The first day must be a real date/],
    ['to=tomorrow', /The last day must be a real date/],
    ['from=2026-12-20&to=2026-12-10', /The last day must be the same as or after the first day/],
  ]
  for (const [q, message] of cases) {
    const page = await w.browser.get(`/sessions?${q}`)
    t.equal(page.statusCode, 400, `${q} → 400`)
    t.match(textOf(page.body), /There is a problem/, `${q}: error summary`)
    t.match(textOf(page.body), message, `${q}: says what is wrong`)
    const fragment = await w.browser.get(`/sessions?${q}`, htmx())
    t.equal(fragment.statusCode, 400)
    t.match(textOf(fragment.body), message, `${q}: shown in the results with htmx`)
  }
  const long = await w.browser.get(`/sessions?from=${'9'.repeat(500)}`)
  t.equal(long.statusCode, 400)
  const repeated = await w.browser.get('/sessions?branch=1&branch=2')
  t.equal(repeated.statusCode, 400)
  t.notMatch(repeated.body, /Sorry, there is a problem with the service/)
})

t.test('a volunteer who is not approved yet is told so instead of a list', async (t) => {
  const w = await world(t)
  await w.session({ date: '2026-12-08' })
  const v = await w.volunteer({ status: 'applied' })
  const page = await (await w.signIn(v.personId)).get('/sessions')
  t.equal(page.statusCode, 200)
  t.match(textOf(page.body), /No sessions to book yet You can book sessions once a coordinator has approved you\./)
  t.notMatch(page.body, /action="\/sessions\/\d+\/book"/)
})

t.test('only volunteers may find and book sessions', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08' })
  const coordinator = await w.signIn(w.coordinator)
  t.equal((await coordinator.get('/sessions')).statusCode, 403)
  const before = await w.snapshot()
  t.equal((await coordinator.post(`/sessions/${s}/book`, {})).statusCode, 403)
  t.same(await w.snapshot(), before)
})

t.test('their own places, read once: counted, shown and weighed the same as My sessions', async (t) => {
  const w = await world(t)
  const v = await w.volunteer({ name: 'Ewa Nowak', windows: [2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })) })
  const place = async (session: number, state: 'confirmed' | 'waitlisted' | 'withdrawn', volunteerId = v.volunteerId) => {
    await givePlace(w.db, { sessionId: session, volunteerId, state })
  }
  const s = {
    mine: await w.session({ date: '2026-12-08', title: 'Booked one' }),
    gaveUp: await w.session({ date: '2026-12-09', title: 'Withdrawn from' }),
    called: await w.session({ date: '2026-12-10', title: 'Called off' }),
    over: await w.session({ date: '2026-11-24', title: 'Last week' }),
    waiting: await w.session({ date: '2026-12-11', title: 'Full, waiting', max: 1 }),
    overlaps: await w.session({ date: '2026-12-10', title: 'Same time as the called-off one' }),
  }
  await place(s.mine, 'confirmed')
  await place(s.gaveUp, 'withdrawn')
  await place(s.called, 'confirmed')
  await w.db.updateTable('sessions').set({ status: 'cancelled' }).where('id', '=', s.called).execute()
  await place(s.over, 'confirmed')
  await place(s.waiting, 'confirmed', (await w.volunteer()).volunteerId)
  await place(s.waiting, 'waitlisted')

  const browser = await w.signIn(v.personId)
  const text = textOf((await browser.get('/sessions')).body)
  t.match(text, /You have 1 session coming up/, 'not the withdrawn, the cancelled, the past or the waited-for one')
  t.match(text, /1 session you are already booked on/)
  t.match(text, /Withdrawn from/, 'given up: offered again')
  t.match(text, /Same time as the called-off one/, 'a cancelled place is no clash')
  t.match(text, /Full, waiting .* Waiting list: number 1/, 'the place in the queue is shown')
  t.notMatch(text, /Booked one|Last week|Called off/)
  const mine = textOf((await browser.get('/my-sessions')).body)
  t.match(mine, /Booked one/)
  t.notMatch(mine, /Withdrawn from|Called off.*Withdraw/)
})

t.test('a coordinator’s change to what a session requires holds at once, for the list and for booking', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', title: 'Drop-in about to change' })
  const v = await w.volunteer({ name: 'Ben Baker' })
  const volunteer = await w.signIn(v.personId)
  const coordinator = await w.signIn(w.coordinator)
  const edit = (required: number[]) =>
    coordinator.post(`/coordinate/sessions/${s}/edit`, { title: 'Drop-in about to change', kind: 'drop_in', min: '1', max: '3', notes: '', scope: 'one', date: '2026-12-08', start: '10:00', end: '12:00', required: required.map(String) })

  // Read once, so that what the session requires is held in memory before it changes.
  t.match(textOf((await volunteer.get('/sessions')).body), /Drop-in about to change/)
  t.equal((await edit([w.skills.polish])).statusCode, 303)
  t.notMatch(textOf((await volunteer.get('/sessions')).body), /Drop-in about to change/, 'now needing Polish, it is not offered')
  const refused = await volunteer.post(`/sessions/${s}/book`, {})
  t.equal(refused.statusCode, 409)
  t.match(textOf(refused.body), /Polish/, 'the refusal names what is missing')
  t.equal((await w.db.selectFrom('assignments').selectAll().where('session_id', '=', s).execute()).length, 0, 'nothing booked')

  t.equal((await edit([])).statusCode, 303)
  t.match(textOf((await volunteer.get('/sessions')).body), /Drop-in about to change/, 'offered again')
  t.equal((await volunteer.post(`/sessions/${s}/book`, {})).statusCode, 303)
  t.equal((await w.db.selectFrom('assignments').select('state').where('session_id', '=', s).executeTakeFirstOrThrow()).state, 'confirmed')
})
