// A volunteer's profile through the pages: setting it up step by step, and every mistake getting a GOV.UK-style message with nothing saved.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { createVolunteer } from '../helpers/fixtures.js'
import { world, textOf } from '../bookings/world.js'

t.comment(`database: ${databaseLabel}`)

async function profileState(w: Awaited<ReturnType<typeof world>>, volunteerId: number) {
  const db = w.db
  return {
    volunteer: await db.selectFrom('volunteers').select(['home_branch_id', 'max_sessions_per_month', 'reminders_enabled']).where('id', '=', volunteerId).executeTakeFirstOrThrow(),
    skills: (await db.selectFrom('volunteer_skills').select('skill_id').where('volunteer_id', '=', volunteerId).orderBy('skill_id').execute()).map((r) => r.skill_id),
    branches: (await db.selectFrom('volunteer_branches').select('branch_id').where('volunteer_id', '=', volunteerId).orderBy('branch_id').execute()).map((r) => r.branch_id),
    windows: await db.selectFrom('availability_windows').select(['day_of_week', 'start_time', 'end_time']).where('volunteer_id', '=', volunteerId).orderBy('day_of_week').orderBy('start_time').execute(),
    timeOff: await db.selectFrom('time_off').select(['start_date', 'end_date', 'note']).where('volunteer_id', '=', volunteerId).orderBy('start_date').execute(),
    person: await db.selectFrom('people').innerJoin('volunteers', 'volunteers.person_id', 'people.id').select(['people.name', 'people.phone']).where('volunteers.id', '=', volunteerId).executeTakeFirstOrThrow(),
  }
}

t.test('a new volunteer is walked through their profile, one part at a time', async (t) => {
  const w = await world(t)
  const v = await createVolunteer(w.db, 'new@example.org', w.service, [], { name: 'Nia New' })
  const browser = await w.signIn(v.personId)

  const dashboard = await browser.get('/dashboard')
  t.match(textOf(dashboard.body), /Tell us what you can do and when, so we can show you sessions that suit you\. Set up your profile/)

  const skills = await browser.get('/profile/skills?setup=1')
  t.match(textOf(skills.body), /Set up your profile: step 1 of 4 Your skills and languages/)
  t.match(textOf(skills.body), /NHS App and health .* Polish/)
  let res = await browser.post('/profile/skills', { setup: '1', skills: [w.skills.nhs, w.skills.polish] })
  t.equal(res.headers.location, '/profile/libraries?setup=1')
  res = await browser.post('/profile/libraries', { setup: '1', branches: [w.central, w.north], home: w.north })
  t.equal(res.headers.location, '/profile/availability?setup=1')
  res = await browser.post('/profile/availability', { setup: '1', days: [2, 4], from: '9:30am', to: '1pm' })
  t.equal(res.headers.location, '/profile/availability?setup=1')
  const availability = await browser.get('/profile/availability?setup=1')
  t.match(textOf(availability.body), /The times have been added to 2 days of your availability/)
  t.match(textOf(availability.body), /Tuesday 9:30am to 1pm Remove Thursday 9:30am to 1pm Remove/)
  t.match(availability.body, /href="\/profile\/preferences\?setup=1">Continue</)
  res = await browser.post('/profile/preferences', { setup: '1', maxPerMonth: '6', reminders: 'no' })
  t.equal(res.headers.location, '/profile?setup=done')
  const done = await browser.get('/profile?setup=done')
  const text = textOf(done.body)
  t.match(text, /Your profile is set up\. Find sessions you can help at/)
  t.match(text, /Topics you can help with NHS App and health Languages Polish/)
  t.match(text, /Libraries you can get to Central Library, Northgate Library Home library Northgate Library/)
  t.match(text, /Tuesday 9:30am to 1pm Thursday 9:30am to 1pm/)
  t.match(text, /Most sessions a month 6 Reminder emails No/)

  t.same(await profileState(w, v.volunteerId), {
    volunteer: { home_branch_id: w.north, max_sessions_per_month: 6, reminders_enabled: 0 },
    skills: [w.skills.nhs, w.skills.polish].sort((a, b) => a - b),
    branches: [w.central, w.north].sort((a, b) => a - b),
    windows: [
      { day_of_week: 2, start_time: '09:30', end_time: '13:00' },
      { day_of_week: 4, start_time: '09:30', end_time: '13:00' },
    ],
    timeOff: [],
    person: { name: 'Nia New', phone: null },
  })
  t.notMatch(textOf((await browser.get('/dashboard')).body), /Set up your profile/, 'the prompt goes once it is done')
})

