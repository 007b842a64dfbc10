// The evidence pages in Welsh and in English (issue 16): the recording link's form and what follows
// it (done, used, closed, expired), check-in, the coordinator's attendance page, the session report,
// /reports (page, charts and htmx fragment) and the partners' /network. Welsh after the header's
// switch: lang="cy", a Welsh heading, Welsh dates, the services' reasons and form messages in Welsh,
// none of the English words; English unchanged without it. The CSV files keep English headers.
import t, { type Test } from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createPerson } from '../helpers/fixtures.js'
import { textOf } from '../bookings/world.js'
import { evidenceWorld } from '../evidence/world.js'
import { queueRecordingPrompts } from '../../src/evidence/recording-links.service.js'

t.comment(`database: ${databaseLabel}`)

const DAY = 86_400_000
const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()
const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1]?.trim()

/** A Welsh page: lang="cy", no "not translated" notice, these Welsh phrases and none of the English ones. */
function welshPage(t: Test, body: string, name: string, heading: string, welsh: RegExp[], english: RegExp[]) {
  t.equal(htmlLang(body), 'cy', `${name} is marked Welsh`)
  t.notMatch(body, /rota-not-translated/, `${name}: no "not translated" notice`)
  t.notMatch(body, /<main[^>]* lang="en/, `${name}: no English block`)
  t.equal(h1(body), heading, `${name}: Welsh heading`)
  for (const w of welsh) t.match(body, w, `${name}: ${w}`)
  for (const e of english) t.notMatch(body, e, `${name}: no ${e}`)
}

async function welshClient(app: Client['app'], personId?: number) {
  const client = personId === undefined ? new Client(app) : await new Client(app).signInAs(personId)
  await client.get('/language/cy')
  return client
}

/** The clock stands at Monday 30 November 2026, 09:00 UTC: "Sunday drop-in" ended yesterday at noon. */
async function world(t: Test) {
  const w = await evidenceWorld(t)
  const sunday = await w.session({ date: '2026-11-29', start: '10:00', end: '12:00', title: 'Sunday drop-in', max: 6 })
  const ewa = await w.volunteer({ name: 'Ewa Nowak' })
  const raj = await w.volunteer({ name: 'Raj Patel' })
  const ewaPlace = await w.place(sunday, ewa.volunteerId)
  const rajPlace = await w.place(sunday, raj.volunteerId)
  await queueRecordingPrompts(w.app.ctx)
  const linkOf = async (assignmentId: number) => {
    const mail = await w.db.selectFrom('outbox').select('text_body').where('dedupe_key', '=', `recording-prompt:${assignmentId}`).executeTakeFirstOrThrow()
    return /http:\/\/rota\.test(\/record\/[A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!
  }
  return { ...w, sunday, ewa, raj, ewaPlace, rajPlace, linkOf }
}

t.test('the recording link, the attendance page and the session report, in Welsh and in English', async (t) => {
  const w = await world(t)
  const ewaLink = await w.linkOf(w.ewaPlace)
  const rajLink = await w.linkOf(w.rajPlace)

  // English, as before.
  let res = await new Client(w.app).get(ewaLink)
  t.equal(htmlLang(res.body), 'en-GB')
  t.equal(h1(res.body), 'How did Sunday drop-in go?')
  t.match(textOf(res.body), /Sunday 29 November 2026, 10am to 12pm, Central Library/)
  t.match(textOf(res.body), /Were you there\? I was there I couldn’t go Then you can leave the rest blank\./)
  t.match(textOf(res.body), /How many people did you help\? Count each person once, from 0 to 500\./)
  t.match(textOf(res.body), /Up to 500 characters\. No names\./)

  // Welsh: the form, then a refused answer with every message in Welsh.
  const phone = await welshClient(w.app)
  res = await phone.get(ewaLink)
  t.equal(res.statusCode, 200)
  welshPage(t, res.body, 'the recording form', 'Sut aeth Sunday drop-in?', [
    /Dydd Sul 29 Tachwedd 2026, 10yb i 12yh, Central Library/,
    /Oeddech chi yno\?/,
    /Roeddwn i yno/,
    /Doeddwn i ddim yn gallu mynd/,
    /Adroddiad y sesiwn/,
    /Faint o bobl y gwnaethoch chi eu helpu\?/,
    /Cyfrwch bob person unwaith, o 0 i 500\./,
    /Dewisol: ymwelwyr newydd neu rai sy’n dychwelyd/,
    /Nodyn byr i’r cydlynydd \(dewisol\)/,
    />Anfon</,
    /<title>Sut aeth Sunday drop-in\? – Champion Rota<\/title>/,
  ], [/Were you there/, /I was there/, /The session report/, /How many/, /Leave blank/, /Optional/, />Send</, /Sunday 29 November/, /10am/])

  res = await phone.post(ewaLink, { people: 'lots', [`topic-${w.skills.nhs}`]: '-1', 'came-back': '9', note: 'x'.repeat(501) })
  t.equal(res.statusCode, 400)
  welshPage(t, res.body, 'the refused recording form', 'Sut aeth Sunday drop-in?', [
    /<title>Gwall: Sut aeth Sunday drop-in\? – Champion Rota<\/title>/,
    /Mae problem wedi codi/,
    /Dewiswch “Roeddwn i yno” neu “Doeddwn i ddim yn gallu mynd”/,
    /Rhaid i nifer y bobl y gwnaethoch chi eu helpu fod yn rhif cyfan, fel 6/,
    /Rhaid i’r nifer a gafodd help gyda NHS App and health fod yn 0 neu fwy/,
    /Rhaid i’r nodyn fod yn 500 nod neu lai/,
    /<span class="govuk-visually-hidden">Gwall:<\/span>/,
  ], [/Choose/, /must be/, /There is a problem/, />Error:/])
  t.equal(await w.markOf(w.ewaPlace), null, 'nothing saved')

  res = await phone.post(ewaLink, { outcome: 'attended', people: '6', [`topic-${w.skills.nhs}`]: '4' })
  t.equal(res.statusCode, 200)
  welshPage(t, res.body, 'the recording done page', 'Diolch', [
    /Wedi’i gofnodi ar gyfer Sunday drop-in, Dydd Sul 29 Tachwedd 2026/,
    /Roeddech chi yno, ac mae adroddiad y sesiwn wedi’i gadw\./,
    /I newid unrhyw beth, <a class="govuk-link" href="\/sign-in\?next=\/my-sessions">mewngofnodwch<\/a> ac ewch i’ch sesiynau\./,
    /<title>Diolch: wedi’i gofnodi – Champion Rota<\/title>/,
  ], [/Thank you/, /Recorded for/, /You were there/, /sign in/])
  res = await phone.get(ewaLink)
  t.equal(res.statusCode, 410)
  welshPage(t, res.body, 'a used link', 'Mae’r ddolen hon wedi’i defnyddio', [/<a class="govuk-link" href="\/sign-in\?next=\/my-sessions">Mewngofnodwch i newid yr hyn a gofnodoch chi<\/a>/], [/This link has been used/, /What you sent/, /Sign in/])
  res = await new Client(w.app).get(ewaLink)
  t.equal(h1(res.body), 'This link has been used', 'English as before')
  t.match(textOf(res.body), /What you sent with it is saved\. Sign in to change what you recorded\./)

  // The coordinator's attendance page: who marked each place, and a refused answer, in Welsh.
  w.clock.set(Date.parse('2026-11-30T09:30:00Z'))
  const casey = await welshClient(w.app, w.coordinator)
  const attendanceUrl = `/coordinate/sessions/${w.sunday}/attendance`
  res = await casey.get(attendanceUrl)
  t.equal(res.statusCode, 200)
  welshPage(t, res.body, 'the attendance page', 'Sunday drop-in', [
    /<title>Pwy ddaeth i Sunday drop-in – Champion Rota<\/title>/,
    /Central Library, Dydd Sul 29 Tachwedd 2026/,
    /Pwy ddaeth/,
    /Wedi’i farcio gan y gwirfoddolwr/,
    /Heb ei farcio eto/,
    /Roedd yno/,
    /Cadw’r presenoldeb/,
    /Yn ôl i’r sesiwn/,
  ], [/Marked by/, /Not marked/, /Who came/, /Was there/, /Back to the session/, /Save attendance/, /November/])
  res = await casey.post(attendanceUrl, { [`attendance-${w.raj.volunteerId}`]: 'maybe' })
  t.equal(res.statusCode, 400)
  welshPage(t, res.body, 'the refused attendance page', 'Sunday drop-in', [/<title>Gwall: Pwy ddaeth i Sunday drop-in – Champion Rota<\/title>/, /Dewiswch &quot;Roedd yno&quot; neu &quot;Ni ddaeth&quot;/], [/Choose/, /Error:/])
  res = await casey.post(attendanceUrl, {})
  t.equal(res.statusCode, 400)
  t.match(res.body, /Dewiswch &quot;Roedd yno&quot; neu &quot;Ni ddaeth&quot; ar gyfer o leiaf un gwirfoddolwr/)
  t.equal((await casey.post(attendanceUrl, { [`attendance-${w.raj.volunteerId}`]: 'attended' })).statusCode, 303)
  const english = await new Client(w.app).signInAs(w.coordinator)
  res = await english.get(attendanceUrl)
  t.equal(htmlLang(res.body), 'en-GB')
  t.match(textOf(res.body), /Ewa Nowak Marked by the volunteer/)
  t.match(textOf(res.body), /Raj Patel Marked by a coordinator/)
  t.match(textOf(res.body), /Back to the session/)

  // Raj's link now says a coordinator has recorded him.
  res = await phone.get(rajLink)
  t.match(res.body, /Mae cydlynydd wedi cofnodi eich bod chi yno\. Os yw’n anghywir, gofynnwch iddyn nhw ei newid\./)
  t.match(res.body, /Mae adroddiad ar gyfer y sesiwn hon wedi dod i law yn barod/)

  // The session report page, and a refused report.
  const reportUrl = `/sessions/${w.sunday}/report`
  res = await casey.get(reportUrl)
  t.equal(res.statusCode, 200)
  welshPage(t, res.body, 'the session report', 'Newid adroddiad y sesiwn', [
    /Sunday drop-in, Central Library/,
    /Dydd Sul 29 Tachwedd 2026, 10yb i 12yh/,
    /Dim ond rhifau a phynciau\./,
    /Faint o bobl y gwnaethoch chi eu helpu\?/,
    /Gall un person gyfrif mewn mwy nag un pwnc\./,
    /Nodyn i’r cydlynydd \(dewisol\)/,
    /Hyd at 500 nod\. Er enghraifft/,
    />Cadw’r newidiadau</,
    />Yn ôl</,
  ], [/Change the session report/, /Only numbers/, /How many/, /Save changes/, />Back</, /Leave blank/])
  res = await casey.post(reportUrl, { people: '3', [`topic-${w.skills.phones}`]: '4', 'new-to-library': '501' })
  t.equal(res.statusCode, 400)
  welshPage(t, res.body, 'the refused session report', 'Newid adroddiad y sesiwn', [
    /<title>Gwall: Newid adroddiad y sesiwn – Champion Rota<\/title>/,
    /Ni all y nifer a gafodd help gyda Smartphones and tablets fod yn fwy na’r 3 o bobl a gafodd help/,
    /Rhaid i nifer y rhai oedd yn newydd i’r llyfrgell fod yn 500 neu lai/,
  ], [/cannot be more/, /must be/])
  res = await english.post(reportUrl, { people: '' })
  t.equal(res.statusCode, 400)
  t.equal(title(res.body), 'Error: Change the session report – Champion Rota', 'English as before')
  t.match(res.body, /Enter how many people you helped, as a number like 6/)

  // A cancelled session: nothing to record, said in Welsh.
  await w.db.updateTable('sessions').set({ status: 'cancelled', cancelled_at: 0 }).where('id', '=', w.sunday).execute()
  res = await phone.get(rajLink)
  t.equal(res.statusCode, 409)
  welshPage(t, res.body, 'a closed link', 'Dim i’w gofnodi ar gyfer Sunday drop-in', [/Cafodd y sesiwn hon ei chanslo, felly does dim i’w gofnodi\./, /<title>Dim i’w gofnodi: Sunday drop-in – Champion Rota<\/title>/], [/Nothing to record/, /cancelled/])
  res = await casey.get(reportUrl)
  t.match(res.body, /<strong>Cafodd y sesiwn hon ei chanslo, felly does dim i’w gofnodi\.<\/strong>/)
  res = await new Client(w.app).get(rajLink)
  t.match(textOf(res.body), /Nothing to record for Sunday drop-in This session was cancelled, so there is nothing to record\./, 'English as before')

  // Fifteen days on, the link has expired.
  w.clock.set(w.clock.now() + 15 * DAY)
  res = await phone.get(rajLink)
  t.equal(res.statusCode, 410)
  welshPage(t, res.body, 'an expired link', 'Mae’r ddolen hon wedi dod i ben', [/Mae dolenni’n para 14 diwrnod\. Gallwch gofnodi’r sesiwn o hyd: <a class="govuk-link" href="\/sign-in\?next=\/my-sessions">mewngofnodwch<\/a>/], [/expired/, /Links last/])
})

t.test('check-in and the volunteer’s own mark, in Welsh', async (t) => {
  const w = await world(t)
  const morning = await w.session({ date: '2026-11-30', start: '10:00', end: '12:00', title: 'Monday morning drop-in', max: 3 })
  const tomorrow = await w.session({ date: '2026-12-01', start: '10:00', end: '12:00', title: 'Tuesday drop-in', max: 3 })
  await w.place(morning, w.ewa.volunteerId)
  await w.place(tomorrow, w.ewa.volunteerId)
  const casey = await w.signIn(w.coordinator)
  await casey.get(`/coordinate/branches/${w.central}/checkin`)
  await casey.get(`/coordinate/branches/${w.central}/checkin?date=2026-12-01`)
  const codeOf = async (id: number) => (await w.db.selectFrom('sessions').select('checkin_code').where('id', '=', id).executeTakeFirstOrThrow()).checkin_code!
  const ewa = await welshClient(w.app, w.ewa.personId)

  let res = await ewa.get(`/checkin/${await codeOf(morning)}`)
  t.equal(res.statusCode, 200)
  welshPage(t, res.body, 'the check-in page', 'Cofrestru', [
    /<title>Cofrestru: Monday morning drop-in – Champion Rota<\/title>/,
    />Beth</,
    />Pryd</,
    />Ble</,
    /Dydd Llun 30 Tachwedd 2026, 10yb i 12yh/,
    /Pwyswch y botwm i ddweud wrth y cydlynydd eich bod chi wedi cyrraedd\./,
    />Rydw i yma</,
  ], [/Check in/, />What</, />When</, /Press the button/, /I’m here/, /November/, /10am/])
  res = await ewa.post(`/checkin/${await codeOf(morning)}`, {})
  t.equal(res.statusCode, 303)
  res = await ewa.get(`/checkin/${await codeOf(morning)}`)
  welshPage(t, res.body, 'checked in', 'Rydych chi wedi cofrestru', [
    /Rydych chi wedi cofrestru yn Monday morning drop-in\. Diolch am ddod\./,
    /Fe wnaethoch chi gofrestru am 9yb\./,
    /Mynd i’ch sesiynau/,
  ], [/checked in/, /Thank you/, /Go to your sessions/, /9am/])

  res = await ewa.get(`/checkin/${await codeOf(tomorrow)}`)
  t.equal(res.statusCode, 409)
  welshPage(t, res.body, 'check-in too early', 'Allwch chi ddim cofrestru yma', [
    /<title>Gwall: Cofrestru: Tuesday drop-in – Champion Rota<\/title>/,
    /Mae cofrestru’n agor am 9yb, Dydd Mawrth 1 Rhagfyr 2026, awr cyn i’r sesiwn ddechrau\./,
  ], [/Check-in opens/, /You cannot/, /December/])
  res = await (await w.signIn(w.ewa.personId)).get(`/checkin/${await codeOf(tomorrow)}`)
  t.match(textOf(res.body), /You cannot check in here .* Check-in opens at 9am on Tuesday 1 December 2026, an hour before the session starts\./, 'English as before')

  // Her own mark on My sessions: the thanks in Welsh.
  res = await ewa.post(`/my-sessions/${w.ewaPlace}/attendance`, { outcome: 'no_show' })
  t.equal(res.statusCode, 303)
  res = await ewa.get('/my-sessions')
  t.equal(htmlLang(res.body), 'cy')
  t.match(res.body, /Diolch am ddweud wrthym nad oeddech chi’n gallu mynd i Sunday drop-in, Dydd Sul 29 Tachwedd 2026\./)
  t.notMatch(res.body, /Thank you for telling us/)
})

t.test('/reports and /network in Welsh; the CSV headers stay English', async (t) => {
  const w = await world(t)
  // October: one reported session with 7 people, one held without a report.
  const oct = await w.session({ date: '2026-10-06', title: 'October class', min: 1, max: 2 })
  await w.place(oct, w.ewa.volunteerId, 'attended')
  await w.db.insertInto('session_reports').values({ session_id: oct, people_helped: 7, new_to_library: null, came_back: null, notes: '', recorded_by_person_id: null, recorded_at: 0 }).execute()
  await w.db.insertInto('session_report_topics').values({ session_id: oct, skill_id: w.skills.nhs, people_count: 3 }).execute()
  const unreported = await w.session({ date: '2026-10-13', title: 'Unreported class', min: 1, max: 2 })
  await w.place(unreported, w.raj.volunteerId, 'attended')
  const range = 'from=2026-10-01&to=2026-11-30'

  const casey = await welshClient(w.app, w.coordinator)
  let res = await casey.get(`/reports?${range}`)
  t.equal(res.statusCode, 200)
  welshPage(t, res.body, '/reports', 'Adroddiadau', [
    /Beth gyflawnodd y sesiynau yn eich canghennau/,
    /Fy holl ganghennau/,
    />Dangos y ffigurau</,
    /Neu dangoswch:/,
    /y 3 mis diwethaf/,
    /Rhwng Dydd Iau 1 Hydref 2026 a Dydd Llun 30 Tachwedd 2026/,
    /Sesiynau a gynhaliwyd/,
    /\(2 sesiwn wedi’u cynnal heb adroddiad eto, heb eu cyfrif\)/,
    /Fesul mis/,
    /<title id="chart-months-title">Pobl a gafodd help ac oriau gwirfoddolwyr fesul mis<\/title>/,
    /<desc id="chart-months-desc">Hydref 2026: 7 o bobl a gafodd help, 4 o oriau gwirfoddolwyr, 1 sesiwn heb adroddiad eto\. Tachwedd 2026: 0 o bobl/,
    />Pobl a gafodd help \(barrau\)</,
    />Hyd 2026</,
    /<th scope="row" class="govuk-table__header">Hydref 2026<\/th>/,
    /Cyfradd llenwi’r lleiafswm/,
    /Lawrlwytho’r ffigurau misol \(CSV\)/,
    /Gyda beth y cafodd pobl help/,
    /<title id="chart-topics-title">Pobl a gafodd help fesul pwnc<\/title>/,
    /Heb ei gysylltu â maes/,
    /Central Library, Hyd 2026/,
  ], [/Month by month/, /Sessions held/, /People helped/, /Show figures/, /Or show/, /the last 3 months/, /Download/, /October/, /November/, />Oct 2026</, /Not mapped/, /volunteer hours/, /not reported yet/, /held with no report/])

  res = await casey.get(`/reports?${range}`, { 'hx-request': 'true' })
  t.notMatch(res.body, /<html/, 'the htmx answer is the fragment')
  t.match(res.body, /Dangos y ffigurau/)
  t.notMatch(res.body, /Show figures|Month by month/)

  res = await casey.get('/reports?from=soon&branch=x')
  t.equal(res.statusCode, 400)
  welshPage(t, res.body, 'refused /reports', 'Adroddiadau', [/<title>Gwall: Adroddiadau – Champion Rota<\/title>/, /Rhowch y dyddiad dechrau fel dyddiad go iawn, fel 1\/6\/2026/, /Dewiswch gangen o’r rhestr/], [/Enter the start date/, /Choose a branch/])

  const english = await new Client(w.app).signInAs(w.coordinator)
  res = await english.get(`/reports?${range}`)
  t.equal(h1(res.body), 'Reports')
  t.match(res.body, /<desc id="chart-months-desc">October 2026: 7 people helped, 4 volunteer hours, 1 session not reported yet\. November 2026: 0 people helped/, 'English as before')
  t.match(res.body, /\(2 sessions held with no report yet, not counted\)/)

  const csv = await casey.get(`/reports/months.csv?${range}`)
  t.match(csv.body, /^\uFEFFMonth starting,Sessions held,Sessions cancelled,/, 'the CSV headers stay English in Welsh')

  // /network for a partner.
  const partner = await createPerson(w.db, 'pat@partner.example', 'Pat Partner')
  await w.db.insertInto('role_grants').values({ person_id: partner, role: 'partner', library_service_id: w.service, branch_id: null, created_at: 0 }).execute()
  const pat = await welshClient(w.app, partner)
  res = await pat.get(`/network?${range}`)
  t.equal(res.statusCode, 200)
  welshPage(t, res.body, '/network', 'Ffigurau’r rhwydwaith', [
    /Beth gyflawnodd sesiynau hyrwyddwyr digidol/,
    /mae cyfrif o 1 i 4 yn dangos “llai na 5”/,
    /Eich holl wasanaethau llyfrgell/,
    /Lawrlwytho’r ffigurau hyn \(CSV\)/,
    /Sesiynau fesul mis, Testshire Libraries/,
    /Gwirfoddolwyr a phobl a gafodd help fesul mis, Testshire Libraries/,
    /<td class="govuk-table__cell govuk-table__cell--numeric" data-measure="sessionsHeld">llai na 5<\/td>/,
    /<th scope="row" class="govuk-table__header">Hydref 2026<\/th>/,
    /y 12 mis diwethaf/,
  ], [/fewer than 5/, /Network figures/, /Show figures/, /Sessions by month/, /Library service</, /October/, /Download/])
  res = await pat.get('/network?service=abc')
  t.equal(res.statusCode, 400)
  t.match(res.body, /Dewiswch wasanaeth llyfrgell o’r rhestr/)
  t.notMatch(res.body, /Choose a library service/)
  const networkCsv = await pat.get(`/network/services.csv?${range}`)
  t.match(networkCsv.body, /^\uFEFFLibrary service,Month starting,Sessions held,/, 'the network CSV keeps its English headers')
  t.match(networkCsv.body, /fewer than 5/)
  res = await (await new Client(w.app).signInAs(partner)).get(`/network?${range}`)
  t.equal(h1(res.body), 'Network figures', 'English as before')
  t.match(res.body, /data-measure="sessionsHeld">fewer than 5</)
})
