// Booking, time change and cancellation emails as a real SMTP peer receives them: iMIP parts that mail clients recognise.
import t, { type Test } from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { createService, createBranch, createVolunteer, createSession } from '../helpers/fixtures.js'
import { startSmtpPeer, mimeTree, type MimePart } from '../helpers/smtp-peer.js'
import { checkIcs } from '../helpers/calendar-checks.js'
import { takePlace, releasePlace } from '../../src/assignments/places.service.js'
import { queueSessionUpdate } from '../../src/notifications/notify.js'
import { inTransaction } from '../../src/db/transaction.js'
import { localToInstant } from '../../src/time/wall-clock.js'

t.comment(`database: ${databaseLabel}`)

function leaves(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(leaves) : [part]
}

/** What Gmail, Outlook and Apple Mail look for: text, HTML and the calendar as alternatives, plus the .ics attached. */
function inviteShape(t: Test, raw: string, method: 'REQUEST' | 'CANCEL'): string {
  const root = mimeTree(raw)
  t.equal(root.contentType, 'multipart/mixed', 'multipart/mixed at the top')
  const alternative = root.parts[0]!
  t.equal(alternative.contentType, 'multipart/alternative', 'then multipart/alternative')
  t.same(alternative.parts.map((p) => p.contentType), ['text/plain', 'text/html', 'text/calendar'], 'text, HTML and calendar, calendar last')
  const calendar = alternative.parts[2]!
  t.equal(calendar.params.method, method, `text/calendar; method=${method}`)
  t.equal(calendar.params.charset?.toLowerCase(), 'utf-8')
  t.match(calendar.body, new RegExp(`\\r\\nMETHOD:${method}\\r\\n`), 'the MIME method equals METHOD')
  const attachment = root.parts[1]!
  t.equal(attachment.contentType, 'application/ics')
  t.equal(attachment.disposition, 'attachment')
  t.equal(attachment.filename, 'invite.ics')
  t.equal(attachment.body, calendar.body, 'the attachment is the same calendar')
  t.equal(leaves(root).length, 4)
  return calendar.body
}

