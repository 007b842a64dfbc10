// Issue 16: "Topic, language, training and branch names may have a Welsh form, entered by admins."
// An admin enters Welsh names for a branch, a topic, a language and a training on their own pages;
// a Welsh volunteer then reads those names on finding sessions (filters and cards), the session page,
// the dashboard, My sessions and withdrawing, in their emails (read back from an SMTP peer with
// mailparser), in the calendar invite, the download and their feed (ical.js), and a Welsh
// coordinator on the gap board and the sessions list. English pages and English recipients keep the
// English names, and a name with no Welsh form is shown in English on a Welsh page too.
import t, { type Test } from 'tap'
import ICAL from 'ical.js'
import type { ParsedMail } from 'mailparser'
import { databaseLabel } from '../helpers/app.js'
import { createAdmin } from '../helpers/fixtures.js'
import { startSmtpPeer } from '../helpers/smtp-peer.js'
import { world, textOf } from '../bookings/world.js'
import { takePlace } from '../../src/assignments/places.service.js'
import { queueExpiryReminders } from '../../src/reminders/reminders.service.js'
import { queueRecordingPrompts } from '../../src/evidence/recording-links.service.js'
import { localName, withLocalNames } from '../../src/i18n/names.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const mainText = (body: string) => textOf(/<main[\s\S]*<\/main>/.exec(body)?.[0] ?? body)

const WELSH = { central: 'Llyfrgell Ganolog', phones: 'Ffonau clyfar a llechi', polish: 'Pwyleg', essentials: 'Hanfodion hyrwyddwr digidol', dbs: 'Gwiriad DBS' }
const ENGLISH = { central: 'Central Library', phones: 'Smartphones and tablets', polish: 'Polish', essentials: 'Digital champion essentials', dbs: 'DBS check' }

/** The world of the bookings tests, with an admin who has entered Welsh names on the admin pages. */
async function setup(t: Test, env: Record<string, string> = {}) {
  const w = await world(t, env)
  const admin = await w.signIn(await createAdmin(w.db, 'ada@example.org', w.service, 'Ada Admin'))
  const { postcode } = await w.db.selectFrom('branches').select('postcode').where('id', '=', w.central).executeTakeFirstOrThrow()
  const saved = [
    await admin.post(`/admin/branches/${w.central}`, { name: ENGLISH.central, nameCy: WELSH.central, address: '1 High Street, Testtown', postcode, timezone: 'Europe/London', arrivalNotes: 'Ask at the enquiry desk.', accessibilityNotes: 'Step-free entrance.' }),
    await admin.post(`/admin/skills/${w.skills.phones}`, { name: ENGLISH.phones, nameCy: WELSH.phones }),
    await admin.post(`/admin/skills/${w.skills.polish}`, { name: ENGLISH.polish, nameCy: WELSH.polish }),
    await admin.post(`/admin/trainings/${w.essentials}`, { name: ENGLISH.essentials, nameCy: WELSH.essentials, kind: 'training', expires: 'no' }),
    await admin.post(`/admin/trainings/${w.dbs}`, { name: ENGLISH.dbs, nameCy: WELSH.dbs, kind: 'check', expires: 'yes', validityMonths: '36' }),
  ]
  t.same(saved.map((r) => r.statusCode), [303, 303, 303, 303, 303], 'the admin saved every Welsh name')
  // Gwen chose Welsh in her profile (her emails and calendar text follow it); Ed keeps the service's English.
  const gwen = await w.volunteer({ name: 'Gwen Jones', branches: [w.central, w.north], skills: [w.skills.phones, w.skills.polish], trainings: [w.essentials] })
  await w.db.updateTable('people').set({ language: 'cy' }).where('id', '=', gwen.personId).execute()
  const ed = await w.volunteer({ name: 'Ed English', branches: [w.central, w.north], skills: [w.skills.phones, w.skills.polish], trainings: [w.essentials] })
  // At Central (Welsh name): needs the topic and the training, a Polish speaker wanted. At Northgate: no Welsh name.
  const central = await w.session({ date: '2026-12-08', title: 'Sesiwn galw heibio', min: 1, max: 3, required: [w.skills.phones], preferred: [w.skills.polish, w.skills.nhs], trainings: [w.essentials] })
  const north = await w.session({ date: '2026-12-09', branch: w.north, title: 'Yn y gogledd', min: 1, max: 3 })
  return { ...w, admin, gwen, ed, sessions: { central, north } }
}

