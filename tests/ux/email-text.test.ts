// Every kind of email, as a real SMTP peer receives it: its plain-text part keeps each template line on its own line, and every URL in it is one of the service's URLs.
import fs from 'node:fs'
import path from 'node:path'
import t from 'tap'
import type { ParsedMail } from 'mailparser'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createService, createBranch, createVolunteer, createSession, createCoordinator } from '../helpers/fixtures.js'
import { startSmtpPeer } from '../helpers/smtp-peer.js'
import { takePlace, releasePlace, joinWaitlist } from '../../src/assignments/places.service.js'
import { queueSessionUpdate } from '../../src/notifications/notify.js'
import { queueExpiryReminders, queueGapsDigests, queueSessionReminders, queueShortSessionAlerts } from '../../src/reminders/reminders.service.js'
import { queueRecordingPrompts } from '../../src/evidence/recording-links.service.js'
import { inTransaction } from '../../src/db/transaction.js'
import { viewsDir } from '../../src/views/eta.js'

t.comment(`database: ${databaseLabel}`)

const BASE = 'https://rota.test'
const KINDS = fs.readdirSync(path.join(viewsDir, 'emails')).filter((f) => f.endsWith('.text.eta')).map((f) => f.replace(/\.text\.eta$/, '')).sort()

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * One pattern per line of the template that prints something: literal text as typed, `<%= … %>` as
 * "anything on this line". A line with inline `<% if … %>` branches prints one of its branches.
 */
function linePatterns(template: string): RegExp[] {
  const patterns: RegExp[] = []
  for (const line of template.split('\n')) {
    const withoutControl = line.replace(/<%(?![=~])[^%]*%>/g, '')
    if (withoutControl.trim() === '') continue
    const branches = line.split(/<%(?![=~])[^%]*%>/).filter((b) => b.trim() !== '')
    const alternatives = branches.map((b) => b.split(/<%[=~][\s\S]*?%>/).map(escape).join('.*?'))
    patterns.push(new RegExp(`^(?:${alternatives.join('|')})$`))
  }
  return patterns
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((h) => /^https?:/.test(h))
}

