// The volunteer's account pages in Welsh (issue 16): privacy, "Your data" and its readable copy,
// deleting an account (the volunteer's own and an admin's for them), "Your calendar" with the
// reminder emails switch, the reminder and group message pages reached from an email, and answering
// an invitation (with a refusal by the booking rules) — each in Welsh with lang="cy" and no English
// left, and in English as before.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createAdmin, createSession } from '../helpers/fixtures.js'
import { world, volunteer, outbox, type World } from '../coordination/world.js'
import { textOf } from '../bookings/world.js'
import { switchUrl } from '../../src/mail/switches.js'
import { remindersWhen } from '../../src/reminders/reminders.service.js'
import { parseOffsets } from '../../src/reminders/schedule.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()
const mainText = (body: string) => textOf(/<main[\s\S]*<\/main>/.exec(body)?.[0] ?? body)
const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1]

async function welsh(w: World, email = 'gwen@example.org', name = 'Gwen Jones') {
  const v = await volunteer(w, email, name, [w.central])
  const browser = await new Client(w.app).signInAs(v.personId)
  await browser.get('/language/cy')
  return { v, browser }
}

t.test('privacy, Your data and the readable copy in Welsh, and in English as before', async (t) => {
  const w = await world(t)
  const { browser } = await welsh(w)

  let res = await browser.get('/privacy')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Preifatrwydd: sut rydyn ni’n defnyddio eich gwybodaeth')
  t.equal(title(res.body), 'Preifatrwydd: sut rydyn ni’n defnyddio eich gwybodaeth – Champion Rota')
  let text = mainText(res.body)
  t.match(text, /Am ba hyd rydyn ni’n ei chadw/)
  t.match(text, /am 24 mis ar ôl i chi adael/)
  t.match(res.body, /Mewngofnodwch ac ewch i <a class="govuk-link" href="\/profile\/data">Eich data<\/a> ar eich proffil/, 'the link inside the Welsh sentence')
  t.notMatch(text, /What we hold|Who sees it|How long we keep it|Your data|sign-in links/, 'no English left')
  t.notMatch(res.body, /rota-not-translated/)

  res = await browser.get('/profile/data')
  t.equal(h1(res.body), 'Eich data')
  text = mainText(res.body)
  t.match(text, /Gweld neu lawrlwytho eich data/)
  t.match(res.body, /<a class="govuk-link" href="\/profile\/data.json" download>Lawrlwytho eich data fel ffeil \(JSON\)<\/a>/)
  t.match(res.body, /<a class="govuk-button govuk-button--warning" href="\/profile\/delete">Dileu eich cyfrif<\/a>/)
  t.notMatch(text, /See or download|Delete your account|Read how we use/, 'no English left')

  res = await browser.get('/profile/data/view')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Popeth sydd gennym amdanoch chi')
  text = mainText(res.body)
  t.match(text, /Crëwyd 30 Tachwedd 2026 am 9yb\. Mae’r amseroedd fel y maen nhw’n cael eu cadw/, 'the date in Welsh')
  t.match(text, /pobl 1 cofnod/, 'a part’s heading and count in Welsh')
  t.match(text, /Pryd gallwch chi helpu bob wythnos/, 'what the part holds, in Welsh')
  t.match(res.body, /aria-label="pobl, cofnod 1"/)
  t.match(res.body, /<dt class="govuk-summary-list__key" lang="en">email<\/dt>/, 'the file’s own field names, marked as English')
  t.match(text, /gwen@example\.org/)
  t.notMatch(text, /Everything we hold|Made |Download the same|entries|entry|When you can help each week/, 'no English words of the page left')

  // The file holds the same descriptions in the language asked for; its names stay as data.
  const data = JSON.parse((await browser.get('/profile/data.json')).body)
  t.equal(data.fields.time_off, 'Dyddiadau pan fyddwch chi i ffwrdd, gyda’ch nodyn.')
  t.ok('people' in data.tables && 'availability_windows' in data.tables)

  await browser.get('/language/en')
  res = await browser.get('/privacy')
  t.equal(htmlLang(res.body), 'en-GB')
  t.equal(h1(res.body), 'Privacy: how we use your information')
  t.match(mainText(res.body), /Sign in and go to Your data on your profile\./)
  res = await browser.get('/profile/data/view')
  t.equal(h1(res.body), 'Everything we hold about you')
  text = mainText(res.body)
  t.match(text, /Made 30 November 2026 at 9am\. Times are shown as stored: milliseconds since 1 January 1970 \(UTC\)\. Download the same as a file \(JSON\)\./)
  t.match(text, /availability windows 7 entries When you can help each week/)
  t.match(text, /people 1 entry Your name, email address/)
  t.equal(JSON.parse((await browser.get('/profile/data.json')).body).fields.time_off, 'Dates you are away, with your note.')
})