t.test('a booking, a time change and a cancellation reach a real SMTP peer as iMIP messages', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app } = await testApp(t, { env: { SMTP_URL: peer.url, BASE_URL: 'https://rota.test' } })
  t.equal(app.mail.transport.kind, 'smtp', 'SMTP_URL selects the SMTP transport')
  const db = app.db
  const service = await createService(db)
  const branch = await createBranch(db, service, 'Central Library')
  const session = await createSession(db, branch, { date: '2026-12-08', start: '10:00', end: '12:00', title: 'Digital help drop-in' })
  const { volunteerId } = await createVolunteer(db, 'ann@example.org', service, [branch], { name: 'Ann Example' })

  const booked = await takePlace(app.ctx, { sessionId: session, volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  t.equal(booked.kind, 'confirmed')
  await app.mail.worker.drain()
  t.equal(peer.received.length, 1, 'one message for one booking')
  const invite = peer.received[0]!
  t.same(invite.to, ['ann@example.org'])
  t.equal(invite.from, 'rota@rota.test')
  const requestIcs = inviteShape(t, invite.raw, 'REQUEST')
  const request = (await checkIcs(t, requestIcs, 'request', 'invite')).events[0]!
  t.equal(request.startLocal, '20261208T100000')
  t.equal(request.startTzid, 'Europe/London')
  const parsed = await peer.parsed(0)
  t.match(parsed.subject, /You are booked: Digital help drop-in, Tuesday 8 December 2026/)
  t.match(parsed.text, /When: Tuesday 8 December 2026, 10am to 12pm/)
  t.match(parsed.text, /Where: Central Library, 1 High Street, Testtown, TT1 1AA/)
  t.match(parsed.html, /<html lang="en-GB">/)
  t.match(parsed.html, /10am to 12pm/)
  t.match(parsed.messageId, /^<outbox-\d+@rota\.test>$/, 'a Message-ID that stays the same if the worker has to send again')

  // The coordinator moves the session an hour later.
  await inTransaction(db, async (tx) => {
    await tx
      .updateTable('sessions')
      .set({ start_time: '11:00', end_time: '13:00', starts_at: localToInstant('2026-12-08', '11:00', 'Europe/London'), ends_at: localToInstant('2026-12-08', '13:00', 'Europe/London'), updated_at: app.clock.now() })
      .where('id', '=', session)
      .execute()
    await queueSessionUpdate(tx, app.ctx, session, 'The session now starts at 11am.')
  })
  await app.mail.worker.drain()
  t.equal(peer.received.length, 2)
  const update = (await checkIcs(t, inviteShape(t, peer.received[1]!.raw, 'REQUEST'), 'request', 'update')).events[0]!
  t.equal(update.uid, request.uid, 'the update has the same UID')
  t.ok(update.sequence > request.sequence, 'and a higher SEQUENCE')
  t.equal(update.startLocal, '20261208T110000')
  t.equal(update.startUtc, Date.parse('2026-12-08T11:00:00Z'))
  t.match((await peer.parsed(1)).subject, /^Changed: Digital help drop-in/)

  const released = await releasePlace(app.ctx, { sessionId: session, volunteerId, toState: 'withdrawn', actorPersonId: null, wording: 'withdrew' })
  t.equal(released.kind, 'released')
  await app.mail.worker.drain()
  t.equal(peer.received.length, 3)
  const cancel = (await checkIcs(t, inviteShape(t, peer.received[2]!.raw, 'CANCEL'), 'cancel', 'cancellation')).events[0]!
  t.equal(cancel.uid, request.uid)
  t.ok(cancel.sequence > update.sequence)
  t.equal(cancel.status, 'CANCELLED')
  t.match((await peer.parsed(2)).subject, /^Cancelled: Digital help drop-in/)

  // Booking again after withdrawing: the same event comes back, SEQUENCE still going up.
  await takePlace(app.ctx, { sessionId: session, volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  await app.mail.worker.drain()
  const rebooked = (await checkIcs(t, inviteShape(t, peer.received[3]!.raw, 'REQUEST'), 'request', 'rebooked')).events[0]!
  t.equal(rebooked.uid, request.uid)
  t.ok(rebooked.sequence > cancel.sequence, 'SEQUENCE never goes backwards across withdraw-then-rebook')

  // The coordinator cancels the whole session: a CANCEL, never a REQUEST for a cancelled session.
  await inTransaction(db, async (tx) => {
    await tx.updateTable('sessions').set({ status: 'cancelled', cancelled_at: app.clock.now(), updated_at: app.clock.now() }).where('id', '=', session).execute()
    await queueSessionUpdate(tx, app.ctx, session, 'The library is closed for repairs.')
  })
  await app.mail.worker.drain()
  const sessionCancelled = (await checkIcs(t, inviteShape(t, peer.received[4]!.raw, 'CANCEL'), 'cancel', 'session cancelled')).events[0]!
  t.equal(sessionCancelled.uid, request.uid)
  t.ok(sessionCancelled.sequence > rebooked.sequence)
  const cancelledMail = await peer.parsed(4)
  t.match(cancelledMail.subject, /^Session cancelled: Digital help drop-in/)
  t.match(cancelledMail.text, /The library is closed for repairs/)

  const outbox = await db.selectFrom('outbox').select(['status', 'attempts']).execute()
  t.equal(outbox.length, 5)
  t.ok(outbox.every((m) => m.status === 'sent' && m.attempts === 1), 'each sent once')
})

t.test('without SMTP_URL the invite is kept for /dev/mail with its calendar part and attachment', async (t) => {
  const { app } = await testApp(t)
  t.equal(app.mail.transport.kind, 'database')
  const db = app.db
  const service = await createService(db)
  const branch = await createBranch(db, service)
  const session = await createSession(db, branch, { date: '2026-12-08' })
  const { volunteerId } = await createVolunteer(db, 'ann@example.org', service, [branch], { name: 'Ann Example' })
  await takePlace(app.ctx, { sessionId: session, volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  await app.mail.worker.drain()
  const [message] = (await app.inject('/dev/mail.json')).json() as Array<{
    to: string
    calendar: { method: string; contentType: string; content: string } | null
    attachments: Array<{ filename: string; contentType: string; content: string }>
    text: string
    html: string
  }>
  t.equal(message!.to, 'ann@example.org')
  t.equal(message!.calendar?.method, 'REQUEST')
  t.match(message!.calendar?.contentType, /^text\/calendar; charset=utf-8; method=REQUEST$/)
  await checkIcs(t, message!.calendar!.content, 'request', '/dev/mail.json calendar part')
  t.same(message!.attachments.map((a) => [a.filename, a.contentType]), [['invite.ics', 'application/ics']])
  t.equal(message!.attachments[0]!.content, message!.calendar!.content)
  const page = await app.inject('/dev/mail')
  t.match(page.body, /You are booked/)
})
