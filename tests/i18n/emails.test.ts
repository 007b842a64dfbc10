// Issue 16: every kind of email, and the calendar text, in its recipient's language whoever caused
// it. The whole flow of tests/ux/email-text.test.ts runs in a library service whose default is Welsh:
// each message is read back from a real SMTP peer with mailparser and must be Welsh in subject, text
// and HTML (html lang="cy"), with no English sentence of any email left in it; a volunteer there who
// chose English gets English, and one who chose Welsh in an English service gets Welsh. The calendar
// invite and the feed in Welsh pass ical.js and libical.
import fs from 'node:fs'
import path from 'node:path'
import t from 'tap'
import type { ParsedMail } from 'mailparser'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createService, createBranch, createVolunteer, createSession, createCoordinator } from '../helpers/fixtures.js'
import { startSmtpPeer } from '../helpers/smtp-peer.js'
import { checkIcs } from '../helpers/calendar-checks.js'
import { takePlace, releasePlace, joinWaitlist } from '../../src/assignments/places.service.js'
import { queueSessionUpdate } from '../../src/notifications/notify.js'
import { queueExpiryReminders, queueGapsDigests, queueSessionReminders, queueShortSessionAlerts } from '../../src/reminders/reminders.service.js'
import { queueRecordingPrompts } from '../../src/evidence/recording-links.service.js'
import { inTransaction } from '../../src/db/transaction.js'
import { viewsDir } from '../../src/views/eta.js'
import { translator, type Locale } from '../../src/i18n/i18n.js'
import { flatten } from '../../src/i18n/catalogue-check.js'
import { emailEn } from '../../src/i18n/catalogue/email.en.js'
import { calendarEn } from '../../src/i18n/catalogue/calendar.en.js'
import { recipientLocales } from '../../src/people/recipient-language.repository.js'
import { literalText, keysUsed } from '../../src/i18n/template-check.js'
import { en } from '../../src/i18n/catalogue/en.js'

t.comment(`database: ${databaseLabel}`)

const BASE = 'https://rota.test'
const KINDS = fs.readdirSync(path.join(viewsDir, 'emails')).filter((f) => f.endsWith('.text.eta')).map((f) => f.replace(/\.text\.eta$/, '')).sort()
const cy = translator('cy')

/** The literal runs of English in a catalogue (between {{values}} and <0> markers) of three words or more. */
function englishSentences(tree: Record<string, unknown>): string[] {
  const runs = new Set<string>()
  for (const [, value] of flatten(tree as never)) {
    for (const run of value.split(/\{\{\s*\w+\s*\}\}|<\/?\d>/)) {
      const words = run.trim().split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w))
      if (words.length >= 3) runs.add(run.trim().replace(/[.:,]$/, ''))
    }
  }
  return [...runs]
}
const ENGLISH = englishSentences(emailEn)
const ENGLISH_CALENDAR = englishSentences(calendarEn)

