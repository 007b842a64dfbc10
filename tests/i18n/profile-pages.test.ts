// The volunteer's profile and the application to volunteer in Welsh (issue 16): the profile page,
// each of its forms (details, skills, libraries, availability, time off, how often), their
// messages and mistakes, and the apply pages, each in Welsh with lang="cy" and no English left,
// and in English as before. Names an admin entered in Welsh are shown in Welsh.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { givePlace } from '../helpers/fixtures.js'
import { world, textOf } from '../bookings/world.js'
import { validateNewWindows, validateTimeOff } from '../../src/volunteers/profile.validation.js'
import { parseTime } from '../../src/forms/fields.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()
const titleOf = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1]
const mainText = (body: string) => textOf(/<main[\s\S]*<\/main>/.exec(body)?.[0] ?? body)

async function welshWorld(t: Parameters<typeof world>[0], o: Parameters<Awaited<ReturnType<typeof world>>['volunteer']>[0] = {}) {
  const w = await world(t)
  const v = await w.volunteer({ name: 'Gwen Jones', ...o })
  const browser = await w.signIn(v.personId)
  await browser.get('/language/cy')
  return { ...w, v, browser }
}

t.test('the profile page in Welsh, with the Welsh names admins entered; and in English as before', async (t) => {
  const w = await welshWorld(t, { skills: [], windows: [{ day: 2, start: '09:30', end: '13:00' }], timeOff: [{ start: '2026-12-21', end: '2026-12-24' }] })
  await w.db.updateTable('skills').set({ name_cy: 'Ap GIG ac iechyd' }).where('id', '=', w.skills.nhs).execute()
  await w.db.updateTable('skills').set({ name_cy: 'Pwyleg' }).where('id', '=', w.skills.polish).execute()
  await w.db.updateTable('branches').set({ name_cy: 'Llyfrgell Ganolog' }).where('id', '=', w.central).execute()
  await w.db.updateTable('training_kinds').set({ name_cy: 'Gwiriad DBS' }).where('id', '=', w.dbs).execute()
  await w.db.insertInto('volunteer_skills').values([w.skills.nhs, w.skills.polish].map((s) => ({ volunteer_id: w.v.volunteerId, skill_id: s }))).execute()
  await w.db
    .insertInto('volunteer_trainings')
    .values({ volunteer_id: w.v.volunteerId, training_kind_id: w.dbs, completed_on: '2024-01-10', expires_on: '2027-01-10', recorded_by_person_id: null, created_at: 0 })
    .execute()

  let res = await w.browser.get('/profile')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Eich proffil')
  t.equal(titleOf(res.body), 'Eich proffil – Champion Rota')
  let text = mainText(res.body)
  t.match(text, /Dyma beth mae cydlynwyr yn ei weld pan fyddan nhw’n chwilio am wirfoddolwyr/)
  t.match(text, /Eich manylion Newid Enw Gwen Jones Cyfeiriad e-bost v1@example\.org Rhif ffôn Heb ei roi/)
  t.match(text, /Sgiliau ac ieithoedd Newid Pynciau y gallwch chi helpu gyda nhw Ap GIG ac iechyd Ieithoedd Pwyleg/, 'the skills’ Welsh names')
  t.match(text, /Llyfrgelloedd y gallwch chi eu cyrraedd Llyfrgell Ganolog Llyfrgell gartref Llyfrgell Ganolog/, 'the branch’s Welsh name')
  t.match(text, /Pryd gallwch chi helpu Newid Dydd Mawrth 9:30yb i 1yh/, 'the day and the times in Welsh')
  t.match(text, /Amser i ffwrdd Newid Dydd Llun 21 Rhagfyr 2026 i Dydd Iau 24 Rhagfyr 2026 I ffwrdd/)
  t.match(text, /Pa mor aml Newid Y nifer fwyaf o sesiynau mewn mis 4 E-byst atgoffa Ie, cyn pob sesiwn Negeseuon gan gydlynwyr Ie/)
  t.match(text, /Hyfforddiant a gwiriadau Gwiriad DBS Wedi’i gwblhau: Dydd Mercher 10 Ionawr 2024 Yn ddilys tan Dydd Sul 10 Ionawr 2027/)
  t.match(text, /Eich data Gweld neu lawrlwytho popeth sydd gennym amdanoch chi/)
  t.match(res.body, /Newid<span class="govuk-visually-hidden"> sgiliau ac ieithoedd<\/span>/, 'the hidden part of “Change” in Welsh')
  t.notMatch(text, /Your details|Skills and languages|When you can help|Time off|How often|Training and checks|Change|Not given|Tuesday|Done|Valid until|NHS App and health|Central Library/, 'no English left')

  await w.browser.get('/language/en')
  res = await w.browser.get('/profile')
  t.equal(htmlLang(res.body), 'en-GB')
  t.equal(h1(res.body), 'Your profile')
  text = mainText(res.body)
  t.match(text, /Your details Change Name Gwen Jones Email address v1@example\.org Phone number Not given/)
  t.match(text, /Topics you can help with NHS App and health Languages Polish/, 'English names on an English page')
  t.match(text, /Libraries you can get to Central Library Home library Central Library/)
  t.match(text, /When you can help Change Tuesday 9:30am to 1pm/)
  t.match(text, /Time off Change Monday 21 December 2026 to Thursday 24 December 2026 Away/)
  t.match(text, /Most sessions a month 4 Reminder emails Yes, before each session Messages from coordinators Yes/)
  t.match(text, /DBS check Done Wednesday 10 January 2024 Valid until Sunday 10 January 2027/)
})