t.test('every mistake gets a message by the field, the summary links to it, and nothing is saved', async (t) => {
  const w = await world(t)
  const otherSkill = (await w.db.insertInto('skills').values({ library_service_id: w.otherService, name: 'Elsewhere skill', kind: 'topic' }).returning('id').executeTakeFirstOrThrow()).id
  const v = await w.volunteer({ name: 'Ewa Nowak', skills: [w.skills.phones], windows: [{ day: 2, start: '09:00', end: '12:00' }], timeOff: [{ start: '2026-12-20', end: '2026-12-27' }] })
  const browser = await w.signIn(v.personId)
  const before = await profileState(w, v.volunteerId)

  const cases: Array<[string, Record<string, string | number | Array<string | number>>, string, RegExp]> = [
    ['/profile/details', { name: '  ', phone: '' }, 'name', /Enter your full name/],
    ['/profile/details', { name: 'Ewa', phone: 'call me' }, 'phone', /Enter a telephone number, like 01632 960 001 or 07700 900 982/],
    ['/profile/skills', { skills: [w.skills.nhs, otherSkill] }, 'skills', /Select skills and languages from the list/],
    ['/profile/skills', { skills: 'abc' }, 'skills', /Select skills and languages from the list/],
    ['/profile/libraries', {}, 'branches', /Select at least one library you can get to/],
    ['/profile/libraries', { branches: [w.central, w.elsewhere], home: w.central }, 'branches', /Select libraries from the list/],
    ['/profile/libraries', { branches: [w.central, w.north] }, 'home', /Select your home library/],
    ['/profile/libraries', { branches: [w.central], home: w.north }, 'home', /Your home library must be one of the libraries you can get to/],
    ['/profile/availability', { from: '9am', to: '5pm' }, 'days', /Select the days you can help/],
    ['/profile/availability', { days: [8], from: '9am', to: '5pm' }, 'days', /Select days from the list/],
    ['/profile/availability', { days: [1], from: '', to: '5pm' }, 'from', /Enter the time you can start/],
    ['/profile/availability', { days: [1], from: 'morning', to: '5pm' }, 'from', /Enter the time you can start like 9:30am or 14:00/],
    ['/profile/availability', { days: [1], from: '9am', to: '25:00' }, 'to', /Enter the time you need to finish like 1pm or 17:30/],
    ['/profile/availability', { days: [1], from: '2pm', to: '11am' }, 'to', /The time you finish must be after the time you start/],
    ['/profile/availability', { days: [1, 2], from: '11am', to: '2pm' }, 'from', /On Tuesday this overlaps 9am to 12pm, which you already have\. Change the times, or remove that time first/],
    ['/profile/time-off', {}, 'start-day', /Enter the date your time off starts/],
    ['/profile/time-off', { 'start-day': '3', 'start-year': '2027' }, 'start-month', /The date your time off starts must include a month/],
    ['/profile/time-off', { 'start-day': '31', 'start-month': '2', 'start-year': '2027' }, 'start-day', /The date your time off starts must be a real date/],
    ['/profile/time-off', { 'start-day': '10', 'start-month': '1', 'start-year': '2027', 'end-day': '5', 'end-month': '1', 'end-year': '2027' }, 'end-day', /The date your time off ends must be the same as or after the date it starts/],
    ['/profile/time-off', { 'start-day': '1', 'start-month': '11', 'start-year': '2026', 'end-day': '20', 'end-month': '11', 'end-year': '2026' }, 'end-day', /The date your time off ends must be today or in the future/],
    ['/profile/time-off', { 'start-day': '24', 'start-month': '12', 'start-year': '2026', 'end-day': '2', 'end-month': '1', 'end-year': '2027' }, 'start-day', /You already have time off from 20 December 2026 to 27 December 2026\. Change the dates, or remove that time off first/],
    ['/profile/time-off', { 'start-day': '1', 'start-month': '1', 'start-year': '2030' }, 'start-day', /The date your time off starts must be within the next 2 years/],
    ['/profile/preferences', { maxPerMonth: '', reminders: 'yes' }, 'maxPerMonth', /Enter the most sessions you want to do in a month/],
    ['/profile/preferences', { maxPerMonth: 'four', reminders: 'yes' }, 'maxPerMonth', /The most sessions in a month must be a whole number, like 4/],
    ['/profile/preferences', { maxPerMonth: '0', reminders: 'yes' }, 'maxPerMonth', /The most sessions in a month must be between 1 and 31/],
    ['/profile/preferences', { maxPerMonth: '4', reminders: 'maybe' }, 'reminders', /Select yes if you want reminder emails before your sessions/],
  ]
  for (const [path, form, field, message] of cases) {
    const res = await browser.post(path, form)
    const label = `${path} ${JSON.stringify(form)}`
    t.equal(res.statusCode, 400, `${label} → 400`)
    t.match(res.body, new RegExp(`<li><a href="#${field}">`), `${label}: the summary links to ${field}`)
    t.match(res.body, new RegExp(`id="${field.replace(/-(day|month|year)$/, '')}-error" class="govuk-error-message"`), `${label}: an inline message`)
    t.match(textOf(res.body), message, `${label}: says what to do`)
    t.match(res.body, /<title>Error: /, `${label}: the title starts with Error`)
  }
  t.same(await profileState(w, v.volunteerId), before, 'nothing was saved')
})