t.test('deleting an account in Welsh: the volunteer’s own (with places), the page after, and an admin’s', async (t) => {
  const w = await world(t)
  const { v, browser } = await welsh(w)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', title: 'Sesiwn galw heibio', min: 1, max: 2 })
  const second = await createSession(w.db, w.central, { date: '2026-12-09', title: 'Clwb swyddi', min: 1, max: 2 })
  for (const id of [session, second]) t.equal((await w.coordinator.post(`/coordinate/sessions/${id}/assign`, { assign: String(v.volunteerId) })).statusCode, 303)

  let res = await browser.get('/profile/delete')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Dileu eich cyfrif')
  let text = mainText(res.body)
  t.match(text, /Does dim modd dadwneud hyn/)
  t.match(text, /rydych chi’n rhoi’r gorau i’ch 2 le ar sesiynau i ddod/, 'two places, with the soft mutation after 2')
  t.match(text, /Sesiwn galw heibio, Dydd Mawrth 8 Rhagfyr 2026/, 'the sessions given up, dated in Welsh')
  t.match(res.body, /Efallai yr hoffech chi <a class="govuk-link" href="\/profile\/data.json">lawrlwytho eich data<\/a> yn gyntaf/)
  t.match(res.body, />Dileu fy nghyfrif<\/button>/)
  t.notMatch(text, /Delete|cannot be undone|give up|coming sessions|Warning|Cancel|December|Tuesday/, 'no English left')

  res = await browser.post('/profile/delete', {})
  t.equal(res.statusCode, 303)
  res = await browser.get(res.headers.location as string)
  t.equal(htmlLang(res.body), 'cy', 'signed out, the browser keeps its Welsh')
  t.equal(h1(res.body), 'Mae eich cyfrif wedi’i ddileu')
  t.match(res.body, /<a class="govuk-link" href="\/apply">gwnewch gais i wirfoddoli<\/a>/)
  t.notMatch(mainText(res.body), /Thank you|deleted|welcome back/, 'no English left')

  // An admin deleting a volunteer's account, in Welsh: the same page speaking of the volunteer.
  const adminId = await createAdmin(w.db, 'admin@example.org', w.service)
  const admin = await new Client(w.app).signInAs(adminId)
  await admin.get('/language/cy')
  const other = await volunteer(w, 'huw@example.org', 'Huw Owen', [w.central])
  res = await admin.get(`/admin/volunteers/${other.volunteerId}/delete`)
  t.equal(res.statusCode, 200)
  t.equal(h1(res.body), 'Dileu cyfrif Huw Owen')
  t.equal(title(res.body), 'Dileu cyfrif gwirfoddolwr – Champion Rota')
  text = mainText(res.body)
  t.match(text, /does gan y gwirfoddolwr ddim lleoedd ar sesiynau i ddod/)
  t.match(text, /Gall y gwirfoddolwr gofrestru eto/)
  t.match(res.body, />Dileu’r cyfrif hwn<\/button>/)
  t.notMatch(text, /they have|They can|Delete this account/, 'no English left')
  res = await admin.post(`/admin/volunteers/${other.volunteerId}/delete`, {})
  t.equal(res.statusCode, 303)
  t.match(mainText((await admin.get('/admin')).body), /Mae cyfrif y gwirfoddolwr wedi’i ddileu a’r manylion wedi’u tynnu/, 'the confirmation in Welsh')

  // English as before.
  const en = await volunteer(w, 'ed@example.org', 'Ed English', [w.central])
  const enBrowser = await new Client(w.app).signInAs(en.personId)
  res = await enBrowser.get('/profile/delete')
  t.equal(htmlLang(res.body), 'en-GB')
  t.equal(h1(res.body), 'Delete your account')
  t.match(mainText(res.body), /When you delete your account, straight away: you have no places on coming sessions, so no session is affected/)
})