t.test('a new volunteer sets up their profile in Welsh, typing Welsh times', async (t) => {
  const w = await welshWorld(t, { skills: [], windows: [] })
  let res = await w.browser.get('/profile')
  t.match(mainText(res.body), /Pwysig Dywedwch wrthym beth allwch chi ei wneud a phryd/, 'the prompt to set up, in Welsh')

  res = await w.browser.get('/profile/skills?setup=1')
  t.equal(htmlLang(res.body), 'cy')
  t.match(mainText(res.body), /Sefydlu eich proffil: cam 1 o 4 Eich sgiliau a’ch ieithoedd/)
  t.equal((await w.browser.post('/profile/skills', { setup: '1', skills: [w.skills.nhs] })).headers.location, '/profile/libraries?setup=1')

  res = await w.browser.get('/profile/libraries?setup=1')
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Llyfrgelloedd y gallwch chi eu cyrraedd')
  let text = mainText(res.body)
  t.match(text, /Sefydlu eich proffil: cam 2 o 4/)
  t.match(text, /Pa lyfrgelloedd allwch chi eu cyrraedd\? Dim ond sesiynau yn y llyfrgelloedd hyn y byddwn ni’n eu dangos i chi/)
  t.match(text, /Pa un yw eich llyfrgell gartref\?/)
  t.match(text, /Cadw a pharhau/)
  t.notMatch(text, /Which|Save|libraries/, 'no English left')
  t.equal((await w.browser.post('/profile/libraries', { setup: '1', branches: [w.central, w.north], home: w.north })).headers.location, '/profile/availability?setup=1')

  res = await w.browser.get('/profile/availability?setup=1')
  t.equal(h1(res.body), 'Pryd gallwch chi helpu')
  text = mainText(res.body)
  t.match(text, /Sefydlu eich proffil: cam 3 o 4/)
  t.match(text, /Eich amseroedd arferol Dydych chi ddim wedi ychwanegu unrhyw amseroedd eto\./)
  t.match(text, /Pa ddyddiau\? Dewiswch yr holl ddyddiau sydd â’r un amseroedd\. Dydd Llun Dydd Mawrth Dydd Mercher Dydd Iau Dydd Gwener Dydd Sadwrn Dydd Sul/)
  t.match(text, /O Er enghraifft, 9:30yb neu 14:00 Tan Er enghraifft, 1yh neu 17:30 Ychwanegu’r amser hwn Parhau/)
  t.notMatch(text, /Which days|Monday|From|Until|Add this time|Continue|For example/, 'no English left')

  // The page shows times as 9:30yb and 1yh; a volunteer who types them so is understood.
  t.equal((await w.browser.post('/profile/availability', { setup: '1', days: [2, 4], from: '9:30yb', to: '1yh' })).headers.location, '/profile/availability?setup=1')
  res = await w.browser.get('/profile/availability?setup=1')
  text = mainText(res.body)
  t.match(text, /Mae’r amseroedd wedi’u hychwanegu at 2 ddiwrnod o’ch argaeledd/, 'the flash, with the Welsh dual form')
  t.match(text, /Dydd Mawrth 9:30yb i 1yh Tynnu Dydd Iau 9:30yb i 1yh Tynnu/)
  t.match(res.body, /Tynnu<span class="govuk-visually-hidden"> Dydd Mawrth 9:30yb i 1yh<\/span>/)
  t.equal((await w.browser.post('/profile/availability', { setup: '1', days: [6], from: '10yb', to: '12yh' })).statusCode, 303)
  t.match(mainText((await w.browser.get('/profile/availability?setup=1')).body), /Mae’r amser wedi’i ychwanegu at eich argaeledd/, 'one time added: the singular')
  const windows = await w.db.selectFrom('availability_windows').select(['day_of_week', 'start_time', 'end_time']).where('volunteer_id', '=', w.v.volunteerId).orderBy('day_of_week').execute()
  t.same(windows, [
    { day_of_week: 2, start_time: '09:30', end_time: '13:00' },
    { day_of_week: 4, start_time: '09:30', end_time: '13:00' },
    { day_of_week: 6, start_time: '10:00', end_time: '12:00' },
  ])

  res = await w.browser.get('/profile/preferences?setup=1')
  t.equal(h1(res.body), 'Pa mor aml gallwch chi helpu')
  text = mainText(res.body)
  t.match(text, /Sefydlu eich proffil: cam 4 o 4/)
  t.match(text, /Beth yw’r nifer fwyaf o sesiynau rydych chi am eu gwneud mewn mis\?/)
  t.match(text, /Ydych chi eisiau e-byst atgoffa cyn eich sesiynau\? .* Ydw Nac ydw/)
  t.match(text, /Ym mha iaith rydych chi eisiau eich e-byst a’ch gwahoddiadau calendr\? .* English Cymraeg Cadw a gorffen/)
  t.match(res.body, /lang="en-GB">English<\/label>/, 'each language named in its own language, marked so')
  t.notMatch(text.replace('English Cymraeg', ''), /What is|Do you want|Which language|Yes|No\b|Save/, 'no English left')
  t.equal((await w.browser.post('/profile/preferences', { setup: '1', maxPerMonth: '6', reminders: 'no', groupMessages: 'yes', language: 'cy' })).headers.location, '/profile?setup=done')

  res = await w.browser.get('/profile?setup=done')
  text = mainText(res.body)
  t.match(text, /Llwyddiant Mae eich proffil wedi’i sefydlu\. Dod o hyd i sesiynau y gallwch chi helpu ynddyn nhw/)
  t.match(text, /E-byst atgoffa Na/)
})

