// The coordinator's session page (candidates, near misses, invitations, what each action says),
// auto-fill and a volunteer's record, in Welsh and in English (issue 16). Welsh after the header's
// switch: lang="cy", Welsh headings and reasons, none of the English words; English as before.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createSession, givePlace } from '../helpers/fixtures.js'
import { world, volunteer, type World } from '../coordination/world.js'
import { coordinatorCatalogueWording } from '../../src/coordination/coordinator-wording.js'
import { scoreInEnglish, type ScoreSaid } from '../../src/matching/score.js'
import { checkRules, type Names, type SessionNeeds, type VolunteerProfile } from '../../src/matching/eligibility.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)/.exec(body)?.[1]?.trim()
const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1]

t.test('the catalogue’s English is the rules’ and the score’s own English, word for word', async (t) => {
  const en = coordinatorCatalogueWording('en')
  const reasons: ScoreSaid[] = [
    { key: 'askedLanguage', skill: 'Polish' },
    { key: 'askedTopic', skill: 'Email' },
    { key: 'recent', count: 0 },
    { key: 'recent', count: 1 },
    { key: 'recent', count: 3 },
    { key: 'home' },
    { key: 'series', times: 1 },
    { key: 'series', times: 2 },
    { key: 'series', times: 5 },
    { key: 'declines', count: 1 },
    { key: 'declines', count: 2 },
    { key: 'hasNeeded', list: 'Email, NHS App' },
    { key: 'free', day: 2, part: 'afternoons' },
  ]
  for (const r of reasons) t.equal(en.reason(r), scoreInEnglish(r), `reason ${JSON.stringify(r)}`)

  const names: Names = { skill: () => 'NHS App', skillKind: () => 'topic', training: () => 'Safeguarding adults', branch: () => 'East Library' }
  const session: SessionNeeds = {
    id: 1, branchId: 2, seriesId: null, title: 'Help', localDate: '2026-12-08', startTime: '14:00', endTime: '16:00',
    startsAt: Date.parse('2026-12-08T14:00:00Z'), endsAt: Date.parse('2026-12-08T16:00:00Z'),
    requiredSkillIds: [5], preferredSkillIds: [], requiredTrainingIds: [7], min: 1, max: 2, confirmed: 0,
  }
  const profile: VolunteerProfile = {
    id: 9, name: 'Pat', status: 'paused', homeBranchId: 3, branchIds: [3], skillIds: [], windows: [], maxPerMonth: 1,
    trainings: [{ trainingKindId: 7, completedOn: '2024-01-01', expiresOn: '2026-11-03' }],
    timeOff: [{ start: '2026-12-01', end: '2026-12-12' }],
    commitments: [
      { sessionId: 2, title: 'Other help', startsAt: session.startsAt, endsAt: session.endsAt, localDate: '2026-12-08' },
    ],
  }
  const failures = checkRules(profile, session, names)
  t.equal(failures.length, 8, 'every rule fails, each with its data')
  for (const f of failures) t.equal(en.rule(f.said!), f.toCoordinator, `rule ${f.rule}`)
  for (const status of ['applied', 'left'] as const) {
    const [f] = checkRules({ ...profile, status }, session, names, ['status'])
    t.equal(en.rule(f!.said!), f!.toCoordinator)
  }
})

