// The coordinator's pages in Welsh and in English (issue 16): /coordinate, the gap board (whole page
// and its htmx fragment) and the session list. Welsh after the header's switch: lang="cy", a Welsh
// heading, Welsh dates, none of the English words; English unchanged without it.
import t from 'tap'
import { ManualClock } from '../../src/clock.js'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createBranch, createCoordinator, createService, createSession, createVolunteer, givePlace } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()

async function world(t: Parameters<typeof testApp>[0]) {
  // Tuesday 1 December 2026, 9am in London.
  const { app } = await testApp(t, { clock: new ManualClock(Date.parse('2026-12-01T09:00:00Z')) })
  const service = await createService(app.db)
  const central = await createBranch(app.db, service, 'Central Library')
  const coordinator = await createCoordinator(app.db, 'coord@example.org', service, null, 'Casey Coordinator')
  await createSession(app.db, central, { date: '2026-12-02', title: 'Wednesday drop-in', min: 2, max: 3 })
  await createSession(app.db, central, { date: '2026-12-03', title: 'Thursday class', min: 1, max: 3 })
  await createVolunteer(app.db, 'ann@example.org', service, [central], { name: 'Ann Applicant', status: 'applied' })
  const val = await createVolunteer(app.db, 'val@example.org', service, [central], { name: 'Val Volunteer' })
  const friday = await createSession(app.db, central, { date: '2026-12-04', title: 'Friday help', min: 1, max: 3 })
  await givePlace(app.db, { sessionId: friday, volunteerId: val.volunteerId })
  return { app, coordinator, friday, val: val.volunteerId, central }
}

const pages: Array<{ url: string; cy: string; en: string; english: RegExp[]; welsh: RegExp[] }> = [
  {
    url: '/coordinate',
    cy: 'Eich canghennau',
    en: 'Your branches',
    english: [/Gaps to fill/, /Schedule a session/, /The next 7 days/, /Needs 2 more/, /Calendars and emails/, /Sessions with no report yet/, /December/],
    welsh: [/Y 7 diwrnod nesaf/, /Dydd Mawrth 1 Rhagfyr i Ddydd Llun 7 Rhagfyr 2026|Dydd Mawrth 1 Rhagfyr i Dydd Llun 7 Rhagfyr 2026/, /Angen 2 arall/, /Calendrau ac e-byst/, /<a class="govuk-link" href="\/coordinate\/messages\/new">Anfon neges at wirfoddolwyr<\/a>/],
  },
  {
    url: '/coordinate/gaps',
    cy: 'Bylchau i’w llenwi',
    en: 'Gaps to fill',
    english: [/Quick ranges/, /short of/, /Below their minimum/, /Short sessions by branch and week/, /w\/c/, /all your branches/, /this week/],
    welsh: [/Mae angen 3 gwirfoddolwr ar 2 sesiwn/, /w\/d 30 Tach/, /O dan eu lleiafswm/, /yr wythnos hon/, /Dydd Mawrth 1 Rhagfyr 2026 i /, /4 wythnos/],
  },
  {
    url: '/coordinate/sessions',
    cy: 'Sesiynau',
    en: 'Sessions',
    english: [/Schedule a session/, /Show sessions/, /Sessions in date order/, /Short by/, / of 3/],
    welsh: [/Trefnu sesiwn/, /3 sesiwn/, /Sesiynau yn nhrefn dyddiad/, /Angen 2 arall/, /0 o 3/],
  },
  {
    url: '/coordinate/volunteers',
    cy: 'Gwirfoddolwyr',
    en: 'Volunteers',
    english: [/Name or email/, /Skills and languages/, /applied<\/a> and is waiting for approval/, /Any \(not left\)/, />Active</],
    welsh: [/Enw neu gyfeiriad e-bost/, /<a class="govuk-link" href="\/coordinate\/volunteers\?status=applied">Mae 1 person wedi gwneud cais<\/a> ac yn aros/, />Gweithredol</, />Wedi gwneud cais</, /2 wirfoddolwr/],
  },
  {
    url: '/reports/unreported',
    cy: 'Sesiynau heb adroddiad eto',
    en: 'Sessions with no report yet',
    english: [/Every session of the last 30 days has its report/],
    welsh: [/Mae gan bob sesiwn o’r 30 diwrnod diwethaf ei hadroddiad/],
  },
  {
    url: '/coordinate/calendars',
    cy: 'Calendrau canghennau',
    en: 'Branch calendars',
    english: [/Keep them to yourself/, /in Google Calendar choose <strong>Other calendars<\/strong>, <strong>\+<\/strong>/, /Get a new link for Central Library/],
    welsh: [/Cadwch nhw i chi’ch hun/, /dewiswch <strong>Other calendars<\/strong>, <strong>\+<\/strong>/, /Cael dolen newydd ar gyfer Central Library/],
  },
]

