// One-click booking as a volunteer sees it: booked with an invite, or refused with the reason and nothing changed.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { givePlace } from '../helpers/fixtures.js'
import { world, textOf, htmx } from './world.js'

t.comment(`database: ${databaseLabel}`)

t.test('booking without JavaScript: POST, redirect back, a confirmation and a calendar invite', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', title: 'Digital help drop-in', min: 2, max: 3 })
  const v = await w.volunteer({ name: 'Ewa Nowak' })
  const browser = await w.signIn(v.personId)

  const res = await browser.post(`/sessions/${s}/book`, { return: '/sessions?branch=' + w.central })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/sessions?branch=${w.central}`, 'back to the results the volunteer was looking at')
  const page = await browser.get(String(res.headers.location))
  t.match(textOf(page.body), /You are booked on Digital help drop-in, Tuesday 8 December 2026, 10am to 12pm at Central Library\. We have emailed you a calendar invite/)
  t.match(textOf(page.body), /You have 1 session coming up/, 'the count at the top includes it')
  t.match(textOf(page.body), /1 session you are already booked on/, 'and the list moves it to My sessions')

  const row = await w.db.selectFrom('assignments').selectAll().where('session_id', '=', s).executeTakeFirstOrThrow()
  t.equal(row.state, 'confirmed')
  t.equal(row.source, 'self')
  const count = await w.db.selectFrom('sessions').select('confirmed_count').where('id', '=', s).executeTakeFirstOrThrow()
  t.equal(count.confirmed_count, 1)
  const mail = await w.db.selectFrom('outbox').selectAll().where('to_address', '=', 'v1@example.org').execute()
  t.equal(mail.length, 1)
  t.equal(mail[0]!.ical_method, 'REQUEST')
  t.match(mail[0]!.subject, /You are booked: Digital help drop-in, Tuesday 8 December 2026/)

  // A second click is harmless.
  const again = await browser.post(`/sessions/${s}/book`, {})
  t.equal(again.statusCode, 303)
  t.equal(again.headers.location, '/sessions')
  t.equal((await w.db.selectFrom('outbox').selectAll().execute()).length, 1, 'no second invite')
})

t.test('booking with htmx: the result swaps to booked, the counts update and focus lands on the message', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', min: 2, max: 3 })
  const v = await w.volunteer()
  const browser = await w.signIn(v.personId)
  const res = await browser.post(`/sessions/${s}/book`, { return: '/sessions' }, { headers: htmx() })
  t.equal(res.statusCode, 200)
  t.notMatch(res.body, /<html/, 'a fragment, not a page')
  t.match(res.body, /rota-card__action--booked/)
  t.match(res.body, new RegExp(`id="session-${s}-needed" hx-swap-oob="true"`), "the count on the card is swapped out of band")
  t.match(res.body, /data-focus-after-swap/)
  t.match(textOf(res.body), /You are booked on/)
  t.match(textOf(res.body), /1 more volunteer needed/, 'the count on the result is the new one')
  t.match(res.body, /id="booking-summary" hx-swap-oob="true"/, 'the summary at the top is updated out of band')
  t.match(textOf(res.body), /You have 1 session coming up/)
  t.equal(res.headers.vary, 'HX-Request')
})

t.test('the htmx answer says what is still needed in the service\'s own words, as the list did, and follows a renamed language', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', min: 2, max: 3, preferred: [w.skills.polish, w.skills.phones] })
  const browser = await w.signIn((await w.volunteer()).personId)
  const list = textOf((await browser.get('/sessions')).body)
  t.match(list, /2 more volunteers needed; Polish speaker wanted/, 'the list names the wanted language')
  const booked = textOf((await browser.post(`/sessions/${s}/book`, { return: '/sessions' }, { headers: htmx() })).body)
  t.match(booked, /1 more volunteer needed; Polish speaker wanted/, 'so does the swapped result, with the new count')
  t.notMatch(booked, /Smartphones and tablets speaker/, 'a wanted topic is not called a language')

  // The admin's lists are kept in memory: a rename shows in the next answer.
  await w.db.updateTable('skills').set({ name: 'Polski' }).where('id', '=', w.skills.polish).execute()
  const other = await w.signIn((await w.volunteer()).personId)
  const next = textOf((await other.post(`/sessions/${s}/book`, { return: '/sessions' }, { headers: htmx() })).body)
  t.match(next, /Room for 1 more volunteer; Polski speaker wanted/)
})

t.test('every refusal: a clear message in the page, a 409, and nothing changed', async (t) => {
  const w = await world(t)
  const { skills, essentials } = w
  const cases: Array<{ name: string; setup: () => Promise<{ session: number; personId: number }>; message: RegExp }> = [
    {
      name: 'full session',
      setup: async () => {
        const session = await w.session({ date: '2026-12-08', max: 1 })
        const first = await w.volunteer()
        await givePlace(w.db, { sessionId: session, volunteerId: first.volunteerId })
        return { session, personId: (await w.volunteer()).personId }
      },
      message: /Sorry, this session is full\. You can join the waiting list/,
    },
    {
      name: 'overlapping booking',
      setup: async () => {
        const v = await w.volunteer()
        const mine = await w.session({ date: '2026-12-09', start: '10:00', end: '12:00', title: 'Morning class' })
        await givePlace(w.db, { sessionId: mine, volunteerId: v.volunteerId })
        return { session: await w.session({ date: '2026-12-09', start: '11:00', end: '13:00', branch: w.central }), personId: v.personId }
      },
      message: /You are already booked on Morning class at the same time/,
    },
    {
      name: 'missing required skill',
      setup: async () => ({ session: await w.session({ date: '2026-12-10', required: [skills.nhs] }), personId: (await w.volunteer({ skills: [skills.phones] })).personId }),
      message: /This session needs NHS App and health, which is not in your skills/,
    },
    {
      name: 'missing training',
      setup: async () => ({ session: await w.session({ date: '2026-12-10', trainings: [essentials] }), personId: (await w.volunteer()).personId }),
      message: /This session needs Digital champion essentials, which you have not done yet/,
    },
    {
      name: 'training runs out before the session',
      setup: async () => ({ session: await w.session({ date: '2026-12-10', trainings: [w.dbs] }), personId: (await w.volunteer({ trainings: [[w.dbs, '2026-12-05']] })).personId }),
      message: /Your DBS check runs out on 5 Dec, before this session/,
    },
    {
      name: 'time off',
      setup: async () => ({ session: await w.session({ date: '2026-12-10' }), personId: (await w.volunteer({ timeOff: [{ start: '2026-12-09', end: '2026-12-12' }] })).personId }),
      message: /You are on leave until 12 Dec/,
    },
    {
      name: 'monthly cap',
      setup: async () => {
        const v = await w.volunteer({ maxPerMonth: 1 })
        const held = await w.session({ date: '2026-12-02', start: '14:00', end: '15:00' })
        await givePlace(w.db, { sessionId: held, volunteerId: v.volunteerId })
        return { session: await w.session({ date: '2026-12-16' }), personId: v.personId }
      },
      message: /You already have 1 session in December, the most you asked for/,
    },
    {
      name: 'not one of their libraries',
      setup: async () => ({ session: await w.session({ date: '2026-12-10', branch: w.north }), personId: (await w.volunteer({ branches: [w.central] })).personId }),
      message: /Northgate Library is not one of the libraries in your profile/,
    },
    {
      name: 'session already started',
      setup: async () => ({ session: await w.session({ date: '2026-11-30', start: '08:00', end: '10:00' }), personId: (await w.volunteer()).personId }),
      message: /This session has already started, so places can no longer be taken/,
    },
    {
      name: 'past session',
      setup: async () => ({ session: await w.session({ date: '2026-11-20' }), personId: (await w.volunteer()).personId }),
      message: /This session has already started, so places can no longer be taken/,
    },
    {
      name: 'cancelled session',
      setup: async () => {
        const session = await w.session({ date: '2026-12-10' })
        await w.db.updateTable('sessions').set({ status: 'cancelled', cancelled_at: 0 }).where('id', '=', session).execute()
        return { session, personId: (await w.volunteer()).personId }
      },
      message: /This session has been cancelled/,
    },
    {
      name: 'beyond the booking window',
      setup: async () => ({ session: await w.session({ date: '2027-02-02' }), personId: (await w.volunteer()).personId }),
      message: /You can book sessions up to 8 weeks ahead\. Try again nearer the time/,
    },
    {
      name: 'paused volunteer',
      setup: async () => ({ session: await w.session({ date: '2026-12-10' }), personId: (await w.volunteer({ status: 'paused' })).personId }),
      message: /You cannot book sessions while your volunteering is paused/,
    },
    {
      name: 'not approved yet',
      setup: async () => ({ session: await w.session({ date: '2026-12-10' }), personId: (await w.volunteer({ status: 'applied' })).personId }),
      message: /You can book sessions once a coordinator has approved you/,
    },
  ]

  for (const c of cases) {
    const { session, personId } = await c.setup()
    const browser = await w.signIn(personId)
    const before = await w.snapshot()
    const plain = await browser.post(`/sessions/${session}/book`, { return: '/sessions' })
    t.equal(plain.statusCode, 409, `${c.name}: 409 without JavaScript`)
    t.match(textOf(plain.body), c.message, `${c.name}: the page says why`)
    t.match(plain.body, /govuk-error-summary/, `${c.name}: in the error summary`)
    const withHtmx = await browser.post(`/sessions/${session}/book`, { return: '/sessions' }, { headers: htmx() })
    t.equal(withHtmx.statusCode, 409, `${c.name}: 409 with htmx too`)
    t.notMatch(withHtmx.body, /<html/, `${c.name}: htmx gets the result fragment`)
    t.match(textOf(withHtmx.body), c.message, `${c.name}: shown in place`)
    t.match(withHtmx.body, /data-focus-after-swap/, `${c.name}: focus goes to the message`)
    t.same(await w.snapshot(), before, `${c.name}: nothing changed`)
  }
})

t.test('a full session offers the waiting list, with the volunteer’s position', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', max: 1 })
  const first = await w.volunteer()
  const second = await w.volunteer()
  const third = await w.volunteer()
  t.equal((await (await w.signIn(first.personId)).post(`/sessions/${s}/book`, {})).statusCode, 303)

  const b2 = await w.signIn(second.personId)
  const full = await b2.post(`/sessions/${s}/book`, {}, { headers: htmx() })
  t.match(full.body, new RegExp(`action="/sessions/${s}/waitlist"`), 'the answer offers the waiting list')
  t.match(textOf(full.body), /Join the waiting list/)
  const joined = await b2.post(`/sessions/${s}/waitlist`, { return: '/sessions' }, { headers: htmx() })
  t.equal(joined.statusCode, 200)
  t.match(textOf(joined.body), /You are now number 1 on the waiting list for/)
  t.match(textOf(joined.body), /Waiting list: number 1/)

  const b3 = await w.signIn(third.personId)
  const plain = await b3.post(`/sessions/${s}/waitlist`, { return: '/my-sessions' })
  t.equal(plain.statusCode, 303)
  t.equal(plain.headers.location, '/my-sessions')
  const mine = await b3.get('/my-sessions')
  t.match(textOf(mine.body), /You are now number 2 on the waiting list/)
  t.match(textOf(mine.body), /Waiting list: number 2/)
  const again = await b3.post(`/sessions/${s}/waitlist`, {}, { headers: htmx() })
  t.match(textOf(again.body), /You are already number 2 on the waiting list/)

  const waiting = await w.db.selectFrom('assignments').select(['volunteer_id', 'state']).where('session_id', '=', s).where('state', '=', 'waitlisted').orderBy('id').execute()
  t.same(waiting.map((x) => x.volunteer_id), [second.volunteerId, third.volunteerId])
  const count = await w.db.selectFrom('sessions').select('confirmed_count').where('id', '=', s).executeTakeFirstOrThrow()
  t.equal(count.confirmed_count, 1)
})

t.test('joining the waiting list when a place has come free books the place instead', async (t) => {
  const w = await world(t)
  const s = await w.session({ date: '2026-12-08', max: 2 })
  const v = await w.volunteer()
  const res = await (await w.signIn(v.personId)).post(`/sessions/${s}/waitlist`, {}, { headers: htmx() })
  t.equal(res.statusCode, 200)
  t.match(textOf(res.body), /You are booked on/)
  const row = await w.db.selectFrom('assignments').select('state').where('session_id', '=', s).executeTakeFirstOrThrow()
  t.equal(row.state, 'confirmed')
})

t.test('the booking window is the library service’s own', async (t) => {
  const w = await world(t)
  await w.db.updateTable('library_services').set({ booking_window_days: 14 }).where('id', '=', w.service).execute()
  const near = await w.session({ date: '2026-12-10' })
  const far = await w.session({ date: '2026-12-20' })
  const browser = await w.signIn((await w.volunteer()).personId)
  t.equal((await browser.post(`/sessions/${near}/book`, {})).statusCode, 303)
  const refused = await browser.post(`/sessions/${far}/book`, {})
  t.equal(refused.statusCode, 409)
  t.match(textOf(refused.body), /You can book sessions up to 2 weeks ahead/)
})