t.test('every form’s mistakes are said in Welsh, with a Welsh title; nothing is saved', async (t) => {
  const w = await welshWorld(t, { windows: [{ day: 2, start: '09:00', end: '12:00' }], timeOff: [{ start: '2026-12-20', end: '2026-12-27' }] })
  const cases: Array<[string, Record<string, string | number | Array<string | number>>, string, RegExp]> = [
    ['/profile/details', { name: '  ', phone: '' }, 'Eich manylion', /Rhowch eich enw llawn/],
    ['/profile/details', { name: 'Gwen', phone: 'ffoniwch fi' }, 'Eich manylion', /Rhowch rif ffôn, fel 01632 960 001 neu 07700 900 982/],
    ['/profile/skills', { skills: 'abc' }, 'Eich sgiliau a’ch ieithoedd', /Dewiswch sgiliau ac ieithoedd o’r rhestr/],
    ['/profile/libraries', {}, 'Llyfrgelloedd y gallwch chi eu cyrraedd', /Dewiswch o leiaf un llyfrgell y gallwch chi ei chyrraedd/],
    ['/profile/libraries', { branches: [w.central, 999999] }, 'Llyfrgelloedd y gallwch chi eu cyrraedd', /Dewiswch lyfrgelloedd o’r rhestr/],
    ['/profile/libraries', { branches: [w.central, w.north] }, 'Llyfrgelloedd y gallwch chi eu cyrraedd', /Dewiswch eich llyfrgell gartref/],
    ['/profile/availability', { from: '9yb', to: '5yh' }, 'Pryd gallwch chi helpu', /Dewiswch y dyddiau y gallwch chi helpu/],
    ['/profile/availability', { days: [1], from: '', to: '5yh' }, 'Pryd gallwch chi helpu', /Rhowch yr amser y gallwch chi ddechrau/],
    ['/profile/availability', { days: [1], from: 'bore', to: '5yh' }, 'Pryd gallwch chi helpu', /Rhaid i’r maes ‘Yr amser y gallwch chi ddechrau’ fod yn amser go iawn, fel 9:30yb neu 14:00/],
    ['/profile/availability', { days: [1], from: '2yh', to: '11yb' }, 'Pryd gallwch chi helpu', /Rhaid i’r amser rydych chi’n gorffen fod ar ôl yr amser rydych chi’n dechrau/],
    ['/profile/availability', { days: [2], from: '11yb', to: '2yh' }, 'Pryd gallwch chi helpu', /Dydd Mawrth: mae hyn yn gorgyffwrdd â 9yb i 12yh, sydd gennych chi’n barod\. Newidiwch yr amseroedd, neu tynnwch yr amser hwnnw yn gyntaf/],
    ['/profile/time-off', {}, 'Amser i ffwrdd', /Rhowch y dyddiad y mae eich amser i ffwrdd yn dechrau/],
    ['/profile/time-off', { 'start-day': '3', 'start-year': '2027' }, 'Amser i ffwrdd', /Rhaid i’r maes ‘Y dyddiad y mae eich amser i ffwrdd yn dechrau’ gynnwys mis/],
    ['/profile/time-off', { 'start-day': '10', 'start-month': '1', 'start-year': '2027', 'end-day': '5', 'end-month': '1', 'end-year': '2027' }, 'Amser i ffwrdd', /Rhaid i’r dyddiad y mae eich amser i ffwrdd yn gorffen fod yr un peth â’r dyddiad y mae’n dechrau, neu ar ei ôl/],
    ['/profile/time-off', { 'start-day': '24', 'start-month': '12', 'start-year': '2026', 'end-day': '2', 'end-month': '1', 'end-year': '2027' }, 'Amser i ffwrdd', /Mae gennych chi amser i ffwrdd yn barod o 20 Rhagfyr 2026 i 27 Rhagfyr 2026/],
    ['/profile/time-off', { 'start-day': '1', 'start-month': '1', 'start-year': '2030' }, 'Amser i ffwrdd', /Rhaid i’r dyddiad y mae eich amser i ffwrdd yn dechrau fod o fewn y 2 flynedd nesaf/],
    ['/profile/preferences', { maxPerMonth: '40', reminders: 'yes' }, 'Pa mor aml gallwch chi helpu', /Rhaid i’r maes ‘Y nifer fwyaf o sesiynau mewn mis’ fod yn rhif cyfan o 1 i 31/],
    ['/profile/preferences', { maxPerMonth: '4', reminders: 'efallai' }, 'Pa mor aml gallwch chi helpu', /Dewiswch ‘Ydw’ os ydych chi eisiau e-byst atgoffa cyn eich sesiynau/],
  ]
  const before = await w.db.selectFrom('availability_windows').select('id').where('volunteer_id', '=', w.v.volunteerId).execute()
  for (const [path, form, title, message] of cases) {
    const res = await w.browser.post(path, form)
    const label = `${path} ${JSON.stringify(form)}`
    t.equal(res.statusCode, 400, `${label} → 400`)
    t.equal(htmlLang(res.body), 'cy', `${label}: lang="cy"`)
    t.equal(titleOf(res.body), `Gwall: ${title} – Champion Rota`, `${label}: the title in Welsh`)
    const text = mainText(res.body)
    t.match(text, /Mae problem wedi codi/, `${label}: the summary in Welsh`)
    t.match(text, message, `${label}: the message in Welsh`)
    t.notMatch(text, /Enter |Select |must be|There is a problem|You already have/, `${label}: no English left`)
    t.match(res.body, /<span class="govuk-visually-hidden">Gwall:<\/span>/, `${label}: the inline message’s hidden prefix in Welsh`)
  }
  t.equal((await w.db.selectFrom('availability_windows').select('id').where('volunteer_id', '=', w.v.volunteerId).execute()).length, before.length, 'nothing was saved')

  // The same mistakes in English, as before.
  await w.browser.get('/language/en')
  const res = await w.browser.post('/profile/availability', { days: [2], from: '11am', to: '2pm' })
  t.equal(titleOf(res.body), 'Error: When you can help – Champion Rota')
  t.match(mainText(res.body), /On Tuesday this overlaps 9am to 12pm, which you already have/)
})