t.test('the coordinator’s pages in Welsh', async (t) => {
  const { app, coordinator } = await world(t)
  const client = await new Client(app).signInAs(coordinator)
  await client.get('/language/cy')
  for (const page of pages) {
    const res = await client.get(page.url)
    t.equal(res.statusCode, 200, page.url)
    t.equal(htmlLang(res.body), 'cy', `${page.url} is marked Welsh`)
    t.equal(h1(res.body), page.cy, `${page.url}: Welsh heading`)
    t.notMatch(res.body, /rota-not-translated/, `${page.url}: no "not translated" notice`)
    for (const w of page.welsh) t.match(res.body, w, `${page.url}: ${w}`)
    for (const e of page.english) t.notMatch(res.body, e, `${page.url}: no ${e}`)
  }
  const fragment = await client.get('/coordinate/gaps?weeks=2', { 'hx-request': 'true' })
  t.notMatch(fragment.body, /<html/, 'the htmx answer is the fragment')
  t.match(fragment.body, /y 2 wythnos nesaf/)
  t.match(fragment.body, /Dangos bylchau/)
  t.notMatch(fragment.body, /Show gaps|Quick ranges/)
})

t.test('cancelling a session and taking someone off it, in Welsh and in English', async (t) => {
  const { app, coordinator, friday, val } = await world(t)
  const english = await new Client(app).signInAs(coordinator)
  const welsh = await new Client(app).signInAs(coordinator)
  await welsh.get('/language/cy')

  let res = await english.get(`/coordinate/sessions/${friday}/cancel`)
  t.equal(h1(res.body), 'Cancel this session')
  t.match(res.body, /This cancels the session on Friday 4 December 2026, 10am to 12pm\./)
  t.match(res.body, /Everyone booked gets a cancellation/)
  res = await welsh.get(`/coordinate/sessions/${friday}/cancel?scope=rest`)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Canslo gweddill y gyfres')
  t.match(res.body, /Mae hyn yn canslo’r sesiwn ar Dydd Gwener 4 Rhagfyr 2026 a phob un ddiweddarach/)
  t.match(res.body, /<title>Canslo gweddill y gyfres – Champion Rota<\/title>/)
  t.notMatch(res.body, /Keep it|Cancel these sessions|Warning/)

  res = await english.get(`/coordinate/sessions/${friday}/remove?volunteer=${val}`)
  t.equal(h1(res.body), 'Take Val Volunteer off Friday help?')
  t.match(res.body, /Nobody is on the waiting list, so the place will be open for someone else\./)
  res = await welsh.get(`/coordinate/sessions/${friday}/remove?volunteer=${val}`)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Tynnu Val Volunteer oddi ar Friday help?')
  t.match(res.body, /Does neb ar y rhestr aros/)
  t.notMatch(res.body, /Back to the session|Reason \(optional\)|No, go back/)

  res = await welsh.post(`/coordinate/sessions/${friday}/remove`, { volunteer: val, reason: 'x'.repeat(501) })
  t.equal(res.statusCode, 400, 'a reason too long changes nothing')
  t.equal(htmlLang(res.body), 'cy')
  t.match(res.body, /Mae problem wedi codi/)
  t.match(res.body, /Rhaid i’r rheswm fod yn 500 nod neu lai/)
  t.match(res.body, /<title>Gwall: Tynnu Val Volunteer oddi ar y sesiwn hon – Champion Rota<\/title>/)
  res = await english.post(`/coordinate/sessions/${friday}/remove`, { volunteer: val, reason: 'x'.repeat(501) })
  t.equal(res.statusCode, 400)
  t.match(res.body, /Reason must be 500 characters or fewer/)
  t.match(res.body, /<title>Error: Take Val Volunteer off this session – Champion Rota<\/title>/)
})

