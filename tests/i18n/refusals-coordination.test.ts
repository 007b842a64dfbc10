// What the coordination and booking services refuse, in the reader's language (issue 16): a
// coordinator asking for a session outside their branches or one that does not exist, an action on a
// cancelled session, a volunteer withdrawing from a place they do not hold, a booking of a session
// that does not exist. A Welsh reader gets a Welsh page (lang="cy", Welsh title and message, none of
// the English sentence); an English reader gets the English page as before.
import t from 'tap'
import fs from 'node:fs'
import path from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import { ManualClock } from '../../src/clock.js'
import { translator } from '../../src/i18n/i18n.js'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createBranch, createCoordinator, createService, createSession, createVolunteer, givePlace } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()
/** The message under the heading: the error page's, or the problem shown on the page a route keeps. */
const said = (body: string) => body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

async function world(t: Parameters<typeof testApp>[0]) {
  // Tuesday 1 December 2026, 9am in London.
  const { app } = await testApp(t, { clock: new ManualClock(Date.parse('2026-12-01T09:00:00Z')) })
  const service = await createService(app.db)
  const central = await createBranch(app.db, service, 'Central Library')
  const north = await createBranch(app.db, service, 'North Library')
  // Coordinates Central only.
  const coordinator = await createCoordinator(app.db, 'coord@example.org', service, central, 'Casey Coordinator')
  const val = await createVolunteer(app.db, 'val@example.org', service, [central], { name: 'Val Volunteer' })
  const wyn = await createVolunteer(app.db, 'wyn@example.org', service, [central], { name: 'Wyn Waiting' })
  const friday = await createSession(app.db, central, { date: '2026-12-04', title: 'Friday help', min: 1, max: 3 })
  const northSession = await createSession(app.db, north, { date: '2026-12-04', title: 'North drop-in' })
  const cancelled = await createSession(app.db, central, { date: '2026-12-03', title: 'Thursday class' })
  const saturday = await createSession(app.db, central, { date: '2026-12-05', title: 'Saturday club' })
  const valOnFriday = await givePlace(app.db, { sessionId: friday, volunteerId: val.volunteerId })
  const valOnCancelled = await givePlace(app.db, { sessionId: cancelled, volunteerId: val.volunteerId })
  const wynGone = await givePlace(app.db, { sessionId: friday, volunteerId: wyn.volunteerId, state: 'withdrawn' })
  const wynWaiting = await givePlace(app.db, { sessionId: saturday, volunteerId: wyn.volunteerId, state: 'waitlisted', at: 1 })
  await app.db.updateTable('sessions').set({ status: 'cancelled' }).where('id', '=', cancelled).execute()
  return { app, coordinator, val, wyn, friday, northSession, cancelled, valOnFriday, valOnCancelled, wynGone, wynWaiting }
}

type World = Awaited<ReturnType<typeof world>>
type Who = 'coordinator' | 'val' | 'wyn'

interface Case {
  name: string
  who: Who
  ask: (c: Client, w: World) => Promise<LightMyRequestResponse>
  status: number
  /** The page's heading: the error page's title, or (where a route shows the refusal on its own page) that page's. */
  title: { cy: string; en: string } | null
  message: { cy: string; en: string }
}