t.test('Your calendar and the reminder emails switch in Welsh, and the page an email links to', async (t) => {
  const w = await world(t)
  const { v, browser } = await welsh(w)
  let res = await browser.get('/calendar')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Eich calendr')
  let text = mainText(res.body)
  t.match(text, /Cadwch y ddolen hon i chi’ch hun/)
  t.match(res.body, /<label class="govuk-label govuk-label--s" for="feed-webcal">Dolen y calendr \(webcal\)<\/label>/)
  t.match(res.body, /Wrth ymyl <strong>Other calendars<\/strong>, dewiswch <strong>\+<\/strong>, yna <strong>From URL<\/strong>\./, 'the app’s own menu names, in bold, in a Welsh sentence')
  t.match(text, /Rydyn ni’n anfon e-bost atoch chi cyn pob sesiwn: 2 ddiwrnod ymlaen llaw, ac eto am 8yb ar y diwrnod\./, 'when reminders come, in Welsh')
  t.match(res.body, />Stopio negeseuon e-bost atgoffa<\/button>/)
  t.notMatch(text, /Your calendar|Keep this link|How to add it|Get a new|Reminder emails|We email you|days before|on the day/, 'no English left')

  res = await browser.post('/calendar/reminders', { reminders: 'off' })
  t.equal(res.statusCode, 303)
  res = await browser.get('/calendar')
  text = mainText(res.body)
  t.match(text, /Mae negeseuon e-bost atgoffa wedi’u diffodd\./, 'the confirmation in Welsh')
  t.match(res.body, /<strong>Mae negeseuon e-bost atgoffa wedi’u diffodd\.<\/strong> Rydych chi’n dal i gael/)
  t.match(res.body, />Troi negeseuon e-bost atgoffa yn ôl ymlaen<\/button>/)

  res = await browser.post('/calendar/reset', {})
  t.equal(res.statusCode, 303)
  res = await browser.get('/calendar')
  t.match(mainText(res.body), /Mae gennych chi ddolen newydd i’ch calendr/)

  // The page a reminder email's link opens: no sign-in, in the language of the volunteer it was
  // sent to (Welsh on her profile), whatever the browser asks for.
  await w.db.updateTable('people').set({ language: 'cy' }).where('id', '=', v.personId).execute()
  const path = new URL(switchUrl(w.app.ctx, 'reminders', v.volunteerId)).pathname
  const reader = new Client(w.app)
  res = await reader.get(path, { 'accept-language': 'en' })
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Negeseuon e-bost atgoffa')
  text = mainText(res.body)
  t.match(text, /Ar gyfer Gwen Jones\./)
  t.match(res.body, /Gallwch chi hefyd newid hyn ar <a class="govuk-link" href="\/calendar">dudalen eich calendr<\/a>/)
  t.notMatch(text, /Reminder emails|For Gwen|You can also/, 'no English left')
  await reader.get('/language/cy')
  res = await reader.post(path, { reminders: 'on' })
  t.equal(res.statusCode, 303)
  res = await reader.get(path)
  t.match(mainText(res.body), /^Llwyddiant Mae negeseuon e-bost atgoffa ymlaen eto\./, 'the confirmation in Welsh')

  // English as before.
  await reader.get('/language/en')
  res = await reader.get(path)
  t.equal(htmlLang(res.body), 'en-GB')
  t.match(mainText(res.body), /Reminder emails For Gwen Jones\. Reminder emails We email you before each session: two days before, and at 8am on the day\./)
  await browser.get('/language/en')
  res = await browser.get('/calendar')
  t.equal(h1(res.body), 'Your calendar')
  t.match(res.body, /Next to <strong>Other calendars<\/strong>, select <strong>\+<\/strong>, then <strong>From URL<\/strong>\./)
})

t.test('the switch for messages from coordinators in Welsh, and in English as before', async (t) => {
  const w = await world(t)
  const v = await volunteer(w, 'gwen@example.org', 'Gwen Jones', [w.central])
  const path = new URL(switchUrl(w.app.ctx, 'group-messages', v.volunteerId)).pathname
  const reader = new Client(w.app)
  await reader.get('/language/cy')
  let res = await reader.get(path)
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Negeseuon gan gydlynwyr')
  let text = mainText(res.body)
  t.match(text, /Gall cydlynwyr anfon e-bost atoch chi gyda newyddion/)
  t.match(res.body, />Stopio negeseuon gan gydlynwyr<\/button>/)
  t.notMatch(text, /Messages from|Coordinators can|You can also/, 'no English left')
  res = await reader.post(path, { groupMessages: 'off' })
  t.equal(res.statusCode, 303)
  res = await reader.get(path)
  text = mainText(res.body)
  t.match(text, /^Llwyddiant Mae negeseuon gan gydlynwyr wedi’u diffodd\. Negeseuon gan gydlynwyr Ar gyfer Gwen Jones\. Mae negeseuon gan gydlynwyr wedi’u diffodd\. Rydych chi’n dal i gael/, 'the confirmation, then the state')
  t.match(res.body, />Troi negeseuon gan gydlynwyr yn ôl ymlaen<\/button>/)
  await reader.get('/language/en')
  res = await reader.get(path)
  t.equal(h1(res.body), 'Messages from coordinators')
  t.match(mainText(res.body), /Messages from coordinators are off\. You still get messages about sessions you are on/)
})