t.test('the plain-text part of every kind of email reads line by line, with whole links', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app, clock } = await testApp(t, { env: { SMTP_URL: peer.url, BASE_URL: BASE } })
  const db = app.db
  // Which template each message was composed from (subjects are not unique enough to tell).
  const composedFrom = new Map<string, string>()
  const compose = app.ctx.composer.compose.bind(app.ctx.composer)
  app.ctx.composer.compose = (name, subject, data) => {
    const mail = compose(name, subject, data)
    composedFrom.set(mail.text, name)
    return mail
  }

  const service = await createService(db)
  const branch = await createBranch(db, service, 'Central Library')
  await db.updateTable('branches').set({ arrival_notes: 'Ask at the front desk for the digital help table.' }).where('id', '=', branch).execute()
  const coordinatorId = await createCoordinator(db, 'cora@example.org', service, branch, 'Cora Ordinator')
  const ann = await createVolunteer(db, 'ann@example.org', service, [branch], { name: 'Ann Example' })
  const bob = await createVolunteer(db, 'bob@example.org', service, [branch], { name: 'Bob Example' })
  for (const v of [ann, bob]) {
    await db.insertInto('availability_windows').values([1, 2, 3, 4, 5].map((day) => ({ volunteer_id: v.volunteerId, day_of_week: day, start_time: '09:00', end_time: '17:00' }))).execute()
  }
  const coordinator = await new Client(app).signInAs(coordinatorId)
  const anyone = new Client(app)

  // Signing in, applying (new and known addresses), approval.
  t.equal((await anyone.post('/sign-in', { email: 'ann@example.org' })).statusCode, 303, 'sign-in link asked for')
  t.equal((await anyone.post('/apply', { name: 'Cleo New', email: 'cleo@example.org', branches: branch })).statusCode, 303, 'applied')
  t.equal((await anyone.post('/apply', { name: 'Ann Again', email: 'ann@example.org', branches: branch })).statusCode, 303, 'applied again')
  const cleo = await db.selectFrom('volunteers').innerJoin('people', 'people.id', 'volunteers.person_id').select('volunteers.id').where('people.email', '=', 'cleo@example.org').executeTakeFirstOrThrow()
  t.equal((await coordinator.post(`/coordinate/volunteers/${cleo.id}/approve`)).statusCode, 303, 'approved')
  // Rejecting an applicant (with a reason), and marking a volunteer who holds places as left (below, once they do).
  t.equal((await anyone.post('/apply', { name: 'Dee Declined', email: 'dee@example.org', branches: branch })).statusCode, 303, 'another applies')
  const dee = await db.selectFrom('volunteers').innerJoin('people', 'people.id', 'volunteers.person_id').select('volunteers.id').where('people.email', '=', 'dee@example.org').executeTakeFirstOrThrow()
  t.equal((await coordinator.post(`/coordinate/volunteers/${dee.id}/reject`, { reason: 'We have no sessions near you at the moment.' })).statusCode, 303, 'rejected')

  // A booking with notes, its change, a withdrawal; a waitlist that ends with a cancelled session.
  const session = await createSession(db, branch, { date: '2026-12-03', title: 'Scam awareness café', min: 1, max: 1 })
  await db.updateTable('sessions').set({ notes: 'Bring your phone charger.' }).where('id', '=', session).execute()
  t.equal((await takePlace(app.ctx, { sessionId: session, volunteerId: ann.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  await inTransaction(db, (tx) => queueSessionUpdate(tx, app.ctx, session, 'The room is now the Local Studies room.'))
  const other = await createSession(db, branch, { date: '2026-12-10', title: 'Smartphone help', min: 1, max: 2 })
  await takePlace(app.ctx, { sessionId: other, volunteerId: bob.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  t.equal((await releasePlace(app.ctx, { sessionId: other, volunteerId: bob.volunteerId, toState: 'withdrawn', actorPersonId: null, wording: 'withdrew' })).kind, 'released')

  // Cleo, approved above, books a session and is then marked as left: her email lists it.
  const leaving = await createSession(db, branch, { date: '2026-12-14', title: 'Tablet basics', min: 1, max: 2 })
  t.equal((await takePlace(app.ctx, { sessionId: leaving, volunteerId: cleo.id, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  t.equal((await coordinator.post(`/coordinate/volunteers/${cleo.id}/leave`)).statusCode, 303, 'marked as left')

  // An invitation, and one withdrawn.
  const invited = await createSession(db, branch, { date: '2026-12-17', title: 'Video calls', min: 1, max: 2 })
  const sent = await coordinator.post(`/coordinate/sessions/${invited}/invitations`, { invite: [ann.volunteerId, bob.volunteerId] })
  t.equal(sent.statusCode, 303, 'invitations sent', { body: sent.statusCode === 303 ? '' : /govuk-error-summary[\s\S]{0,600}/.exec(sent.body)?.[0] })
  const invitation = await db.selectFrom('invitations').innerJoin('assignments', 'assignments.id', 'invitations.assignment_id').select('invitations.id').where('assignments.session_id', '=', invited).orderBy('invitations.id').executeTakeFirstOrThrow()
  t.equal((await coordinator.post(`/coordinate/invitations/${invitation.id}/withdraw`, { session: invited })).statusCode, 303, 'invitation withdrawn')

  // Reminders, an alert, the digest, an expiry reminder: each at its time.
  await createSession(db, branch, { date: '2026-12-04', title: 'Short drop-in', min: 2, max: 3 })
  clock.set(Date.parse('2026-12-01T08:00:00Z'))
  t.ok((await queueShortSessionAlerts(app.ctx)) > 0, 'a short-session alert')
  clock.set(Date.parse('2026-12-01T10:00:00Z'))
  t.ok((await queueSessionReminders(app.ctx)) > 0, 'a session reminder')
  // On the day, the reminder also carries the place's check-in link.
  clock.set(Date.parse('2026-12-03T08:00:30Z'))
  t.ok((await queueSessionReminders(app.ctx)) > 0, 'the reminder on the day')
  // The café has ended: Ann is asked to record it.
  clock.set(Date.parse('2026-12-03T13:00:00Z'))
  t.ok((await queueRecordingPrompts(app.ctx)) > 0, 'a recording prompt')
  const kind = await db.insertInto('training_kinds').values({ library_service_id: service, name: 'DBS check', kind: 'check', validity_months: 36 }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('volunteer_trainings').values({ volunteer_id: ann.volunteerId, training_kind_id: kind.id, completed_on: '2024-01-06', expires_on: '2027-01-06', recorded_by_person_id: null, created_at: Date.parse('2024-01-06T12:00:00Z') }).execute()
  await createSession(db, branch, { date: '2026-12-09', title: 'Online forms', min: 2, max: 3 })
  clock.set(Date.parse('2026-12-07T08:00:00Z'))
  t.ok((await queueGapsDigests(app.ctx)) > 0, 'a gaps digest')
  t.ok((await queueExpiryReminders(app.ctx)) > 0, 'an expiry reminder')
  // Cancelling a full session with someone waiting: a cancellation and a waiting-list email.
  const full = await createSession(db, branch, { date: '2026-12-21', title: 'Online banking', min: 1, max: 1 })
  t.equal((await takePlace(app.ctx, { sessionId: full, volunteerId: ann.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  t.equal((await joinWaitlist(app.ctx, { sessionId: full, volunteerId: bob.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'waitlisted')
  await coordinator.signInAs(coordinatorId) // a week has passed on the clock: a fresh sign-in
  t.equal((await coordinator.post(`/coordinate/sessions/${full}/cancel`, { scope: 'one', reason: 'The library is closed for repairs' })).statusCode, 303, 'session cancelled')

  // A message to the branch's volunteers (a group message), with their one-click link to stop them.
  const groupMessage = { audience: `branch:${branch}`, subject: 'The library is closed on Friday', body: 'The library is closed on Friday for staff training.\nSessions go ahead on Saturday.\n\nThank you all.' }
  const preview = await coordinator.post('/coordinate/messages/preview', groupMessage)
  const count = /name="count" value="(\d+)"/.exec(preview.body)?.[1]
  t.equal((await coordinator.post('/coordinate/messages/send', { ...groupMessage, count })).statusCode, 303, 'group message sent')

  await app.mail.worker.drain()
  const byKind = new Map<string, ParsedMail>()
  for (let i = 0; i < peer.received.length; i++) {
    const parsed = await peer.parsed(i)
    const name = composedFrom.get((parsed.text ?? '').replace(/\r\n/g, '\n')) ?? [...composedFrom.entries()].find(([text]) => text.trim() === (parsed.text ?? '').trim())?.[1]
    // Of several messages of one kind, the fullest (the one with a reason, notes…) shows the most lines.
    if (name && (byKind.get(name)?.text ?? '').length < (parsed.text ?? '').length) byKind.set(name, parsed)
  }
  t.same([...byKind.keys()].sort(), KINDS, 'every kind of email was sent and received')

  for (const name of KINDS) {
    const mail = byKind.get(name)
    if (!mail) continue
    const text = mail.text ?? ''
    const lines = text.split(/\r?\n/)
    const template = fs.readFileSync(path.join(viewsDir, 'emails', `${name}.text.eta`), 'utf8')
    for (const pattern of linePatterns(template)) {
      t.ok(lines.some((l) => pattern.test(l)), `${name}: a line of its own matches ${pattern}`)
    }
    t.notMatch(text, /\n\n\n/, `${name}: no run of empty lines`)
    const urls = text.match(/https?:\/\/\S+/g) ?? []
    const linked = new Set(hrefs(mail.html || ''))
    for (const url of urls) {
      t.ok(url.startsWith(`${BASE}/`), `${name}: ${url} is on the service`)
      t.ok(linked.has(url), `${name}: ${url} is exactly a link of the HTML part, nothing glued on`)
      const res = await app.inject({ method: 'GET', url: url.slice(BASE.length) })
      t.not(res.statusCode, 404, `${name}: ${url} exists`)
    }
  }
})