/** No English form of a name that has a Welsh one, anywhere in the text. */
function noEnglishNames(t: Test, text: string, what: string) {
  for (const [key, name] of Object.entries(ENGLISH)) if (key !== 'dbs') t.notOk(text.includes(name), `${what}: not “${name}”`)
}

t.test('localName and withLocalNames: the Welsh form on Welsh pages when there is one, else the English name', async (t) => {
  t.equal(localName({ name: 'Central Library', name_cy: 'Llyfrgell Ganolog' }, 'cy'), 'Llyfrgell Ganolog')
  t.equal(localName({ name: 'Central Library', name_cy: '  ' }, 'cy'), 'Central Library')
  t.equal(localName({ name: 'Central Library', name_cy: 'Llyfrgell Ganolog' }, 'en'), 'Central Library')
  const row = { title: 'Sesiwn', branch_name: 'Central Library', branch_name_cy: 'Llyfrgell Ganolog', branchName: 'North', branchNameCy: null, name: 'Polish', name_cy: 'Pwyleg' }
  t.same(withLocalNames(row, 'cy'), { ...row, branch_name: 'Llyfrgell Ganolog', name: 'Pwyleg' }, 'each name with a Welsh twin, in Welsh; one without stays English')
  t.equal(withLocalNames(row, 'en'), row, 'an English page gets the row itself')
  t.equal(row.branch_name, 'Central Library', 'the row read is not changed')
})

t.test('a Welsh volunteer’s pages show the Welsh names the admin entered; English pages the English names', async (t) => {
  const w = await setup(t)
  const browser = await w.signIn(w.gwen.personId)
  await browser.get('/language/cy')

  // Finding sessions: the filters (libraries and topics), the cards and what they say.
  let res = await browser.get('/sessions')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  let text = mainText(res.body)
  t.match(res.body, new RegExp(`<option value="${w.central}"[^>]*>${WELSH.central}</option>`), 'the library filter names the branch in Welsh')
  t.match(res.body, new RegExp(`<option value="${w.north}"[^>]*>Northgate Library</option>`), 'a branch without a Welsh name keeps its English one')
  t.match(res.body, new RegExp(`<option value="${w.skills.phones}"[^>]*>${WELSH.phones}</option>`), 'the topic filter names the topic in Welsh')
  t.match(res.body, new RegExp(`<option value="${w.skills.nhs}"[^>]*>NHS App and health</option>`), 'a topic without a Welsh name keeps its English one')
  t.match(res.body, new RegExp(`<option value="${w.skills.polish}"[^>]*>[^<]*${WELSH.polish}[^<]*</option>`), 'the language in Welsh too')
  t.match(text, /Sesiwn galw heibio/)
  t.match(text, new RegExp(`Llyfrgell Ganolog`), 'the card names the branch in Welsh')
  t.match(text, /angen siaradwr Pwyleg/, 'what is needed names the language in Welsh')
  t.match(text, /Rydych chi’n siarad Pwyleg/, 'why it suits names the language in Welsh')
  t.match(text, /Northgate Library/)
  noEnglishNames(t, text, 'find sessions')

  res = await browser.get(`/sessions?topic=${w.skills.phones}&branch=${w.central}`)
  t.equal(res.statusCode, 200)
  text = mainText(res.body)
  t.match(text, new RegExp(`Hidlo ${WELSH.central}, .*${WELSH.phones}`), 'the filter line names the branch and the topic in Welsh')
  noEnglishNames(t, text, 'filtered')

  // The session page: the branch, the topic needed and the training.
  res = await browser.get(`/sessions/${w.sessions.central}`)
  t.equal(res.statusCode, 200)
  text = mainText(res.body)
  t.match(text, /Galw heibio yn Llyfrgell Ganolog/)
  t.match(text, WELSH.phones)
  t.match(text, WELSH.essentials, 'the training in Welsh')
  t.match(text, WELSH.polish)
  noEnglishNames(t, text, 'session page')

  // Booked: the confirmation, the dashboard, My sessions and withdrawing.
  res = await browser.post(`/sessions/${w.sessions.central}/book`, { return: '/sessions' })
  t.equal(res.statusCode, 303)
  res = await browser.get('/sessions')
  t.match(mainText(res.body), /Rydych chi wedi archebu lle ar Sesiwn galw heibio, .* yn Llyfrgell Ganolog\./, 'the confirmation names the branch in Welsh')
  t.equal((await browser.post(`/sessions/${w.sessions.north}/book`, { return: '/sessions' })).statusCode, 303)
  // A refusal names what is missing in Welsh: she has no DBS check.
  const checked = await w.session({ date: '2026-12-11', title: 'Angen gwiriad', trainings: [w.dbs] })
  res = await browser.post(`/sessions/${checked}/book`, { return: '/sessions' })
  t.equal(res.statusCode, 409)
  t.match(mainText(res.body), WELSH.dbs, 'the refusal names the check in Welsh')
  t.notOk(mainText(res.body).includes(ENGLISH.dbs), 'not its English name')
  for (const path of ['/dashboard', '/my-sessions']) {
    res = await browser.get(path)
    t.equal(res.statusCode, 200)
    t.equal(htmlLang(res.body), 'cy')
    text = mainText(res.body)
    t.match(text, WELSH.central, `${path}: the branch in Welsh`)
    t.match(text, 'Northgate Library', `${path}: the branch without a Welsh name in English`)
    noEnglishNames(t, text, path)
  }
  const place = await w.db.selectFrom('assignments').select('id').where('session_id', '=', w.sessions.central).where('volunteer_id', '=', w.gwen.volunteerId).executeTakeFirstOrThrow()
  res = await browser.get(`/my-sessions/${place.id}/withdraw`)
  t.equal(res.statusCode, 200)
  t.match(mainText(res.body), WELSH.central, 'withdrawing: the branch in Welsh')
  noEnglishNames(t, mainText(res.body), 'withdraw')

  // The same pages in English show the English names, and none of the Welsh ones.
  await browser.get('/language/en')
  for (const path of ['/sessions', `/sessions/${w.sessions.central}`, '/dashboard', '/my-sessions', `/my-sessions/${place.id}/withdraw`]) {
    res = await browser.get(path)
    t.equal(res.statusCode, 200)
    t.equal(htmlLang(res.body), 'en-GB')
    text = mainText(res.body)
    t.match(text, ENGLISH.central, `${path} in English: the English branch name`)
    t.notOk(text.includes(WELSH.central), `${path} in English: not the Welsh name`)
  }
  text = mainText((await browser.get(`/sessions/${w.sessions.central}`)).body)
  t.match(text, ENGLISH.essentials)
  t.match(text, ENGLISH.phones)
  t.notOk(text.includes(WELSH.essentials) || text.includes(WELSH.phones) || text.includes(WELSH.polish), 'no Welsh names on the English page')
})