async function staffedSession(t: Parameters<typeof world>[0]) {
  const w = await world(t)
  const series = (await w.db.insertInto('series').values({ branch_id: w.central, title: 'NHS App help', kind: 'drop_in', rrule: 'FREQ=WEEKLY;BYDAY=TU,TH', start_time: '14:00', end_time: '16:00', starts_on: '2026-11-01', until_on: '2027-01-28', min_volunteers: 1, max_volunteers: 2, created_by_person_id: null, created_at: 0, updated_at: 0 }).returning('id').executeTakeFirstOrThrow()).id
  const session = await createSession(w.db, w.central, { date: '2026-12-08', start: '14:00', end: '16:00', title: 'NHS App help', seriesId: series, min: 1, max: 2 })
  await w.db.insertInto('session_skills').values([{ session_id: session, skill_id: w.skills.nhs, requirement: 'required' }, { session_id: session, skill_id: w.skills.polish, requirement: 'preferred' }]).execute()
  await w.db.insertInto('session_trainings').values({ session_id: session, training_kind_id: w.trainings.safeguarding }).execute()
  const trained = [{ kind: w.trainings.safeguarding, expires: '2027-06-01' }]
  const pola = await volunteer(w, 'pola@example.org', 'Pola Speaker', [w.central], { skills: [w.skills.nhs, w.skills.polish], trainings: trained })
  const kim = await volunteer(w, 'keen@example.org', 'Kim Keen', [w.central], { skills: [w.skills.nhs], trainings: trained })
  const lee = await volunteer(w, 'leave@example.org', 'Lee Leave', [w.central], { skills: [w.skills.nhs], trainings: trained, timeOff: [{ start: '2026-12-01', end: '2026-12-12' }] })
  await volunteer(w, 'lapsed@example.org', 'Lou Lapsed', [w.central], { skills: [w.skills.nhs], trainings: [{ kind: w.trainings.safeguarding, completed: '2024-01-01', expires: '2026-11-03' }] })
  await volunteer(w, 'mornings@example.org', 'Mo Mornings', [w.central], { skills: [w.skills.nhs], trainings: trained, windows: [{ day: 2, start: '09:00', end: '12:00' }] })
  await volunteer(w, 'far@example.org', 'Fay Faraway', [w.east], { skills: [w.skills.nhs], trainings: trained })
  for (const date of ['2026-11-10', '2026-11-17']) {
    const past = await createSession(w.db, w.central, { date, start: '14:00', end: '16:00', seriesId: series })
    await givePlace(w.db, { sessionId: past, volunteerId: kim.volunteerId, state: 'attended' })
  }
  const welsh = await new Client(w.app).signInAs(w.coordinatorId)
  await welsh.get('/language/cy')
  return { w, session, pola: pola.volunteerId, kim: kim.volunteerId, lee: lee.volunteerId, welsh }
}

const ENGLISH_ON_SESSION_PAGE = [
  /Speaks Polish/, /asked for/, /in the last 30 days/, /Has helped at this series/, /Home library/, /Available Tuesday/,
  /\(needed\)/, /on leave until/, /expired 3 Nov/, /not available/, /does not go to/, /Every Tuesday/, /Who could come/, /Invite the people selected/,
]

