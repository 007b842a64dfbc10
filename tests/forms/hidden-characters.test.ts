// A NUL (or any control character) in any text field or search box: a clear message and nothing changed, never a 500 — on both databases.
//
// PostgreSQL refuses a NUL in a text value ("invalid byte sequence for encoding UTF8: 0x00"),
// which used to surface as a 500 from /apply, /sign-in and every form; SQLite stored it. Both now
// refuse it in one-line fields and drop it from several lines of text, before any query.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { world, textOf } from '../bookings/world.js'
import type { Db } from '../../src/db/connect.js'

t.comment(`database: ${databaseLabel}`)

const NUL = '\u0000'
const HIDDEN = /must not include hidden characters, like a null character/

/** Everything these forms could write, to show a refusal wrote nothing. */
async function everything(db: Db) {
  const count = async (table: 'people' | 'volunteers' | 'sessions' | 'series' | 'volunteer_trainings' | 'time_off' | 'availability_windows' | 'outbox' | 'assignments' | 'invitations' | 'sign_in_tokens') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  return {
    people: await db.selectFrom('people').select(['id', 'name', 'email', 'phone']).orderBy('id').execute(),
    volunteers: await db.selectFrom('volunteers').select(['id', 'home_branch_id', 'max_sessions_per_month']).orderBy('id').execute(),
    sessions: await db.selectFrom('sessions').select(['id', 'title', 'notes', 'start_time', 'status']).orderBy('id').execute(),
    counts: {
      people: await count('people'),
      series: await count('series'),
      trainings: await count('volunteer_trainings'),
      timeOff: await count('time_off'),
      windows: await count('availability_windows'),
      outbox: await count('outbox'),
      assignments: await count('assignments'),
      invitations: await count('invitations'),
      tokens: await count('sign_in_tokens'),
    },
  }
}

t.test('public forms: /apply and /sign-in refuse a NUL with a message', async (t) => {
  const w = await world(t)
  const visitor = new Client(w.app)
  await visitor.get('/apply')
  const before = await everything(w.db)
  const cases: Array<[string, Record<string, string | number | number[]>, RegExp]> = [
    ['/apply', { name: `Ada${NUL} Lovelace`, email: 'ada@example.org', branches: [w.central] }, /Full name must not include hidden characters/],
    ['/apply', { name: 'Ada Lovelace', email: `ada${NUL}@example.org`, branches: [w.central] }, /Enter an email address in the correct format/],
    ['/apply', { name: 'Ada Lovelace', email: 'ada@example.org', phone: `01632 960${NUL}001`, branches: [w.central] }, /Enter a telephone number/],
    ['/apply', { name: 'Ada Lovelace', email: 'ada@example.org', branches: `${w.central}${NUL}` }, /Select libraries from the list/],
    ['/sign-in', { email: `casey${NUL}@example.org` }, /Enter an email address in the correct format/],
    ['/sign-in', { email: `${NUL}` }, /Enter an email address in the correct format/],
  ]
  for (const [url, form, message] of cases) {
    const res = await visitor.post(url, form)
    t.equal(res.statusCode, 400, `${url} ${JSON.stringify(form)} → 400`)
    t.match(textOf(res.body), /There is a problem/, 'the error summary')
    t.match(textOf(res.body), message)
  }
  t.same(await everything(w.db), before, 'nothing was written')
})