/** A sentence of the Welsh catalogue each kind must show (its literal start, before any value). */
const WELSH_LINE: Record<string, string> = {
  'already-registered': 'email.alreadyRegistered.someone',
  'application-received': 'email.applicationReceived.thanks',
  'coordinator-alert': 'email.coordinatorAlert.find',
  'gaps-digest': 'email.gapsDigest.intro',
  'group-message': 'email.groupMessage.stop',
  'invitation-withdrawn': 'email.invitationWithdrawn.noNeed',
  invitation: 'email.invitation.each',
  'recording-prompt': 'email.recordingPrompt.how',
  'session-cancelled': 'email.sessionCancelled.attachedText',
  'session-confirmed': 'email.sessionConfirmed.attachedText',
  'session-reminder': 'email.sessionReminder.why',
  'session-updated': 'email.sessionUpdated.attachedText',
  'sign-in': 'email.signIn.use',
  'training-expiry': 'email.trainingExpiry.renewCheck',
  'volunteer-approved': 'email.volunteerApproved.nowText',
  'volunteer-left': 'email.volunteerLeft.takenOff',
  'volunteer-rejected': 'email.volunteerRejected.questions',
  'waitlist-cancelled': 'email.waitlistCancelled.body',
}
const literalStart = (key: string) => cy(key).split(/\{\{|<\d>/)[0]!.trim()

/** Whether an email is free of English sentences: the ones that remain, with where. */
function englishIn(mail: ParsedMail, sentences: readonly string[]): string[] {
  const html = (mail.html || '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')
  const parts = { subject: mail.subject ?? '', text: mail.text ?? '', html }
  return sentences.flatMap((s) => Object.entries(parts).filter(([, v]) => v.includes(s)).map(([where]) => `${where}: “${s}”`))
}

t.test('every email template takes its words from the catalogue, and every email and calendar key the code names exists', async (t) => {
  const known = new Set(flatten(en as never).map(([k]) => k.replace(/_(zero|one|two|few|many|other)$/, '')))
  const dir = path.join(viewsDir, 'emails')
  for (const file of fs.readdirSync(dir)) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8')
    t.same(literalText(source), [], `${file}: no words of its own`)
    for (const key of keysUsed(source)) t.ok(known.has(key), `${file}: ${key} is in the catalogue`)
  }
  let named = 0
  for (const f of fs.readdirSync('src', { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.ts') && !f.parentPath.includes('catalogue'))) {
    const file = path.join(f.parentPath, f.name)
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/'(email\.[a-zA-Z]+\.[a-zA-Z0-9_.]+|calendar\.[a-zA-Z0-9_]+)'/g)) {
      named++
      if (!known.has(m[1]!)) t.fail(`${file} names ${m[1]}, which the catalogue lacks`)
    }
  }
  t.ok(named > 40, `${named} email and calendar keys named in src/`)
  t.ok(ENGLISH.length > 100, `${ENGLISH.length} English sentences to look for`)
})

t.test('the recipient’s language: their own choice, else their service’s default (staff by their grant), else English, read in one go', async (t) => {
  const { app } = await testApp(t)
  const db = app.db
  const welsh = await createService(db, 'Gwasanaeth Llyfrgell')
  await db.updateTable('library_services').set({ default_language: 'cy' }).where('id', '=', welsh).execute()
  const english = await createService(db, 'English Libraries')
  const wb = await createBranch(db, welsh, 'Llyfrgell Ganolog')
  const eb = await createBranch(db, english, 'Central Library')
  const a = await createVolunteer(db, 'a@example.org', welsh, [wb])
  const b = await createVolunteer(db, 'b@example.org', welsh, [wb])
  const c = await createVolunteer(db, 'c@example.org', english, [eb])
  const d = await createVolunteer(db, 'd@example.org', english, [eb])
  const staff = await createCoordinator(db, 'staff@example.org', welsh, wb, 'Sam Staff')
  await db.updateTable('people').set({ language: 'en' }).where('id', '=', b.personId).execute()
  await db.updateTable('people').set({ language: 'cy' }).where('id', '=', c.personId).execute()
  const nobody = 999_999
  const locales = await recipientLocales(db, [a.personId, b.personId, c.personId, d.personId, staff, nobody])
  t.same(Object.fromEntries(locales), { [a.personId]: 'cy', [b.personId]: 'en', [c.personId]: 'cy', [d.personId]: 'en', [staff]: 'cy', [nobody]: 'en' })
})

t.test('every kind of email in Welsh for a Welsh recipient, parsed with mailparser; English for one who chose English', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app, clock } = await testApp(t, { env: { SMTP_URL: peer.url, BASE_URL: BASE } })
  const db = app.db
  const composedFrom = new Map<string, { name: string; locale: Locale }>()
  const compose = app.ctx.composer.compose.bind(app.ctx.composer)
  app.ctx.composer.compose = (name, subject, data, locale = 'en') => {
    const mail = compose(name, subject, data, locale)
    composedFrom.set(mail.text, { name, locale })
    return mail
  }

  const service = await createService(db)
  await db.updateTable('library_services').set({ default_language: 'cy' }).where('id', '=', service).execute()
  const branch = await createBranch(db, service, 'Llyfrgell Ganolog')
  await db.updateTable('branches').set({ arrival_notes: 'Gofynnwch wrth y ddesg flaen.' }).where('id', '=', branch).execute()
  const coordinatorId = await createCoordinator(db, 'cora@example.org', service, branch, 'Cora Ordinator')
  const ann = await createVolunteer(db, 'ann@example.org', service, [branch], { name: 'Ann Example' })
  const bob = await createVolunteer(db, 'bob@example.org', service, [branch], { name: 'Bob Example' })
  // Eve chose English, in a service whose default is Welsh.
  const eve = await createVolunteer(db, 'eve@example.org', service, [branch], { name: 'Eve English' })
  await db.updateTable('people').set({ language: 'en' }).where('id', '=', eve.personId).execute()
  for (const v of [ann, bob]) {
    await db.insertInto('availability_windows').values([1, 2, 3, 4, 5].map((day) => ({ volunteer_id: v.volunteerId, day_of_week: day, start_time: '09:00', end_time: '17:00' }))).execute()
  }
  const coordinator = await new Client(app).signInAs(coordinatorId)
  const anyone = new Client(app)

  t.equal((await anyone.post('/sign-in', { email: 'ann@example.org' })).statusCode, 303, 'sign-in link asked for')
  t.equal((await anyone.post('/apply', { name: 'Cleo New', email: 'cleo@example.org', branches: branch })).statusCode, 303, 'applied')
  t.equal((await anyone.post('/apply', { name: 'Ann Again', email: 'ann@example.org', branches: branch })).statusCode, 303, 'applied again')
  const cleo = await db.selectFrom('volunteers').innerJoin('people', 'people.id', 'volunteers.person_id').select('volunteers.id').where('people.email', '=', 'cleo@example.org').executeTakeFirstOrThrow()
  t.equal((await coordinator.post(`/coordinate/volunteers/${cleo.id}/approve`)).statusCode, 303, 'approved')
  t.equal((await anyone.post('/apply', { name: 'Dee Declined', email: 'dee@example.org', branches: branch })).statusCode, 303, 'another applies')
  const dee = await db.selectFrom('volunteers').innerJoin('people', 'people.id', 'volunteers.person_id').select('volunteers.id').where('people.email', '=', 'dee@example.org').executeTakeFirstOrThrow()
  t.equal((await coordinator.post(`/coordinate/volunteers/${dee.id}/reject`, { reason: 'Does dim sesiynau yn agos atoch chi ar hyn o bryd.' })).statusCode, 303, 'rejected')

  const session = await createSession(db, branch, { date: '2026-12-03', title: 'Caffi sgamiau', min: 1, max: 2 })
  await db.updateTable('sessions').set({ notes: 'Dewch â’ch gwefrydd ffôn.' }).where('id', '=', session).execute()
  t.equal((await takePlace(app.ctx, { sessionId: session, volunteerId: ann.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  t.equal((await takePlace(app.ctx, { sessionId: session, volunteerId: eve.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed', 'Eve books too')
  await inTransaction(db, (tx) => queueSessionUpdate(tx, app.ctx, session, (locale) => (locale === 'cy' ? 'Mae’r ystafell wedi newid.' : 'The room has changed.')))
  const other = await createSession(db, branch, { date: '2026-12-10', title: 'Help gyda ffonau', min: 1, max: 2 })
  await takePlace(app.ctx, { sessionId: other, volunteerId: bob.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  t.equal((await releasePlace(app.ctx, { sessionId: other, volunteerId: bob.volunteerId, toState: 'withdrawn', actorPersonId: null, wording: 'withdrew' })).kind, 'released')

  const leaving = await createSession(db, branch, { date: '2026-12-14', title: 'Tabledi', min: 1, max: 2 })
  t.equal((await takePlace(app.ctx, { sessionId: leaving, volunteerId: cleo.id, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  t.equal((await coordinator.post(`/coordinate/volunteers/${cleo.id}/leave`)).statusCode, 303, 'marked as left')

  const invited = await createSession(db, branch, { date: '2026-12-17', title: 'Galwadau fideo', min: 1, max: 2 })
  t.equal((await coordinator.post(`/coordinate/sessions/${invited}/invitations`, { invite: [ann.volunteerId, bob.volunteerId] })).statusCode, 303, 'invitations sent')
  const invitation = await db.selectFrom('invitations').innerJoin('assignments', 'assignments.id', 'invitations.assignment_id').select('invitations.id').where('assignments.session_id', '=', invited).orderBy('invitations.id').executeTakeFirstOrThrow()
  t.equal((await coordinator.post(`/coordinate/invitations/${invitation.id}/withdraw`, { session: invited })).statusCode, 303, 'invitation withdrawn')

  await createSession(db, branch, { date: '2026-12-04', title: 'Galw heibio', min: 2, max: 3 })
  clock.set(Date.parse('2026-12-01T08:00:00Z'))
  t.ok((await queueShortSessionAlerts(app.ctx)) > 0, 'a short-session alert')
  clock.set(Date.parse('2026-12-01T10:00:00Z'))
  t.ok((await queueSessionReminders(app.ctx)) > 0, 'a session reminder')
  clock.set(Date.parse('2026-12-03T08:00:30Z'))
  t.ok((await queueSessionReminders(app.ctx)) > 0, 'the reminder on the day')
  clock.set(Date.parse('2026-12-03T13:00:00Z'))
  t.ok((await queueRecordingPrompts(app.ctx)) > 0, 'a recording prompt')
  const kind = await db.insertInto('training_kinds').values({ library_service_id: service, name: 'gwiriad DBS', kind: 'check', validity_months: 36 }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('volunteer_trainings').values({ volunteer_id: ann.volunteerId, training_kind_id: kind.id, completed_on: '2024-01-06', expires_on: '2027-01-06', recorded_by_person_id: null, created_at: Date.parse('2024-01-06T12:00:00Z') }).execute()
  await createSession(db, branch, { date: '2026-12-09', title: 'Ffurflenni ar-lein', min: 2, max: 3 })
  clock.set(Date.parse('2026-12-07T08:00:00Z'))
  t.ok((await queueGapsDigests(app.ctx)) > 0, 'a gaps digest')
  t.ok((await queueExpiryReminders(app.ctx)) > 0, 'an expiry reminder')
  const full = await createSession(db, branch, { date: '2026-12-21', title: 'Bancio ar-lein', min: 1, max: 1 })
  t.equal((await takePlace(app.ctx, { sessionId: full, volunteerId: ann.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  t.equal((await joinWaitlist(app.ctx, { sessionId: full, volunteerId: bob.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'waitlisted')
  await coordinator.signInAs(coordinatorId)
  t.equal((await coordinator.post(`/coordinate/sessions/${full}/cancel`, { scope: 'one', reason: 'Mae’r llyfrgell ar gau' })).statusCode, 303, 'session cancelled')

  const groupMessage = { audience: `branch:${branch}`, subject: 'Mae’r llyfrgell ar gau ddydd Gwener', body: 'Mae’r llyfrgell ar gau ddydd Gwener.\n\nDiolch i chi gyd.' }
  const preview = await coordinator.post('/coordinate/messages/preview', groupMessage)
  const count = /name="count" value="(\d+)"/.exec(preview.body)?.[1]
  t.equal((await coordinator.post('/coordinate/messages/send', { ...groupMessage, count })).statusCode, 303, 'group message sent')

  await app.mail.worker.drain()
  const welsh = new Map<string, ParsedMail>()
  const englishMail: ParsedMail[] = []
  for (let i = 0; i < peer.received.length; i++) {
    const parsed = await peer.parsed(i)
    const text = (parsed.text ?? '').replace(/\r\n/g, '\n')
    const from = composedFrom.get(text) ?? [...composedFrom.entries()].find(([x]) => x.trim() === text.trim())?.[1]
    if (!from) continue
    const to = (Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)?.value[0]?.address
    if (to === 'eve@example.org') englishMail.push(parsed)
    else if ((welsh.get(from.name)?.text ?? '').length < text.length) welsh.set(from.name, parsed)
  }
  t.same([...welsh.keys()].sort(), KINDS, 'every kind of email was sent, in Welsh, and received')

  for (const name of KINDS) {
    const mail = welsh.get(name)
    if (!mail) continue
    t.match(mail.html || '', /^<!DOCTYPE html>\s*<html lang="cy">/, `${name}: html lang="cy"`)
    t.match(mail.text ?? '', /^Helo /, `${name}: greets in Welsh`)
    t.ok((mail.text ?? '').includes(cy('email.common.footer')), `${name}: the Welsh footer`)
    t.ok((mail.text ?? '').includes(literalStart(WELSH_LINE[name]!)), `${name}: “${literalStart(WELSH_LINE[name]!)}”`)
    t.same(englishIn(mail, ENGLISH), [], `${name}: no English sentence of an email left in it (subject “${mail.subject}”)`)
  }
  t.equal(welsh.get('sign-in')?.subject, cy('email.signIn.subject'), 'the subject from the Welsh catalogue')

  // Eve chose English: her booking, update and reminder are in English, as before.
  t.ok(englishMail.length >= 2, 'Eve got her emails')
  t.ok(englishIn(englishMail[0]!, ENGLISH).length > 3, 'the look-out for English finds it in an English email')
  for (const mail of englishMail) {
    t.match(mail.html || '', /<html lang="en-GB">/, `Eve: “${mail.subject}” is English`)
    t.match(mail.text ?? '', /^Hello Eve English,/)
  }
  t.ok(englishMail.some((m) => m.subject === 'You are booked: Caffi sgamiau, Thursday 3 December 2026'), 'her booking subject in English')
  t.ok(englishMail.some((m) => (m.text ?? '').includes('A session you are booked on has changed: The room has changed.')), 'and what changed in English')

  // The calendar invite in Welsh: summary and description, readable by ical.js and libical.
  const invite = await db.selectFrom('outbox').select(['ical']).where('person_id', '=', ann.personId).where('kind', '=', 'invite').orderBy('id').executeTakeFirstOrThrow()
  const read = await checkIcs(t, invite.ical!, 'request', 'Welsh invite')
  const event = read.events[0]!
  t.equal(event.summary, 'Caffi sgamiau (Llyfrgell Ganolog)')
  t.match(event.description, /^Caffi sgamiau yn Llyfrgell Ganolog, 10yb i 12yh\./, 'the description in Welsh, times too')
  t.match(event.description, /Pan fyddwch yn cyrraedd: Gofynnwch wrth y ddesg flaen\./)
  t.match(event.description, /Manylion a newidiadau: https:\/\/rota\.test\/sessions\/\d+/)
  for (const s of ENGLISH_CALENDAR) t.notOk(event.description.includes(s) || event.summary.includes(s), `no “${s}” in the Welsh event`)
  const eveInvite = await db.selectFrom('outbox').select(['ical']).where('person_id', '=', eve.personId).where('kind', '=', 'invite').orderBy('id').executeTakeFirstOrThrow()
  t.match((await checkIcs(t, eveInvite.ical!, 'request', 'English invite')).events[0]!.description, /^Caffi sgamiau at Llyfrgell Ganolog, 10am to 12pm\./, 'Eve’s invite stays English')
})

t.test('the feeds are in their owner’s language, and pass ical.js and libical', async (t) => {
  const { app } = await testApp(t, { env: { BASE_URL: 'http://rota.test' } })
  const db = app.db
  const service = await createService(db)
  await db.updateTable('library_services').set({ default_language: 'cy' }).where('id', '=', service).execute()
  const branch = await createBranch(db, service, 'Llyfrgell Ganolog')
  const ann = await createVolunteer(db, 'ann@example.org', service, [branch], { name: 'Ann Example' })
  const coordinatorId = await createCoordinator(db, 'cora@example.org', service, branch, 'Cora Ordinator')
  const session = await createSession(db, branch, { date: '2026-12-08', title: 'Galw heibio', min: 2, max: 3 })
  t.equal((await takePlace(app.ctx, { sessionId: session, volunteerId: ann.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  const feedOf = async (client: Client, page: string) => {
    const body = (await client.get(page)).body
    const p = /\/feeds\/[A-Za-z0-9_-]{43}\.ics/.exec(body)?.[0]
    if (!p) throw new Error(`no feed URL on ${page}`)
    const res = await app.inject({ url: p })
    t.equal(res.statusCode, 200)
    return res.body
  }
  const volunteerIcs = await feedOf(await new Client(app).signInAs(ann.personId), '/calendar')
  const mine = await checkIcs(t, volunteerIcs, 'feed', 'Welsh volunteer feed')
  t.equal(mine.name, 'Champion Rota - Ann Example')
  t.match(volunteerIcs, /\r\nX-WR-CALDESC:Eich sesiynau cymorth digidol gan Champion Rota\r\n/, 'the feed’s description in Welsh')
  t.match(mine.events[0]!.description, /^Galw heibio yn Llyfrgell Ganolog, 10yb i 12yh\./)

  const coordinator = await new Client(app).signInAs(coordinatorId)
  const branchPage = (await coordinator.get('/coordinate/calendars')).body
  const branchPath = /\/feeds\/[A-Za-z0-9_-]{43}\.ics/.exec(branchPage)?.[0]
  t.ok(branchPath, 'the coordinator has a branch feed')
  if (!branchPath) return
  const branchIcs = (await app.inject({ url: branchPath })).body
  const theirs = await checkIcs(t, branchIcs, 'feed', 'Welsh branch feed')
  t.equal(theirs.name, 'Champion Rota - sesiynau Llyfrgell Ganolog')
  const event = theirs.events.find((e) => e.summary.startsWith('Galw heibio'))!
  t.equal(event.summary, 'Galw heibio: 1 o 3 gwirfoddolwr, angen 1 arall', 'the staffing in Welsh')
  t.match(event.description, /Gwirfoddolwyr: Ann Example \(o leiaf 2, ar y mwyaf 3\)\./)
  for (const s of ENGLISH_CALENDAR) t.notOk(branchIcs.includes(s), `no “${s}” in the Welsh branch feed`)
})

t.test('a sign-in link for an address with no account is in the language of the page it was asked from', async (t) => {
  const { app } = await testApp(t)
  const client = new Client(app)
  await client.get('/language/cy')
  t.equal((await client.post('/sign-in', { email: 'nobody@example.org' })).statusCode, 303)
  const row = await app.db.selectFrom('outbox').select(['subject', 'html_body', 'text_body']).where('to_address', '=', 'nobody@example.org').executeTakeFirstOrThrow()
  t.equal(row.subject, cy('email.signIn.subject'))
  t.match(row.html_body, /<html lang="cy">/)
  t.ok(row.text_body.includes(cy('email.signIn.notYou')))
})