t.test('a Welsh coordinator’s gap board, sessions list and first page name the branch in Welsh', async (t) => {
  const w = await setup(t)
  const casey = await w.signIn(w.coordinator)
  await casey.get('/language/cy')
  for (const path of ['/coordinate/gaps', '/coordinate/sessions', '/coordinate']) {
    const res = await casey.get(path)
    t.equal(res.statusCode, 200)
    t.equal(htmlLang(res.body), 'cy', path)
    t.match(mainText(res.body), WELSH.central, `${path}: the branch in Welsh`)
    t.notOk(mainText(res.body).includes(ENGLISH.central), `${path}: not its English name`)
  }
  await casey.get('/language/en')
  const res = await casey.get('/coordinate/gaps')
  t.match(mainText(res.body), ENGLISH.central)
  t.notOk(mainText(res.body).includes(WELSH.central), 'English gap board: the English name')
})

t.test('the coordinator’s session page and volunteer pages, and the volunteer’s profile, name things in the page’s language', async (t) => {
  const w = await setup(t)
  const casey = await w.signIn(w.coordinator)
  await casey.get('/language/cy')
  const gwen = await w.signIn(w.gwen.personId)
  await gwen.get('/language/cy')
  const pages: Array<[typeof casey, string, string[]]> = [
    [casey, `/coordinate/sessions/${w.sessions.central}`, [WELSH.central, WELSH.phones, WELSH.essentials, WELSH.polish]],
    [casey, '/coordinate/sessions/new', [WELSH.central, WELSH.phones, WELSH.polish, WELSH.essentials]],
    [casey, `/coordinate/sessions/${w.sessions.central}/edit`, [WELSH.phones, WELSH.polish, WELSH.essentials]],
    [casey, '/coordinate/volunteers', [WELSH.central, WELSH.phones, WELSH.polish]],
    [casey, `/coordinate/volunteers/${w.gwen.volunteerId}`, [WELSH.central, WELSH.phones, WELSH.polish, WELSH.essentials]],
    [gwen, '/profile', [WELSH.central, WELSH.phones, WELSH.polish, WELSH.essentials]],
    [gwen, '/profile/skills', [WELSH.phones, WELSH.polish]],
    [gwen, '/profile/libraries', [WELSH.central]],
  ]
  for (const [client, path, names] of pages) {
    const res = await client.get(path)
    t.equal(res.statusCode, 200, path)
    const text = mainText(res.body)
    for (const name of names) t.ok(text.includes(name), `${path}: “${name}”`)
    noEnglishNames(t, text, path)
  }
  await casey.get('/language/en')
  await gwen.get('/language/en')
  for (const [client, path, names] of pages) {
    const text = mainText((await client.get(path)).body)
    t.ok(text.includes(ENGLISH.central) || text.includes(ENGLISH.phones), `${path} in English: the English names`)
    for (const name of names) t.notOk(text.includes(name), `${path} in English: not “${name}”`)
  }
})