const cases: Case[] = [
  {
    name: 'a session at a branch the coordinator does not coordinate',
    who: 'coordinator',
    ask: (c, w) => c.get(`/coordinate/sessions/${w.northSession}`),
    status: 403,
    title: { cy: 'Does dim modd i chi wneud hynny', en: 'You cannot do that' },
    message: { cy: 'Dydych chi ddim yn cydlynu’r gangen hon', en: 'You do not coordinate this branch' },
  },
  {
    name: 'a session that does not exist',
    who: 'coordinator',
    ask: (c) => c.get('/coordinate/sessions/987654'),
    status: 404,
    title: { cy: 'Heb ddod o hyd i’r dudalen', en: 'Page not found' },
    message: { cy: 'Does dim sesiwn o’r fath', en: 'There is no such session' },
  },
  {
    name: 'cancelling a session already cancelled',
    who: 'coordinator',
    ask: (c, w) => c.post(`/coordinate/sessions/${w.cancelled}/cancel`, { scope: 'one', reason: '' }),
    status: 409,
    title: { cy: 'Doedd dim modd gwneud hynny', en: 'That could not be done' },
    message: { cy: 'Mae’r sesiwn hon eisoes wedi’i chanslo', en: 'This session is already cancelled' },
  },
  {
    name: 'taking someone off a cancelled session (the session page says why)',
    who: 'coordinator',
    ask: (c, w) => c.get(`/coordinate/sessions/${w.cancelled}/remove?volunteer=${w.val.volunteerId}`),
    status: 409,
    title: null,
    message: { cy: 'Mae’r sesiwn hon wedi’i chanslo', en: 'This session has been cancelled' },
  },
  {
    name: 'editing a cancelled session (the edit page says why)',
    who: 'coordinator',
    ask: (c, w) => c.post(`/coordinate/sessions/${w.cancelled}/edit`, { scope: 'one', title: 'Thursday class', kind: 'drop_in', date: '2026-12-03', start: '10:00', end: '12:00', min: '1', max: '3' }),
    status: 409,
    title: null,
    message: { cy: 'Mae’r sesiwn hon wedi’i chanslo, felly ni ellir ei newid', en: 'This session has been cancelled, so it cannot be changed' },
  },
  {
    name: 'approving a volunteer already approved',
    who: 'coordinator',
    ask: (c, w) => c.post(`/coordinate/volunteers/${w.val.volunteerId}/approve`),
    status: 409,
    title: { cy: 'Doedd dim modd gwneud hynny', en: 'That could not be done' },
    message: { cy: 'Mae Val Volunteer eisoes wedi’i gymeradwyo', en: 'Val Volunteer has already been approved' },
  },
  {
    name: 'withdrawing from someone else’s place',
    who: 'val',
    ask: (c, w) => c.get(`/my-sessions/${w.wynGone}/withdraw`),
    status: 404,
    title: { cy: 'Heb ddod o hyd i’r dudalen', en: 'Page not found' },
    message: { cy: 'Ni allwn ddod o hyd i’r archeb honno', en: 'We could not find that booking' },
  },
  {
    name: 'withdrawing from a place already given up',
    who: 'wyn',
    ask: (c, w) => c.post(`/my-sessions/${w.wynGone}/withdraw`, { reason: '' }),
    status: 409,
    title: { cy: 'Doedd dim modd gwneud hynny', en: 'That could not be done' },
    message: { cy: 'Does gennych chi ddim lle ar y sesiwn hon bellach', en: 'You are no longer booked on this session' },
  },
  {
    name: 'withdrawing from a cancelled session',
    who: 'val',
    ask: (c, w) => c.get(`/my-sessions/${w.valOnCancelled}/withdraw`),
    status: 409,
    title: { cy: 'Doedd dim modd gwneud hynny', en: 'That could not be done' },
    message: { cy: 'Mae’r sesiwn hon wedi’i chanslo, felly does dim modd tynnu’n ôl ohoni', en: 'This session has been cancelled, so there is nothing to withdraw from' },
  },
  {
    name: 'booking a session that does not exist',
    who: 'val',
    ask: (c) => c.post('/sessions/987654/book'),
    status: 404,
    title: { cy: 'Heb ddod o hyd i’r dudalen', en: 'Page not found' },
    message: { cy: 'Ni allwn ddod o hyd i’r sesiwn honno. Efallai ei bod wedi’i dileu', en: 'We could not find that session. It may have been removed' },
  },
  {
    name: 'a calendar file for a session the volunteer is not on',
    who: 'wyn',
    ask: (c, w) => c.get(`/sessions/${w.friday}/calendar.ics`),
    status: 404,
    title: { cy: 'Heb ddod o hyd i’r dudalen', en: 'Page not found' },
    message: { cy: 'Does gennych chi ddim lle ar y sesiwn hon, felly does dim i’w ychwanegu at eich calendr', en: 'You are not booked on this session, so there is nothing to add to your calendar' },
  },
]

async function clients(w: World, welsh: boolean): Promise<Record<Who, Client>> {
  const made = {
    coordinator: await new Client(w.app).signInAs(w.coordinator),
    val: await new Client(w.app).signInAs(w.val.personId),
    wyn: await new Client(w.app).signInAs(w.wyn.personId),
  }
  if (welsh) for (const c of Object.values(made)) await c.get('/language/cy')
  return made
}