t.test("a volunteer's forms refuse a NUL in a line, and drop it from several lines", async (t) => {
  const w = await world(t)
  const me = await w.volunteer({ name: 'Ewa Nowak', branches: [w.central, w.north] })
  const browser = await w.signIn(me.personId)
  const before = await everything(w.db)
  const cases: Array<[string, Record<string, string | number | Array<string | number>>, RegExp]> = [
    ['/profile/details', { name: `Ewa${NUL}`, phone: '' }, /Full name must not include hidden characters/],
    ['/profile/details', { name: 'Ewa Nowak', phone: `07700${NUL}900982` }, /Enter a telephone number/],
    ['/profile/skills', { skills: [`${w.skills.nhs}${NUL}`] }, /Select skills and languages from the list/],
    ['/profile/libraries', { branches: [w.central, w.north], home: `${w.north}${NUL}` }, /Select your home library from the list/],
    ['/profile/libraries', { branches: [w.central, w.north], home: 'abc' }, /Select your home library from the list/],
    ['/profile/libraries', { branches: [w.central, w.north], home: '-1' }, /Select your home library from the list/],
    // With one library ticked a bad home used to be ignored silently (issue 15.11).
    ['/profile/libraries', { branches: [w.central], home: 'abc' }, /Select your home library from the list/],
    ['/profile/libraries', { branches: [w.central], home: '-1' }, /Select your home library from the list/],
    ['/profile/libraries', { branches: [w.central, w.north], home: w.elsewhere }, /Select your home library from the list/],
    ['/profile/availability', { days: [1], from: `9:30${NUL}`, to: '12:00' }, /The time you can start must be a real time/],
    ['/profile/availability', { days: [`1${NUL}`], from: '9:30', to: '12:00' }, /Select days from the list/],
    ['/profile/time-off', { 'start-day': '1', 'start-month': '12', 'start-year': '2026', note: `Away${NUL}` }, /Note must not include hidden characters/],
    ['/profile/time-off', { 'start-day': `1${NUL}`, 'start-month': '12', 'start-year': '2026' }, /The date your time off starts must be a real date/],
    ['/profile/time-off', { 'start-day': '1', 'start-month': '1', 'start-year': '0000' }, /The date your time off starts must be a date between 1900 and 2099/],
    ['/profile/preferences', { maxPerMonth: `4${NUL}`, reminders: 'yes' }, /The most sessions in a month must be a whole number from 1 to 31/],
    ['/profile/preferences', { maxPerMonth: '4', reminders: `yes${NUL}` }, /Select yes if you want reminder emails/],
  ]
  for (const [url, form, message] of cases) {
    const res = await browser.post(url, form)
    t.equal(res.statusCode, 400, `${url} ${JSON.stringify(form)} → 400`)
    t.match(textOf(res.body), message, `${url}: says what is wrong`)
  }
  t.same(await everything(w.db), before, 'nothing was written')

  // Search boxes and filters: a NUL is a mistake in a date, and never a 500.
  const find = await browser.get(`/sessions?from=2026-12-01${encodeURIComponent(NUL)}`)
  t.equal(find.statusCode, 400)
  t.match(textOf(find.body), /The first day must be a real date/)
  t.equal((await browser.get(`/sessions?branch=${w.central}%00`)).statusCode, 400)

  // A reason is several lines: the NUL is dropped and the rest kept.
  const session = await w.session({ date: '2026-12-08' })
  t.equal((await browser.post(`/sessions/${session}/book`, {})).statusCode, 303)
  const assignment = await w.db.selectFrom('assignments').select('id').where('session_id', '=', session).executeTakeFirstOrThrow()
  const withdrawn = await browser.post(`/my-sessions/${assignment.id}/withdraw`, { reason: `Bus${NUL} strike\r\ntoday` })
  t.equal(withdrawn.statusCode, 303)
  const audit = await w.db.selectFrom('audit_log').select('detail').where('action', '=', 'withdrew').executeTakeFirstOrThrow()
  t.equal(JSON.parse(audit.detail as string).reason, 'Bus strike\ntoday', 'the reason is kept without the NUL')
})