/** The VEVENT of an iCalendar text, read with ical.js. */
function eventOf(ics: string) {
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!)
  return { summary: event.summary, location: event.location, description: event.description }
}

t.test('emails and calendar text in the recipient’s language name the branch and training in it', async (t) => {
  const peer = await startSmtpPeer(t)
  const w = await setup(t, { SMTP_URL: peer.url })
  for (const v of [w.gwen, w.ed]) {
    t.equal((await takePlace(w.app.ctx, { sessionId: w.sessions.central, volunteerId: v.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  }
  t.equal((await takePlace(w.app.ctx, { sessionId: w.sessions.north, volunteerId: w.gwen.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  // A DBS check running out, for the expiry reminder.
  for (const v of [w.gwen, w.ed]) {
    await w.db.insertInto('volunteer_trainings').values({ volunteer_id: v.volunteerId, training_kind_id: w.dbs, completed_on: '2024-01-06', expires_on: '2027-01-06', recorded_by_person_id: null, created_at: Date.parse('2024-01-06T12:00:00Z') }).execute()
  }
  // The coordinator invites both to another session at Central.
  const invited = await w.session({ date: '2026-12-10', title: 'Galwadau fideo', min: 1, max: 3 })
  const casey = await w.signIn(w.coordinator)
  t.equal((await casey.post(`/coordinate/sessions/${invited}/invitations`, { invite: [w.gwen.volunteerId, w.ed.volunteerId] })).statusCode, 303, 'invitations sent')
  w.clock.set(Date.parse('2026-12-07T08:00:00Z'))
  t.ok((await queueExpiryReminders(w.app.ctx)) >= 2, 'expiry reminders queued')
  // After the session at Central: the prompt to record what they helped with.
  w.clock.set(Date.parse('2026-12-08T15:00:00Z'))
  t.ok((await queueRecordingPrompts(w.app.ctx)) >= 2, 'recording prompts queued')
  await w.app.mail.worker.drain()

  const mails = new Map<string, ParsedMail[]>()
  for (const mail of await peer.parsedAll()) {
    const to = (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? ''
    mails.set(to, [...(mails.get(to) ?? []), mail])
  }
  const gwenMail = mails.get('v1@example.org') ?? []
  const edMail = mails.get('v2@example.org') ?? []
  const whole = (m: ParsedMail) => `${m.subject}\n${m.text}\n${m.html || ''}`
  const about = (list: ParsedMail[], title: string) => list.find((m) => (m.subject ?? '').includes(title) && m.attachments.some((a) => a.contentType.startsWith('text/calendar')))

  // Gwen's invite for Central: Welsh subject, text and HTML name Llyfrgell Ganolog; so does its calendar event.
  const invite = about(gwenMail, 'Sesiwn galw heibio')
  t.ok(invite, 'Gwen’s invite arrived')
  if (invite) {
    t.match(invite.html || '', /<html lang="cy">/)
    t.match(invite.text ?? '', WELSH.central, 'the text names the branch in Welsh')
    t.match(invite.html || '', WELSH.central, 'the HTML too')
    t.notOk(whole(invite).includes(ENGLISH.central), 'not its English name')
    const ics = invite.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8')
    const event = eventOf(ics)
    t.match(event.summary, WELSH.central, 'the event’s summary')
    t.match(event.location, WELSH.central, 'its location')
    t.match(event.description, WELSH.central, 'its description')
    t.notOk(ics.includes(ENGLISH.central), 'no English name in the calendar text')
  }
  // Northgate has no Welsh name: Gwen's Welsh invite keeps the English one.
  const northInvite = about(gwenMail, 'Yn y gogledd')
  t.ok(northInvite, 'Gwen’s invite for Northgate arrived')
  if (northInvite) {
    t.match(northInvite.text ?? '', 'Northgate Library')
    t.match(eventOf(northInvite.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8')).location, 'Northgate Library')
  }
  // Ed reads English, Central Library.
  const edInvite = about(edMail, 'Sesiwn galw heibio')
  t.ok(edInvite, 'Ed’s invite arrived')
  if (edInvite) {
    t.match(edInvite.html || '', /<html lang="en-GB">/)
    t.match(edInvite.text ?? '', ENGLISH.central)
    t.notOk(whole(edInvite).includes(WELSH.central), 'no Welsh name in an English email')
    t.match(eventOf(edInvite.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8')).location, ENGLISH.central)
  }
  // The invitation names the branch in each one's language.
  const invitationTo = (list: ParsedMail[]) => list.find((m) => (m.subject ?? '').includes('Galwadau fideo'))
  const gwenInvitation = invitationTo(gwenMail)
  t.ok(gwenInvitation, 'Gwen’s invitation arrived')
  if (gwenInvitation) {
    t.match(gwenInvitation.text ?? '', WELSH.central)
    t.notOk(whole(gwenInvitation).includes(ENGLISH.central), 'not its English name')
  }
  const edInvitation = invitationTo(edMail)
  t.ok(edInvitation, 'Ed’s invitation arrived')
  if (edInvitation) {
    t.match(edInvitation.text ?? '', ENGLISH.central)
    t.notOk(whole(edInvitation).includes(WELSH.central))
  }
  // The recording prompt names the branch in each one's language.
  const promptTo = (list: ParsedMail[]) => list.find((m) => !m.attachments.length && (m.text ?? '').includes('/record/'))
  const gwenPrompt = promptTo(gwenMail)
  t.ok(gwenPrompt, 'Gwen’s recording prompt arrived')
  if (gwenPrompt) {
    t.match(gwenPrompt.text ?? '', WELSH.central)
    t.notOk(whole(gwenPrompt).includes(ENGLISH.central), 'not its English name')
  }
  const edPrompt = promptTo(edMail)
  t.ok(edPrompt, 'Ed’s recording prompt arrived')
  if (edPrompt) t.match(edPrompt.text ?? '', ENGLISH.central)
  // The expiry reminder names the check in each one's language.
  const gwenExpiry = gwenMail.find((m) => !m.attachments.length && whole(m).includes('2027'))
  t.ok(gwenExpiry, 'Gwen’s expiry reminder arrived')
  if (gwenExpiry) {
    t.match(gwenExpiry.subject ?? '', WELSH.dbs, 'the subject names the check in Welsh')
    t.match(gwenExpiry.text ?? '', WELSH.dbs)
    t.notOk(whole(gwenExpiry).includes(ENGLISH.dbs), 'not its English name')
  }
  const edExpiry = edMail.find((m) => !m.attachments.length && whole(m).includes('2027'))
  t.ok(edExpiry, 'Ed’s expiry reminder arrived')
  if (edExpiry) {
    t.match(edExpiry.subject ?? '', ENGLISH.dbs)
    t.notOk(whole(edExpiry).includes(WELSH.dbs))
  }

  // The calendar download and the feed, read with ical.js: Welsh for Gwen, English for Ed.
  w.clock.set(Date.parse('2026-12-01T09:00:00Z'))
  const gwen = await w.signIn(w.gwen.personId)
  const ed = await w.signIn(w.ed.personId)
  let res = await gwen.get(`/sessions/${w.sessions.central}/calendar.ics`)
  t.equal(res.statusCode, 200)
  t.match(eventOf(res.body).location, WELSH.central, 'Gwen’s download names the branch in Welsh')
  res = await ed.get(`/sessions/${w.sessions.central}/calendar.ics`)
  t.match(eventOf(res.body).location, ENGLISH.central, 'Ed’s download in English')

  const feedOf = async (client: typeof gwen) => {
    const page = await client.get('/calendar')
    const path = /\/feeds\/[A-Za-z0-9_-]{43}\.ics/.exec(page.body)?.[0]
    if (!path) throw new Error('no feed URL on the calendar page')
    const feed = await w.app.inject(path)
    t.equal(feed.statusCode, 200)
    return new ICAL.Component(ICAL.parse(feed.body)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v))
  }
  const gwenFeed = await feedOf(gwen)
  t.same(gwenFeed.map((e) => e.location.split(',')[0]).sort(), [WELSH.central, 'Northgate Library'], 'Gwen’s feed: Welsh where there is a Welsh name')
  t.ok(gwenFeed.every((e) => !e.summary.includes(ENGLISH.central) && !e.description.includes(ENGLISH.central)), 'no English name of Central in her feed')
  const edFeed = await feedOf(ed)
  t.same(edFeed.map((e) => e.location.split(',')[0]), [ENGLISH.central], 'Ed’s feed in English')
})