t.test('refusals in Welsh for a Welsh reader', async (t) => {
  const w = await world(t)
  const as = await clients(w, true)
  for (const c of cases) {
    const res = await c.ask(as[c.who], w)
    const text = said(res.body)
    t.equal(res.statusCode, c.status, `${c.name}: ${c.status}`)
    t.equal(htmlLang(res.body), 'cy', `${c.name}: marked Welsh`)
    t.notMatch(res.body, /rota-not-translated/, `${c.name}: no "not translated" notice`)
    if (c.title) t.equal(h1(res.body), c.title.cy, `${c.name}: Welsh title`)
    t.ok(text.includes(c.message.cy), `${c.name}: the Welsh message`)
    t.notOk(text.includes(c.message.en), `${c.name}: no English sentence`)
    if (c.title) t.notOk(text.includes(c.title.en), `${c.name}: no English title`)
  }
  // A link to an invitation that is not right, for a Welsh reader who is not signed in.
  const stranger = new Client(w.app)
  await stranger.get('/language/cy')
  const res = await stranger.get('/invitations/not-a-real-token')
  t.equal(res.statusCode, 404)
  t.equal(htmlLang(res.body), 'cy')
  t.match(said(res.body), /Nid yw’r ddolen i’r gwahoddiad hwn yn gywir\. Gwiriwch eich bod wedi copïo’r cyfan ohoni o’r e-bost/)
  t.notMatch(res.body, /This invitation link is not right/)
})

t.test('the same refusals in English, as before', async (t) => {
  const w = await world(t)
  const as = await clients(w, false)
  for (const c of cases) {
    const res = await c.ask(as[c.who], w)
    const text = said(res.body)
    t.equal(res.statusCode, c.status, `${c.name}: ${c.status}`)
    t.equal(htmlLang(res.body), 'en-GB', `${c.name}: marked English`)
    if (c.title) t.equal(h1(res.body), c.title.en, `${c.name}: English title`)
    t.ok(text.includes(c.message.en), `${c.name}: the English message`)
    t.notOk(text.includes(c.message.cy), `${c.name}: no Welsh`)
  }
  const res = await new Client(w.app).get('/invitations/not-a-real-token')
  t.equal(res.statusCode, 404)
  t.match(res.body, /This invitation link is not right\. Check you copied all of it from the email/)
})

t.test('an htmx request gets the refusal as a fragment in the reader’s language', async (t) => {
  const w = await world(t)
  const as = await clients(w, true)
  const res = await as.wyn.post(`/my-sessions/${w.wynWaiting}/cover`, {}, { headers: { 'hx-request': 'true' } })
  t.equal(res.statusCode, 409)
  t.notMatch(res.body, /<html/, 'the fragment, not the whole page')
  t.match(said(res.body), /Rydych chi ar y rhestr aros, felly does dim lle i rywun ei gymryd yn eich lle/)
  t.notMatch(res.body, /You are on the waiting list/)
})

// Every refusal these services throw names a catalogue key both languages have; none is a bare English sentence.
const DIRS = ['coordination', 'bookings', 'assignments', 'matching', 'sessions', 'branches', 'dashboard', 'people', 'jobs']
const THROWN = /new (?:UserError|ConflictError|NotFoundError|ForbiddenError)\(\s*(['"`{])([^)]*)/g

t.test('the refusals of these services are catalogue keys both languages have', async (t) => {
  const files = DIRS.flatMap((dir) =>
    fs.existsSync(path.join('src', dir)) ? fs.readdirSync(path.join('src', dir)).filter((f) => f.endsWith('.ts')).map((f) => path.join('src', dir, f)) : [],
  )
  const en = translator('en')
  const cy = translator('cy')
  let keys = 0
  for (const file of files) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(THROWN)) {
      t.equal(m[1], '{', `${file}: a Wording, not a sentence: ${m[0].slice(0, 80)}`)
      const key = /key:\s*'([a-zA-Z0-9_.]+)'/.exec(m[2] ?? '')?.[1]
      if (!key) continue
      keys++
      t.not(en(key), key, `${file}: ${key} is in the English catalogue`)
      t.not(cy(key), key, `${file}: ${key} is in the Welsh catalogue`)
      t.not(cy(key, { name: 'X' }), en(key, { name: 'X' }), `${file}: ${key} is worded in Welsh`)
    }
  }
  t.ok(keys >= 30, `the refusals were found (${keys})`)
})