t.test('time off in Welsh: saved, the warning about a booking inside it, and removed', async (t) => {
  const w = await welshWorld(t)
  const s = await w.session({ date: '2026-12-15', title: 'Sesiwn galw heibio' })
  await givePlace(w.db, { sessionId: s, volunteerId: w.v.volunteerId, state: 'confirmed' })

  let res = await w.browser.get('/profile/time-off')
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Amser i ffwrdd')
  let text = mainText(res.body)
  t.match(text, /Yn ôl i’ch proffil/)
  t.match(text, /I ddod Does gennych chi ddim amser i ffwrdd i ddod\./)
  t.match(text, /Y diwrnod cyntaf i ffwrdd Er enghraifft, 27 3 2027 Diwrnod Mis Blwyddyn Y diwrnod olaf i ffwrdd/)
  t.match(text, /Nodyn \(dewisol\)/)
  t.notMatch(text, /Coming up|First day|Day Month Year|Note|Add time off/, 'no English left')

  res = await w.browser.post('/profile/time-off', { 'start-day': '14', 'start-month': '12', 'start-year': '2026', 'end-day': '18', 'end-month': '12', 'end-year': '2026', note: 'Gwyliau' })
  t.equal(res.statusCode, 303)
  res = await w.browser.get('/profile/time-off')
  text = mainText(res.body)
  t.match(text, /Mae eich amser i ffwrdd wedi’i gadw\. Rydych chi wedi archebu lle ar sesiwn yn ystod yr amser hwnnw o hyd: tynnwch yn ôl yn Fy sesiynau os na allwch chi fynd/)
  t.match(text, /Dydd Llun 14 Rhagfyr 2026 i Dydd Gwener 18 Rhagfyr 2026 Gwyliau ! Rydych chi wedi archebu lle ar Sesiwn galw heibio, Maw 15 Rhag o hyd\. Tynnwch yn ôl yn Fy sesiynau os na allwch chi fynd\./)
  t.match(res.body, /<span class="govuk-visually-hidden">Rhybudd<\/span>/)
  t.match(res.body, /Tynnu<span class="govuk-visually-hidden"> amser i ffwrdd Dydd Llun 14 Rhagfyr 2026 i Dydd Gwener 18 Rhagfyr 2026<\/span>/)
  t.match(res.body, new RegExp(`<a class="govuk-link" href="/sessions/${s}">Sesiwn galw heibio, Maw 15 Rhag</a>`))
  t.match(res.body, /<a class="govuk-link" href="\/my-sessions">Tynnwch yn ôl yn Fy sesiynau<\/a> os na allwch chi fynd\./)
  t.notMatch(text, /still booked|Withdraw|Warning|Remove/, 'no English left')

  const range = await w.db.selectFrom('time_off').select('id').where('volunteer_id', '=', w.v.volunteerId).executeTakeFirstOrThrow()
  t.equal((await w.browser.post(`/profile/time-off/${range.id}/remove`, {})).statusCode, 303)
  t.match(mainText((await w.browser.get('/profile/time-off')).body), /Mae eich amser i ffwrdd wedi’i dynnu/)

  // In English, as before.
  await w.browser.get('/language/en')
  await w.browser.post('/profile/time-off', { 'start-day': '14', 'start-month': '12', 'start-year': '2026', 'end-day': '18', 'end-month': '12', 'end-year': '2026' })
  text = mainText((await w.browser.get('/profile/time-off')).body)
  t.match(text, /Monday 14 December 2026 to Friday 18 December 2026 Away ! You are still booked on Sesiwn galw heibio, Tue 15 Dec\. Withdraw in My sessions if you cannot go\./)
})