t.test('availability: several windows a day, the same times on several days, removing one', async (t) => {
  const w = await world(t)
  const v = await w.volunteer({ windows: [] })
  const browser = await w.signIn(v.personId)
  t.equal((await browser.post('/profile/availability', { days: [1, 3, 5], from: '09:00', to: '12:00' })).statusCode, 303)
  t.equal((await browser.post('/profile/availability', { days: [1], from: '12pm', to: '17:30' })).statusCode, 303, 'touching windows are fine')
  t.equal((await browser.post('/profile/availability', { days: [1], from: '18.00', to: '8.30pm' })).statusCode, 303, 'a third window the same day')
  const windows = await w.db.selectFrom('availability_windows').select(['id', 'day_of_week', 'start_time', 'end_time']).where('volunteer_id', '=', v.volunteerId).orderBy('day_of_week').orderBy('start_time').execute()
  t.same(windows.map((x) => `${x.day_of_week} ${x.start_time}-${x.end_time}`), ['1 09:00-12:00', '1 12:00-17:30', '1 18:00-20:30', '3 09:00-12:00', '5 09:00-12:00'])

  const removed = await browser.post(`/profile/availability/${windows[1]!.id}/remove`, {})
  t.equal(removed.statusCode, 303)
  t.match(textOf((await browser.get('/profile/availability')).body), /The time has been removed from your availability\. .* Monday 9am to 12pm Remove Monday 6pm to 8:30pm Remove Wednesday/)

  // Someone else's window cannot be removed.
  const stranger = await w.signIn((await w.volunteer()).personId)
  const theirs = await stranger.post(`/profile/availability/${windows[0]!.id}/remove`, {})
  t.equal(theirs.statusCode, 404)
  t.match(textOf(theirs.body), /We could not find that time in your availability/)
  t.equal((await w.db.selectFrom('availability_windows').select('id').where('volunteer_id', '=', v.volunteerId).execute()).length, 4)
})