t.test("a coordinator's forms and search boxes: the same rule", async (t) => {
  const w = await world(t)
  const coordinator = await w.signIn(w.wholeService)
  const v = await w.volunteer({ name: 'Vic Volunteer' })
  const session = await w.session({ date: '2026-12-08', title: 'Phones drop-in' })
  const good = { branch: w.central, title: 'Tablet help', kind: 'drop_in', repeat: 'once', date: '2026-12-10', start: '10:00', end: '12:00', min: '1', max: '2' }
  const before = await everything(w.db)
  const cases: Array<[string, Record<string, string | number | Array<string | number>>, RegExp, number?]> = [
    ['/coordinate/sessions/new', { ...good, title: `Tablet${NUL} help` }, /Title must not include hidden characters/],
    ['/coordinate/sessions/new', { ...good, start: `10:00${NUL}` }, /Start time must be a real time, like 9:30am or 14:00/],
    ['/coordinate/sessions/new', { ...good, date: `2026-12-10${NUL}` }, /The date of the session must be a real date/],
    ['/coordinate/sessions/new', { ...good, kind: `drop_in${NUL}` }, /Select what kind of session it is/],
    ['/coordinate/sessions/new', { ...good, branch: `${w.central}${NUL}` }, /Select the branch/],
    ['/coordinate/sessions/new', { ...good, required: [`${w.skills.nhs}${NUL}`] }, /Select skills from the list/],
    ['/coordinate/sessions/new', { ...good, repeat: 'weekly', from: '2026-12-07', until: '2026-12-31', days: ['MO'], skipped: `25/12/2026\n${NUL}` }, /One of them is not a real date/],
    ['/coordinate/sessions/new', { ...good, repeat: 'weekly', from: '2026-12-07', until: '2026-12-31', days: [`MO${NUL}`] }, /Select the days of the week the session runs from the list/],
    [`/coordinate/sessions/${session}/edit`, { ...good, scope: 'one', title: `Phones${NUL}` }, /Title must not include hidden characters/],
    [`/coordinate/volunteers/${v.volunteerId}/trainings/new`, { kind: w.essentials, completed: `2026-01-01${NUL}` }, /The date it was done must be a real date/],
    [`/coordinate/volunteers/${v.volunteerId}/trainings/new`, { kind: w.essentials, completed: '0000-01-01' }, /The date it was done must be a date between 1900 and 2099/],
    [`/coordinate/volunteers/${v.volunteerId}/trainings/new`, { kind: `${w.essentials}${NUL}`, completed: '2026-01-01' }, /Select the training or check from the list/],
    [`/coordinate/sessions/${session}/assign`, { assign: `${v.volunteerId}${NUL}` }, /Choose who to add/, 409],
  ]
  for (const [url, form, message, status] of cases) {
    const res = await coordinator.post(url, form)
    t.equal(res.statusCode, status ?? 400, `${url} ${JSON.stringify(form)} → ${status ?? 400}`)
    t.match(textOf(res.body), message, `${url}: says what is wrong`)
  }
  // A ticked box that is not an id is nobody ticked: the answer redirects to the session page's error (no re-post on reload).
  const invite = await coordinator.post(`/coordinate/sessions/${session}/invitations`, { invite: [`${v.volunteerId}${NUL}`] })
  t.equal(invite.statusCode, 303, 'an id with a NUL invites nobody')
  t.match(textOf((await coordinator.get(String(invite.headers.location))).body), /Select at least one person to invite/, 'and the session page says what is wrong')
  t.same(await everything(w.db), before, 'nothing was written')

  for (const url of [
    `/coordinate/volunteers?q=Vic${encodeURIComponent(NUL)}`,
    `/coordinate/volunteers?q=${encodeURIComponent(NUL)}&branch=${encodeURIComponent(NUL)}`,
    `/coordinate/sessions?from=${encodeURIComponent(NUL)}&branch=1${encodeURIComponent(NUL)}`,
    `/coordinate/gaps?from=2026-12-01${encodeURIComponent(NUL)}`,
  ]) {
    // Filters read from a query string drop control characters (a search never fails for them).
    const res = await coordinator.get(url)
    t.equal(res.statusCode, 200, `${url}: the search runs without it`)
  }
  const vic = await coordinator.get(`/coordinate/volunteers?q=Vic${encodeURIComponent(NUL)}`)
  t.match(textOf(vic.body), /Vic Volunteer/, 'a search with a NUL finds what it would without')
  const autofill = await coordinator.get(`/coordinate/autofill?run=1&from=2026-12-01${encodeURIComponent(NUL)}`)
  t.equal(autofill.statusCode, 200, 'auto-fill filters too')
  t.match(textOf(autofill.body), /Auto-fill/)

  // Notes are several lines: the NUL is dropped, the session is created.
  const created = await coordinator.post('/coordinate/sessions/new', { ...good, notes: `Bring${NUL} a charger` })
  t.equal(created.statusCode, 303)
  const row = await w.db.selectFrom('sessions').select('notes').where('title', '=', 'Tablet help').executeTakeFirstOrThrow()
  t.equal(row.notes, 'Bring a charger')
})

t.test('the coordinator may type a time the way volunteers do: 9:30am, 9.30, 09:30', async (t) => {
  const w = await world(t)
  const coordinator = await w.signIn(w.wholeService)
  const base = { branch: w.central, kind: 'drop_in', repeat: 'once', date: '2026-12-10', min: '1', max: '2' }
  for (const [title, start, end] of [['Morning', '9:30am', '11.30'], ['Afternoon', '2pm', '4:15 PM'], ['Evening', '18.00', '19:30']] as const) {
    const res = await coordinator.post('/coordinate/sessions/new', { ...base, title, start, end })
    t.equal(res.statusCode, 303, `${start}–${end} is accepted`)
  }
  const rows = await w.db.selectFrom('sessions').select(['title', 'start_time', 'end_time']).orderBy('id').execute()
  t.same(rows, [
    { title: 'Morning', start_time: '09:30', end_time: '11:30' },
    { title: 'Afternoon', start_time: '14:00', end_time: '16:15' },
    { title: 'Evening', start_time: '18:00', end_time: '19:30' },
  ])
  const page = await coordinator.get(`/coordinate/sessions/${(await w.db.selectFrom('sessions').select('id').where('title', '=', 'Morning').executeTakeFirstOrThrow()).id}/edit`)
  t.equal(page.statusCode, 200)
  const edited = await coordinator.post(
    `/coordinate/sessions/${(await w.db.selectFrom('sessions').select('id').where('title', '=', 'Morning').executeTakeFirstOrThrow()).id}/edit`,
    { ...base, title: 'Morning', scope: 'one', start: '10am', end: '12pm' },
  )
  t.equal(edited.statusCode, 303, 'and when changing a session')
  t.same(await w.db.selectFrom('sessions').select(['start_time', 'end_time']).where('title', '=', 'Morning').executeTakeFirstOrThrow(), { start_time: '10:00', end_time: '12:00' })
})