t.test('details and skills saved in Welsh: the confirmations in Welsh', async (t) => {
  const w = await welshWorld(t)
  await w.db.updateTable('skills').set({ name_cy: 'Ffonau clyfar a thabledi' }).where('id', '=', w.skills.phones).execute()
  let res = await w.browser.get('/profile/skills')
  t.match(mainText(res.body), /Ffonau clyfar a thabledi/, 'the skill’s Welsh name on the form')
  t.equal((await w.browser.post('/profile/skills', { skills: [w.skills.phones] })).statusCode, 303)
  t.match(mainText((await w.browser.get('/profile')).body), /Mae eich sgiliau a’ch ieithoedd wedi’u cadw/)
  t.equal((await w.browser.post('/profile/details', { name: 'Gwen Jones', phone: '07700 900 123' })).statusCode, 303)
  t.match(mainText((await w.browser.get('/profile')).body), /Mae eich manylion wedi’u cadw/)
  t.equal((await w.browser.post('/profile/libraries', { branches: [w.central] })).statusCode, 303)
  t.match(mainText((await w.browser.get('/profile')).body), /Mae eich llyfrgelloedd wedi’u cadw/)
  t.equal((await w.browser.post('/profile/preferences', { maxPerMonth: '3', reminders: 'yes' })).statusCode, 303)
  res = await w.browser.get('/profile')
  t.match(mainText(res.body), /Mae eich dewisiadau wedi’u cadw/)
  const windows = await w.db.selectFrom('availability_windows').select('id').where('volunteer_id', '=', w.v.volunteerId).execute()
  t.equal((await w.browser.post(`/profile/availability/${windows[0]!.id}/remove`, {})).statusCode, 303)
  t.match(mainText((await w.browser.get('/profile/availability')).body), /Mae’r amser wedi’i dynnu o’ch argaeledd/)
})