t.test('time off: added, warned about bookings inside it, removed; someone else’s cannot be touched', async (t) => {
  const w = await world(t)
  const v = await w.volunteer()
  const browser = await w.signIn(v.personId)
  const s = await w.session({ date: '2026-12-15', title: 'Tuesday drop-in' })
  await browser.post(`/sessions/${s}/book`, {})

  const res = await browser.post('/profile/time-off', { 'start-day': '14', 'start-month': '12', 'start-year': '2026', 'end-day': '18', 'end-month': 'Dec', 'end-year': '2026', note: 'Visiting family' })
  t.equal(res.statusCode, 303)
  const page = await browser.get('/profile/time-off')
  const text = textOf(page.body)
  t.match(text, /Your time off has been saved\. You are still booked on a session in that time: withdraw in My sessions if you cannot go/)
  t.match(text, /Monday 14 December 2026 to Friday 18 December 2026 Visiting family .* You are still booked on Tuesday drop-in, Tue 15 Dec/)

  t.equal((await browser.post('/profile/time-off', { 'start-day': '2', 'start-month': '1', 'start-year': '2027' })).statusCode, 303, 'one day: the end left blank')
  const ranges = await w.db.selectFrom('time_off').select(['id', 'start_date', 'end_date']).where('volunteer_id', '=', v.volunteerId).orderBy('start_date').execute()
  t.same(ranges.map((r) => [r.start_date, r.end_date]), [['2026-12-14', '2026-12-18'], ['2027-01-02', '2027-01-02']])

  const stranger = await w.signIn((await w.volunteer()).personId)
  t.equal((await stranger.post(`/profile/time-off/${ranges[0]!.id}/remove`, {})).statusCode, 404)
  t.equal((await browser.post(`/profile/time-off/${ranges[0]!.id}/remove`, {})).statusCode, 303)
  t.equal((await w.db.selectFrom('time_off').select('id').where('volunteer_id', '=', v.volunteerId).execute()).length, 1)

  // Finding sessions respects it at once.
  await browser.post('/profile/time-off', { 'start-day': '8', 'start-month': '12', 'start-year': '2026' })
  const tuesday = await w.session({ date: '2026-12-08', title: 'During time off' })
  t.notMatch(textOf((await browser.get('/sessions')).body), /During time off/)
  const refused = await browser.post(`/sessions/${tuesday}/book`, {})
  t.match(textOf(refused.body), /You are on leave until 8 Dec/)
})

t.test('details and preferences are saved; the email address is shown but not changed here', async (t) => {
  const w = await world(t)
  const v = await w.volunteer({ name: 'Ewa Nowak' })
  const browser = await w.signIn(v.personId)
  const form = await browser.get('/profile/details')
  t.match(textOf(form.body), /Email address v1@example\.org We send your sign-in links here\. To change it, ask your coordinator/)
  t.equal((await browser.post('/profile/details', { name: '  Ewa   Maria Nowak ', phone: '07700 900 123', email: 'hijack@example.org' })).statusCode, 303)
  const prefs = await browser.get('/profile/preferences')
  t.match(prefs.body, /id="maxPerMonth" name="maxPerMonth" type="text" inputmode="numeric" spellcheck="false" value="4"/, 'the default is 4 a month')
  t.match(prefs.body, /id="reminders" name="reminders" type="radio" value="yes" checked/, 'reminders are on by default')
  t.equal((await browser.post('/profile/preferences', { maxPerMonth: '8', reminders: 'no' })).statusCode, 303)
  const state = await profileState(w, v.volunteerId)
  t.same(state.person, { name: 'Ewa Maria Nowak', phone: '07700 900 123' })
  t.same(state.volunteer, { home_branch_id: w.central, max_sessions_per_month: 8, reminders_enabled: 0 })
  const email = await w.db.selectFrom('people').select('email').where('id', '=', v.personId).executeTakeFirstOrThrow()
  t.equal(email.email, 'v1@example.org')
  const audit = await w.db.selectFrom('audit_log').select('action').where('object_type', '=', 'volunteer').orderBy('id').execute()
  t.same(audit.map((a) => a.action), ['profile_details_changed', 'preferences_changed'])
  const overview = textOf((await browser.get('/profile')).body)
  t.match(overview, /Your preferences have been saved/)
  t.match(overview, /Name Ewa Maria Nowak Email address v1@example\.org Phone number 07700 900 123/)
})

t.test('profile pages are only for volunteers', async (t) => {
  const w = await world(t)
  const coordinator = await w.signIn(w.coordinator)
  for (const path of ['/profile', '/profile/skills', '/profile/availability', '/my-sessions']) {
    t.equal((await coordinator.get(path)).statusCode, 403, `${path} is not for coordinators`)
  }
})