t.test('answering an invitation in Welsh: the page, a refusal by the booking rules, booked; English as before', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', start: '10:00', end: '12:00', title: 'Sesiwn galw heibio', min: 1, max: 2 })
  const overlapping = await createSession(w.db, w.central, { date: '2026-12-08', start: '11:00', end: '13:00', title: 'Clwb swyddi' })
  const ed = await volunteer(w, 'ed@example.org', 'Ed Double', [w.central])
  const flo = await volunteer(w, 'flo@example.org', 'Flo Second', [w.central])
  t.equal((await w.coordinator.post(`/coordinate/sessions/${session}/invitations`, { invite: [String(ed.volunteerId), String(flo.volunteerId)] })).statusCode, 303)
  const linkFor = async (to: string) => {
    const mail = (await outbox(w.db, to)).filter((m) => m.kind === 'invitation').at(-1)!
    return /http:\/\/rota\.test(\/invitations\/[A-Za-z0-9_-]+)\?answer=accept/.exec(mail.text_body)![1]!
  }
  const edLink = await linkFor('ed@example.org')
  const client = new Client(w.app)
  await client.get('/language/cy')
  let res = await client.get(`${edLink}?answer=decline`)
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Allwch chi helpu yn y sesiwn hon?')
  t.equal(title(res.body), 'Gwahoddiad: Sesiwn galw heibio – Champion Rota')
  let text = mainText(res.body)
  t.match(text, /Pryd Dydd Mawrth 8 Rhagfyr 2026, 10yb i 12yh/, 'when, in Welsh')
  t.match(text, /Y bobl gyntaf i dderbyn fydd yn cael y lleoedd\. Atebwch erbyn 3 Rhagfyr 2026 am 9yb\./)
  t.match(text, /Dewisoch chi “Na, alla i ddim y tro hwn” yn yr e-bost/)
  t.match(res.body, />Na, alla i ddim y tro hwn<\/button>[\s\S]*>Gallaf, rwy’n gallu helpu<\/button>/, 'the answer chosen in the email first')
  t.notMatch(text, /Can you help|What|When|Where|Please answer|You chose|Yes, I can help|December|Tuesday/, 'no English left')

  // Ed has meanwhile been booked on another session at the same time: the rules refuse, in Welsh.
  await w.coordinator.post(`/coordinate/sessions/${overlapping}/assign`, { assign: String(ed.volunteerId) })
  res = await client.post(edLink, { answer: 'accept' })
  t.equal(res.statusCode, 409)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(title(res.body), 'Gwall: Gwahoddiad: Sesiwn galw heibio – Champion Rota')
  text = mainText(res.body)
  t.match(text, /Allwch chi ddim derbyn y gwahoddiad hwn/)
  t.match(text, /Clwb swyddi/, 'the clash named')
  t.notMatch(text, /You cannot accept|already booked|at the same time/, 'the refusal in Welsh, no English left')
  t.match(res.body, />Gallaf, rwy’n gallu helpu<\/button>/, 'the invitation stays open')

  // Flo accepts: booked.
  const floLink = await linkFor('flo@example.org')
  const floClient = new Client(w.app)
  await floClient.get('/language/cy')
  res = await floClient.post(floLink, { answer: 'accept' })
  t.equal(res.statusCode, 303)
  res = await floClient.get(floLink)
  t.equal(h1(res.body), 'Rydych chi wedi archebu lle')
  text = mainText(res.body)
  t.match(text, /Diolch, Flo Second/)
  t.match(res.body, /gallwch chi dynnu’n ôl o <a class="govuk-link" href="\/my-sessions">eich sesiynau<\/a>/)
  t.notMatch(text, /You are booked|Thank you|emailed you/, 'no English left')

  // English as before.
  res = await new Client(w.app).get(edLink)
  t.equal(htmlLang(res.body), 'en-GB')
  t.equal(h1(res.body), 'Can you help at this session?')
  t.match(mainText(res.body), /When Tuesday 8 December 2026, 10am to 12pm/)
  res = await new Client(w.app).post(edLink, { answer: 'accept' })
  t.equal(res.statusCode, 409)
  t.match(mainText(res.body), /You cannot accept this one You are already booked on Clwb swyddi at the same time\./)
})

t.test('when reminders come, in Welsh words with the plural forms numbers need', async (t) => {
  t.equal(remindersWhen(parseOffsets('2d,0d@08:00'), 'en'), 'two days before, and at 8am on the day', 'English as describeOffsets says it')
  t.equal(remindersWhen(parseOffsets('2d,0d@08:00'), 'cy'), '2 ddiwrnod ymlaen llaw, ac eto am 8yb ar y diwrnod')
  t.equal(remindersWhen(parseOffsets('1d@18:30,3h'), 'cy'), 'am 6:30yh y diwrnod cynt, ac eto 3 awr ymlaen llaw')
  t.equal(remindersWhen(parseOffsets('3d,1h,0d'), 'cy'), '3 diwrnod ymlaen llaw, awr ymlaen llaw, ac eto pan fydd yn dechrau')
})