t.test('the session page in Welsh: reasons, near misses, the series, and what inviting, adding and withdrawing say', async (t) => {
  const { w, session, pola, lee, welsh } = await staffedSession(t)

  let res = await welsh.get(`/coordinate/sessions/${session}`)
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy', 'the page is marked Welsh')
  t.notMatch(res.body, /rota-not-translated/, 'no "not translated" notice')
  t.equal(h1(res.body), 'NHS App help')
  t.match(res.body, /Pwy allai ddod/)
  // The candidates' reasons, from the catalogue.
  t.match(res.body, /<li>Yn siarad Polish \(gofynnwyd am hyn\)<\/li>/)
  t.match(res.body, /<li>Dim sesiynau yn y 30 diwrnod diwethaf<\/li>/)
  t.match(res.body, /<li>2 sesiwn yn y 30 diwrnod diwethaf<\/li>/)
  t.match(res.body, /<li>Wedi helpu yn y gyfres hon ddwywaith<\/li>/)
  t.match(res.body, /<li>Llyfrgell gartref<\/li>/)
  t.match(res.body, /<li>Ar gael ar brynhawniau dydd Mawrth<\/li>/)
  t.match(res.body, /<li>Mae ganddyn nhw NHS App and health \(sydd ei angen\)<\/li>/)
  // The near misses, each with its one rule.
  t.match(res.body, /Lee Leave<\/a><\/td><td class="govuk-table__cell">ar wyliau tan 12 Rhag<\/td>/)
  t.match(res.body, /Lou Lapsed<\/a><\/td><td class="govuk-table__cell">daeth Safeguarding adults i ben ar 3 Tach<\/td>/)
  t.match(res.body, /Mo Mornings<\/a><\/td><td class="govuk-table__cell">ddim ar gael ar brynhawniau dydd Mawrth<\/td>/)
  t.match(res.body, /Fay Faraway<\/a><\/td><td class="govuk-table__cell">ddim yn mynd i Central Library<\/td>/)
  // The series, in Welsh words and date.
  t.match(res.body, /Bob dydd Mawrth a dydd Iau \(y sesiwn olaf: [^)]*28 Ionawr 2027\)/)
  for (const e of ENGLISH_ON_SESSION_PAGE) t.notMatch(res.body, e, `no ${e}`)

  // Inviting nobody, then Pola: the problem and the message are Welsh.
  res = await welsh.post(`/coordinate/sessions/${session}/invitations`, {})
  res = await welsh.get(res.headers.location as string)
  t.match(res.body, /Dewiswch o leiaf un person i’w wahodd/)
  t.match(title(res.body) ?? '', /^Gwall: NHS App help, Central Library/)
  res = await welsh.post(`/coordinate/sessions/${session}/invitations`, { invite: [String(pola), String(lee)] })
  t.equal(res.statusCode, 303)
  res = await welsh.get(`/coordinate/sessions/${session}`)
  t.match(res.body, /Anfonwyd gwahoddiad at Pola Speaker\. Heb eu hanfon: Lee Leave: ar wyliau tan 12 Rhag/)
  t.match(res.body, /Yn aros am ateb/)
  t.notMatch(res.body, /Invitation sent|Not sent|Waiting for reply/)

  // Adding someone the rules refuse: the session page says why, in Welsh.
  res = await welsh.post(`/coordinate/sessions/${session}/assign`, { assign: String(lee) })
  t.equal(res.statusCode, 409)
  t.equal(htmlLang(res.body), 'cy')
  t.match(res.body, /Does dim modd ychwanegu Lee Leave: ar wyliau tan 12 Rhag/)
  t.notMatch(res.body, /cannot be added|on leave/)

  // Withdrawing Pola's invitation with htmx: the section's notice is Welsh.
  const inv = await w.db.selectFrom('invitations').innerJoin('assignments', 'assignments.id', 'invitations.assignment_id').select('invitations.id').where('assignments.volunteer_id', '=', pola).executeTakeFirstOrThrow()
  res = await welsh.post(`/coordinate/invitations/${inv.id}/withdraw`, { session: String(session) }, { headers: { 'hx-request': 'true' } })
  t.match(res.body, /Mae’r gwahoddiad i Pola Speaker wedi’i dynnu’n ôl ac maen nhw wedi cael gwybod\./)
  t.match(res.body, /Wedi’i dynnu’n ôl/)
  t.notMatch(res.body, /has been withdrawn|Withdrawn/)
  res = await welsh.post(`/coordinate/invitations/${inv.id}/withdraw`, { session: String(session) }, { headers: { 'hx-request': 'true' } })
  t.match(res.body, /Mae Pola Speaker eisoes wedi ateb, neu mae’r gwahoddiad wedi dod i ben\./)

  // Adding Pola directly, then taking her off: both messages Welsh.
  res = await welsh.post(`/coordinate/sessions/${session}/assign`, { assign: String(pola) })
  t.equal(res.statusCode, 303)
  res = await welsh.get(`/coordinate/sessions/${session}`)
  t.match(res.body, /Mae Pola Speaker wedi’i gadarnhau erbyn hyn ac wedi cael gwahoddiad calendr/)
  t.match(res.body, /o’r llenwi awtomatig|wedi’u hychwanegu gan gydlynydd/)
  res = await welsh.post(`/coordinate/sessions/${session}/remove`, { volunteer: String(pola) })
  res = await welsh.get(`/coordinate/sessions/${session}`)
  t.match(res.body, /Mae Pola Speaker wedi’i dynnu oddi ar y sesiwn hon ac wedi cael e-bost/)
  t.notMatch(res.body, /has been taken off|is now confirmed/)
})

t.test('the session page and its messages in English are as before', async (t) => {
  const { w, session, pola, lee } = await staffedSession(t)
  let res = await w.coordinator.get(`/coordinate/sessions/${session}`)
  t.equal(htmlLang(res.body), 'en-GB')
  t.match(res.body, /Speaks Polish \(asked for\)/)
  t.match(res.body, /Has helped at this series twice/)
  t.match(res.body, /Available Tuesday afternoons/)
  t.match(res.body, /Every Tuesday and Thursday until Thursday 28 January 2027/)
  t.match(res.body, /on leave until 12 Dec/)
  res = await w.coordinator.post(`/coordinate/sessions/${session}/invitations`, { invite: [String(pola), String(lee)] })
  res = await w.coordinator.get(`/coordinate/sessions/${session}`)
  t.match(res.body, /Invitation sent to Pola Speaker\. Not sent: Lee Leave: on leave until 12 Dec/)
  res = await w.coordinator.post(`/coordinate/sessions/${session}/assign`, { assign: String(lee) })
  t.equal(res.statusCode, 409)
  t.match(res.body, /Lee Leave cannot be added: on leave until 12 Dec/)
  t.match(title(res.body) ?? '', /^Error: NHS App help/)
})