t.test('messages sent to volunteers, listed and one by one, in Welsh and in English', async (t) => {
  const { app, coordinator, central } = await world(t)
  const english = await new Client(app).signInAs(coordinator)
  const form = { audience: `branch:${central}`, subject: 'Library closed on Friday', body: 'Closed for training.' }
  const preview = await english.post('/coordinate/messages/preview', form)
  const count = new RegExp('name="count" value="([^"]*)"').exec(preview.body)?.[1]
  const sent = await english.post('/coordinate/messages/send', { ...form, count })
  t.equal(sent.statusCode, 303)
  let res = await english.get(sent.headers.location as string)
  t.match(res.body, /Your message is on its way to 1 volunteer/)
  t.match(res.body, /A branch: Volunteers at Central Library/)
  t.match(res.body, /1 volunteer: 0 sent, 1 queued/)
  t.match(res.body, /Who it went to/)
  res = await english.get('/coordinate/messages')
  t.equal(h1(res.body), 'Messages you have sent')
  t.match(res.body, /1 December 2026 at 9am/)

  // The audience is kept as data and worded when shown: a Welsh reader gets it in Welsh
  // (tests/i18n/messages-pages.test.ts has the rest).
  const welsh = await new Client(app).signInAs(coordinator)
  await welsh.get('/language/cy')
  res = await welsh.get(sent.headers.location as string)
  t.equal(htmlLang(res.body), 'cy')
  t.notMatch(res.body, /rota-not-translated/)
  t.match(res.body, /Cangen: Gwirfoddolwyr yn Central Library/)
  t.match(res.body, /1 gwirfoddolwr: 0 wedi’u hanfon, 1 yn y ciw/)
})

t.test('the check-in sheet in Welsh and in English, with its date error', async (t) => {
  const { app, coordinator, central } = await world(t)
  const english = await new Client(app).signInAs(coordinator)
  let res = await english.get(`/coordinate/branches/${central}/checkin?date=2026-12-02`)
  t.equal(res.statusCode, 200)
  t.equal(h1(res.body), 'Check-in sheet for Wednesday 2 December 2026')
  t.match(res.body, /<title>Check-in sheet: Central Library, Wednesday 2 December 2026 – Champion Rota<\/title>/)
  t.match(res.body, /QR code to check in to Wednesday drop-in, 10am to 12pm/)
  t.match(res.body, /Volunteers: scan this code with your phone when you arrive/)
  res = await english.get(`/coordinate/branches/${central}/checkin?date=2026-02-31`)
  t.equal(res.statusCode, 400)
  t.match(res.body, /Enter a real date, like 2026-12-08/)
  t.match(res.body, /<title>Error: Check-in sheet: Central Library – Champion Rota<\/title>/)

  const welsh = await new Client(app).signInAs(coordinator)
  await welsh.get('/language/cy')
  res = await welsh.get(`/coordinate/branches/${central}/checkin?date=2026-12-02`)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Taflen gofrestru ar gyfer Dydd Mercher 2 Rhagfyr 2026')
  t.match(res.body, /Cod QR i gofrestru ar gyfer Wednesday drop-in, 10yb i 12yh/)
  t.match(res.body, /Gwirfoddolwyr: sganiwch y cod hwn/)
  t.notMatch(res.body, /Print this page|Show this day|Or go to|QR code to/)
  res = await welsh.get(`/coordinate/branches/${central}/checkin?date=2026-02-31`)
  t.equal(res.statusCode, 400)
  t.match(res.body, /Rhowch ddyddiad go iawn, fel 2026-12-08/)
  t.match(res.body, /<title>Gwall: Taflen gofrestru: Central Library – Champion Rota<\/title>/)
})

t.test('the same pages in English are as before', async (t) => {
  const { app, coordinator } = await world(t)
  const client = await new Client(app).signInAs(coordinator)
  for (const page of pages) {
    const res = await client.get(page.url)
    t.equal(res.statusCode, 200, page.url)
    t.equal(htmlLang(res.body), 'en-GB')
    t.equal(h1(res.body), page.en)
    for (const e of page.english) t.match(res.body, e, `${page.url}: ${e}`)
  }
  const gaps = await client.get('/coordinate/gaps')
  t.match(gaps.body, /2 sessions short of 3 volunteers/)
  t.match(gaps.body, /Tuesday 1 December 2026 to Monday 28 December 2026, all your branches\./)
  t.match(gaps.body, /<th scope="col" class="govuk-table__header govuk-table__header--numeric">w\/c 30 Nov<\/th>/)
  const home = await client.get('/coordinate')
  t.match(home.body, /Tuesday 1 December to Monday 7 December 2026/)
  t.match(home.body, /<li><a class="govuk-link" href="\/coordinate\/messages\/new">Message volunteers<\/a> \(<a class="govuk-link" href="\/coordinate\/messages">sent messages<\/a>\)<\/li>/)
  t.match(home.body, /Emails not delivered \(none\)/)
})