t.test('applying to volunteer in Welsh: the form, its mistakes and the confirmation; and in English as before', async (t) => {
  const w = await world(t)
  await w.db.updateTable('branches').set({ name_cy: 'Llyfrgell Ganolog' }).where('id', '=', w.central).execute()
  const anyone = new Client(w.app)
  await anyone.get('/language/cy')
  let res = await anyone.get('/apply')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Gwneud cais i fod yn hyrwyddwr digidol')
  t.equal(titleOf(res.body), 'Gwneud cais i wirfoddoli – Champion Rota')
  let text = mainText(res.body)
  t.match(text, /Dywedwch wrthym pwy ydych chi a pha lyfrgelloedd y gallwch chi eu cyrraedd\./)
  t.match(text, /Enw llawn Cyfeiriad e-bost Byddwn ni’n anfon eich dolenni mewngofnodi a’ch gwahoddiadau i sesiynau yma\. Rhif ffôn \(dewisol\)/)
  t.match(text, /Pa lyfrgelloedd allwch chi eu cyrraedd\? Dewiswch bob un sy’n berthnasol\./)
  t.match(text, /Anfon y cais/)
  t.match(res.body, new RegExp(`value="${w.central}">\\s*<label[^>]*>Llyfrgell Ganolog</label>`), 'the branch’s Welsh name')
  t.notMatch(text, /Apply|Full name|Email address|Phone number|Which libraries|Select all|Send application/, 'no English left')

  res = await anyone.post('/apply', { name: '', email: 'not-an-address', phone: 'abc' })
  t.equal(res.statusCode, 400)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(titleOf(res.body), 'Gwall: Gwneud cais i wirfoddoli – Champion Rota')
  text = mainText(res.body)
  t.match(text, /Mae problem wedi codi/)
  t.match(text, /Rhowch eich enw llawn/)
  t.match(text, /Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft\.com/)
  t.match(text, /Rhowch rif ffôn, fel 01632 960 001 neu 07700 900 982/)
  t.match(text, /Dewiswch o leiaf un llyfrgell y gallwch chi ei chyrraedd/)
  t.notMatch(text, /Enter |Select |There is a problem/, 'no English left')

  res = await anyone.post('/apply', { name: 'Gwen Jones', email: 'gwen@example.org', branches: [w.central, w.elsewhere] })
  t.equal(res.statusCode, 400)
  t.match(mainText(res.body), /Dewiswch lyfrgelloedd o un gwasanaeth llyfrgell yn y rhestr/)
  res = await anyone.post('/apply', { name: 'Gwen Jones', email: '', branches: 'abc' })
  t.match(mainText(res.body), /Rhowch eich cyfeiriad e-bost .*Dewiswch lyfrgelloedd o’r rhestr/)

  res = await anyone.post('/apply', { name: 'Gwen Jones', email: 'gwen@example.org', branches: w.central })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/apply/sent')
  // The language they chose in the header is kept as their choice, so the email saying so is in Welsh too
  // (in a service whose default is English; without a choice, the service's default: tests/i18n/emails.test.ts).
  const applicant = await w.db.selectFrom('people').select(['id', 'language']).where('email', '=', 'gwen@example.org').executeTakeFirstOrThrow()
  t.equal(applicant.language, 'cy', 'the language chosen in the header kept on the new person')
  await w.app.mail.worker.drain()
  const received = await w.db.selectFrom('mailbox').select(['subject']).where('to_address', '=', 'gwen@example.org').execute()
  t.same(received.map((m) => m.subject), ['Diolch am wneud cais i fod yn hyrwyddwr digidol'], 'the application email in Welsh')
  res = await anyone.get('/apply/sent')
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Cais wedi’i anfon')
  text = mainText(res.body)
  t.match(text, /Rydyn ni wedi anfon e-bost atoch\. Bydd cydlynydd yn edrych ar eich cais/)
  t.match(res.body, /Gallwch <a class="govuk-link" href="\/sign-in">fewngofnodi<\/a> unrhyw bryd gyda’r cyfeiriad e-bost a roesoch\./)
  t.notMatch(text, /Application sent|We have sent|sign in/, 'no English left')

  await anyone.get('/language/en')
  res = await anyone.get('/apply')
  t.equal(htmlLang(res.body), 'en-GB')
  t.equal(h1(res.body), 'Apply to be a digital champion')
  t.match(mainText(res.body), /Central Library/, 'the English name on an English page')
  res = await anyone.post('/apply', { name: '', email: '' })
  t.equal(titleOf(res.body), 'Error: Apply to volunteer – Champion Rota')
  t.match(mainText(res.body), /Enter your full name .*Enter your email address .*Select at least one library you can get to/)
  res = await anyone.get('/apply/sent')
  t.match(mainText(res.body), /Application sent .*You can sign in at any time with the email address you gave\./)
})