async function autofillWorld(t: Parameters<typeof world>[0]): Promise<{ w: World; welsh: Client }> {
  const w = await world(t)
  await createSession(w.db, w.central, { date: '2026-12-08', title: 'Tuesday help', min: 2, max: 3 })
  await volunteer(w, 'ann@example.org', 'Ann Able', [w.central])
  await volunteer(w, 'bob@example.org', 'Bob Busy', [w.central])
  const welsh = await new Client(w.app).signInAs(w.coordinatorId)
  await welsh.get('/language/cy')
  return { w, welsh }
}

t.test('auto-fill in Welsh: the form, a date error, the proposal and what was sent', async (t) => {
  const { w, welsh } = await autofillWorld(t)
  let res = await welsh.get('/coordinate/autofill?run=1&from=2026-11-30&until=2026-12-27')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.notMatch(res.body, /rota-not-translated/)
  t.equal(h1(res.body), 'Llenwi’n awtomatig')
  t.match(res.body, /Cynnig: 2 le/)
  t.match(res.body, /Mae 2 le yn dod â sesiynau i fyny i’w lleiafswm a 0 lle ychwanegol, allan o 3 lle gwag\./)
  t.match(res.body, /Angen ar gyfer y lleiafswm/)
  t.match(res.body, /<li>Dim sesiynau yn y 30 diwrnod diwethaf<\/li>/)
  t.match(res.body, /Anfon gwahoddiadau/)
  t.notMatch(res.body, /Proposal|Needed for minimum|No sessions in the last|Send invitations|How auto-fill chooses|All my branches/)

  res = await welsh.get('/coordinate/autofill?run=1&from=2026-12-27&until=2026-12-01')
  t.equal(res.statusCode, 400)
  t.match(res.body, /Mae problem wedi codi/)
  t.match(res.body, /Rhaid i’r dyddiad gorffen fod ar y dyddiad dechrau neu ar ei ôl/)
  t.match(title(res.body) ?? '', /^Gwall: Llenwi’n awtomatig/)
  t.notMatch(res.body, /The end date must|Error:/)

  const proposal = await welsh.get('/coordinate/autofill?run=1&from=2026-11-30&until=2026-12-27')
  const kept = [...proposal.body.matchAll(/name="lines" type="checkbox" value="(\d+:\d+)"/g)].map((m) => m[1]!)
  res = await welsh.post('/coordinate/autofill', { mode: 'invite', from: '2026-11-30', until: '2026-12-27' })
  t.equal(res.statusCode, 400, 'no lines kept')
  t.match(res.body, /Cadwch o leiaf un llinell i’w hanfon/)
  res = await welsh.post('/coordinate/autofill', { lines: kept, mode: 'invite', from: '2026-11-30', until: '2026-12-27' })
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Anfonwyd 2 wahoddiad')
  t.match(res.body, /Mae Ann Able wedi cael gwahoddiad/)
  t.match(res.body, /Gweld y bylchau sydd ar ôl<\/a>\./)
  t.notMatch(res.body, /invitations sent|has been invited|See the gaps/)
  // Sent again: each line is refused, in Welsh.
  res = await welsh.post('/coordinate/autofill', { lines: kept, mode: 'invite', from: '2026-11-30', until: '2026-12-27' })
  t.match(res.body, /Doedd dim modd anfon 2 linell/)
  t.match(res.body, /eisoes wedi cael gwahoddiad a heb ateb eto/)

  // English, as before.
  res = await w.coordinator.get('/coordinate/autofill?run=1&from=2026-11-30&until=2026-12-27')
  t.equal(h1(res.body), 'Auto-fill')
  t.match(res.body, /Nothing to propose|Proposal: /)
  res = await w.coordinator.get('/coordinate/autofill?run=1&from=2026-12-27&until=2026-12-01')
  t.match(res.body, /The end date must be on or after the start date/)
})

t.test('a volunteer’s record and the reject and leave pages in Welsh, with the reason’s error; English as before', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', title: 'Tuesday help' })
  const val = await volunteer(w, 'val@example.org', 'Val Volunteer', [w.central], { skills: [w.skills.polish, w.skills.email], windows: [{ day: 1, start: '09:00', end: '12:00' }] })
  await givePlace(w.db, { sessionId: session, volunteerId: val.volunteerId })
  const ann = await volunteer(w, 'ann@example.org', 'Ann Applicant', [w.central], { status: 'applied' })
  const welsh = await new Client(w.app).signInAs(w.coordinatorId)
  await welsh.get('/language/cy')

  let res = await welsh.get(`/coordinate/volunteers/${val.volunteerId}`)
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.notMatch(res.body, /rota-not-translated/)
  t.equal(h1(res.body), 'Val Volunteer')
  t.match(res.body, />Gweithredol</)
  t.match(res.body, /Fel arfer yn rhydd/)
  t.match(res.body, /<li>Dydd Llun, 9yb i 12yh<\/li>/)
  t.match(res.body, /Central Library \(cartref: Central Library\)/)
  t.match(res.body, /Hyfforddiant a gwiriadau/)
  t.match(res.body, /Ar y gweill/)
  t.match(res.body, /Nodi fel wedi gadael/)
  t.notMatch(res.body, /Usually free|Monday|Training and checks|Coming up|Mark as left|Most sessions a month|>Active</)

  res = await welsh.post(`/coordinate/volunteers/${val.volunteerId}/pause`, {})
  res = await welsh.get(`/coordinate/volunteers/${val.volunteerId}`)
  t.match(res.body, /Mae Val Volunteer wedi’i oedi erbyn hyn: ni fydd yn cael cynnig sesiynau nes i chi ei wneud yn weithredol eto\. Mae ganddyn nhw le o hyd ar 1 sesiwn sydd i ddod/)
  t.match(res.body, />Wedi oedi</)

  res = await welsh.get(`/coordinate/volunteers/${val.volunteerId}/leave`)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Ydych chi’n siŵr bod Val Volunteer wedi gadael?')
  t.match(res.body, /Byddan nhw’n cael eu tynnu oddi ar 1 sesiwn sydd i ddod/)
  t.match(res.body, /Tuesday help, Central Library: Dydd Mawrth 8 Rhagfyr 2026/)
  t.notMatch(res.body, /Are you sure|upcoming session|Go back/)

  res = await welsh.get(`/coordinate/volunteers/${ann.volunteerId}/reject`)
  t.equal(h1(res.body), 'Ydych chi’n siŵr eich bod am wrthod cais Ann Applicant?')
  res = await welsh.post(`/coordinate/volunteers/${ann.volunteerId}/reject`, { reason: 'x'.repeat(501) })
  t.equal(res.statusCode, 400)
  t.equal(htmlLang(res.body), 'cy')
  t.match(res.body, /Mae problem wedi codi/)
  t.match(res.body, /Rhaid i’r rheswm fod yn 500 nod neu lai/)
  t.match(title(res.body) ?? '', /^Gwall: Ydych chi’n siŵr eich bod am wrthod cais Ann Applicant\?/)
  t.notMatch(res.body, /Reason must be|Reason \(optional\)|Reject the application|Error:/)
  res = await welsh.post(`/coordinate/volunteers/${ann.volunteerId}/reject`, { reason: '' })
  t.equal(res.statusCode, 303)
  res = await welsh.get(`/coordinate/volunteers/${ann.volunteerId}`)
  t.match(res.body, /Mae Ann Applicant wedi cael gwybod nad yw ei gais yn cael ei symud ymlaen/)

  // Recording a training: the message on the record is Welsh.
  res = await welsh.post(`/coordinate/volunteers/${val.volunteerId}/trainings/new`, { kind: String(w.trainings.safeguarding), completed: '2026-11-02', expires: '' })
  t.equal(res.statusCode, 303)
  res = await welsh.get(`/coordinate/volunteers/${val.volunteerId}`)
  t.match(res.body, /Safeguarding adults wedi’i gofnodi ar gyfer Val Volunteer, yn ddilys tan [^<]*Tachwedd 2028/)
  t.match(res.body, /cofnodwyd gan Chris Walker/)
  t.notMatch(res.body, /recorded for|recorded by|valid until/)

  // English, as before.
  res = await w.coordinator.get(`/coordinate/volunteers/${val.volunteerId}`)
  t.equal(htmlLang(res.body), 'en-GB')
  t.match(res.body, /<li>Monday, 9am to 12pm<\/li>/)
  t.match(res.body, /Central Library \(home: Central Library\)/)
  t.match(res.body, />Paused</)
  res = await w.coordinator.get(`/coordinate/volunteers/${val.volunteerId}/leave`)
  t.equal(h1(res.body), 'Are you sure Val Volunteer has left?')
  t.match(res.body, /They will be taken off 1 upcoming session\./)
  const english = await w.coordinator.post(`/coordinate/volunteers/${val.volunteerId}/leave`, {})
  t.equal(english.statusCode, 303)
  res = await w.coordinator.get(`/coordinate/volunteers/${val.volunteerId}`)
  t.match(res.body, /Val Volunteer is now marked as left and has been emailed\. They have been taken off 1 upcoming session/)
})