t.test('the rules word their messages in the language asked for, and English as they always did', async (t) => {
  t.equal(parseTime('9:30yb'), '09:30')
  t.equal(parseTime('2yh'), '14:00')
  t.equal(parseTime('12yb'), '00:00')
  t.equal(parseTime('y.h.'), null)
  const existing = [{ day: 1, start: '09:00', end: '12:00' }]
  t.match(validateNewWindows({ days: '1', from: '11:00', to: '13:00' }, existing), { errors: [{ message: 'On Monday this overlaps 9am to 12pm, which you already have. Change the times, or remove that time first' }] })
  t.match(validateNewWindows({ days: '1', from: '11:00', to: '13:00' }, existing, 'cy'), { errors: [{ message: 'Dydd Llun: mae hyn yn gorgyffwrdd â 9yb i 12yh, sydd gennych chi’n barod. Newidiwch yr amseroedd, neu tynnwch yr amser hwnnw yn gyntaf' }] })
  const full = Array.from({ length: 6 }, (_, i) => ({ day: 7, start: `0${i}:00`, end: `0${i}:30` }))
  t.match(validateNewWindows({ days: '7', from: '20:00', to: '21:00' }, full, 'cy'), { errors: [{ message: 'Gallwch ychwanegu hyd at 6 amser ar gyfer pob diwrnod. Tynnwch un o’r amseroedd ar gyfer dydd Sul yn gyntaf' }] })
  const many = Array.from({ length: 50 }, (_, i) => ({ start: `2027-0${1 + (i % 9)}-0${1 + Math.floor(i / 9)}`, end: `2027-0${1 + (i % 9)}-0${1 + Math.floor(i / 9)}` }))
  t.match(validateTimeOff({ 'start-day': '1', 'start-month': '12', 'start-year': '2026' }, '2026-11-30', many, 'cy'), { errors: [{ message: 'Gallwch gael hyd at 50 cyfnod o amser i ffwrdd. Tynnwch hen un yn gyntaf' }] })
  t.match(validateTimeOff({ 'start-day': '1', 'start-month': '12', 'start-year': '2026' }, '2026-11-30', many), { errors: [{ message: 'You can have up to 50 periods of time off. Remove an old one first' }] })
})
