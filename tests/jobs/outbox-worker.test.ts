// The outbox worker against a real SMTP peer: no duplicates when queued twice or claimed side by side, retries with backoff, permanent failures stop.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { testApp, databaseLabel } from '../helpers/app.js'
import { startSmtpPeer } from '../helpers/smtp-peer.js'
import { enqueueEmail } from '../../src/mail/outbox.repository.js'
import { inTransaction } from '../../src/db/transaction.js'
import { OutboxWorker, backoffDelay, isPermanentFailure } from '../../src/jobs/outbox-worker.js'
import { createSmtpTransport } from '../../src/mail/transport.js'

t.comment(`database: ${databaseLabel}`)

async function queue(app: FastifyInstance, count: number, address: (i: number) => string = (i) => `v${i}@example.org`): Promise<void> {
  await inTransaction(app.db, async (tx) => {
    for (let i = 0; i < count; i++) {
      await enqueueEmail(
        tx,
        { dedupeKey: `test:${i}`, kind: 'test', to: { address: address(i), name: `Volunteer ${i}` }, subject: `Message ${i}`, text: `Hello ${i}`, html: `<p>Hello ${i}</p>` },
        app.clock.now(),
      )
    }
  })
}

function byMessageId(ids: Array<string | null>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const id of ids) if (id) counts.set(id, (counts.get(id) ?? 0) + 1)
  return counts
}

t.test('the same message cannot be queued twice', async (t) => {
  const { app } = await testApp(t)
  const email = { dedupeKey: 'reminder:1:2026-12-08T10:00:2d', kind: 'reminder', to: { address: 'a@example.org' }, subject: 's', text: 't', html: '<p>h</p>' }
  const first = await inTransaction(app.db, (tx) => enqueueEmail(tx, email, app.clock.now()))
  const second = await inTransaction(app.db, (tx) => enqueueEmail(tx, { ...email, subject: 'other' }, app.clock.now()))
  t.same([first, second], [true, false])
  const rows = await app.db.selectFrom('outbox').select('subject').execute()
  t.same(rows, [{ subject: 's' }], 'one row, the first')
})

t.test('several workers side by side never send the same message twice', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app } = await testApp(t)
  await queue(app, 200)
  const workers = Array.from({ length: 4 }, () => {
    const transport = createSmtpTransport(peer.url)
    t.teardown(() => transport.close())
    return new OutboxWorker({ db: app.db, dialect: app.dialect, transport, from: app.config.mailFrom, now: () => app.clock.now(), batchSize: 10 })
  })
  const results = await Promise.all(workers.map((w) => w.drain()))
  t.equal(results.reduce((n, r) => n + r.sent, 0), 200, 'all sent')
  t.ok(results.filter((r) => r.sent > 0).length >= 2, `the work was shared (${results.map((r) => r.sent).join(', ')})`)
  const counts = byMessageId(peer.received.map((m) => m.messageId))
  t.equal(counts.size, 200, 'every message arrived')
  t.same([...counts.values()].filter((n) => n > 1), [], 'none twice')
})

t.test('the SMTP peer refusing, then down, then back: everything arrives once, with backoff between tries', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app, clock } = await testApp(t, { env: { SMTP_URL: peer.url } })
  await queue(app, 5)
  const due = async () => (await app.db.selectFrom('outbox').select(['id', 'status', 'attempts', 'next_attempt_at', 'last_error']).orderBy('id').execute())

  peer.mode = { kind: 'tempfail' }
  const first = await app.mail.worker.drain()
  t.same([first.sent, first.retried, first.failed], [0, 5, 0], 'a 451 is retried later')
  let rows = await due()
  t.ok(rows.every((r) => r.status === 'pending' && r.attempts === 1), 'still queued')
  t.match(rows[0]!.last_error, /451/)
  const tries = peer.attempts.length

  // Backoff: nothing is tried again before its time.
  const soonest = Math.min(...rows.map((r) => r.next_attempt_at))
  t.ok(soonest - clock.now() >= 7_500, `the first retry waits at least 7.5 s (it waits ${soonest - clock.now()} ms)`)
  clock.advance(5_000)
  t.equal((await app.mail.worker.drain()).claimed, 0, 'nothing is due 5 s later')
  t.equal(peer.attempts.length, tries, 'the peer saw no new try')

  // The peer goes away; each failed try waits longer than the one before.
  await peer.stop()
  const gaps: number[][] = rows.map(() => [])
  for (let round = 0; round < 4; round++) {
    const before = await due()
    clock.set(Math.max(...before.map((r) => r.next_attempt_at)))
    const r = await app.mail.worker.drain()
    t.equal(r.retried, 5, `round ${round + 1}: all five tried again and failed`)
    const after = await due()
    after.forEach((row, i) => gaps[i]!.push(row.next_attempt_at - clock.now()))
  }
  rows = await due()
  t.ok(rows.every((r) => r.attempts === 5 && r.status === 'pending'), 'five tries each, still queued')
  t.match(rows[0]!.last_error, /ECONNREFUSED|ECONNECTION|ESOCKET/, 'the reason is kept')
  for (const g of gaps) {
    for (let i = 0; i < g.length; i++) {
      const ceiling = 15_000 * 2 ** (i + 1)
      t.ok(g[i]! >= ceiling / 2 && g[i]! <= ceiling, `try ${i + 2}: waits ${g[i]} ms, between ${ceiling / 2} and ${ceiling}`)
    }
  }

  // Back again: everything goes, exactly once.
  await peer.start()
  peer.mode = { kind: 'accept' }
  clock.advance(2 * 60 * 60_000)
  const last = await app.mail.worker.drain()
  t.equal(last.sent, 5)
  rows = await due()
  t.ok(rows.every((r) => r.status === 'sent'), 'all sent')
  const counts = byMessageId(peer.received.map((m) => m.messageId))
  t.equal(counts.size, 5)
  t.ok([...counts.values()].every((n) => n === 1), 'each arrived once')
})

t.test('a rejected address fails at once and is not retried; the others go', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app, clock } = await testApp(t, { env: { SMTP_URL: peer.url } })
  peer.mode = { kind: 'reject-rcpt', addresses: ['v1@example.org'] }
  await queue(app, 3)
  const r = await app.mail.worker.drain()
  t.same([r.sent, r.failed, r.retried], [2, 1, 0])
  const failed = await app.db.selectFrom('outbox').selectAll().where('status', '=', 'failed').execute()
  t.equal(failed.length, 1)
  t.equal(failed[0]!.to_address, 'v1@example.org')
  t.match(failed[0]!.last_error, /550/)
  clock.advance(24 * 60 * 60_000)
  t.equal((await app.mail.worker.drain()).claimed, 0, 'never tried again')
  t.equal(peer.received.length, 2)
})

t.test('a message that keeps failing is given up after the last try', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app, clock } = await testApp(t, { env: { SMTP_URL: peer.url }, worker: { maxAttempts: 3 } })
  peer.mode = { kind: 'tempfail' }
  await queue(app, 1)
  for (let i = 0; i < 5; i++) {
    await app.mail.worker.drain()
    clock.advance(2 * 60 * 60_000)
  }
  const row = await app.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
  t.equal(row.status, 'failed')
  t.equal(row.attempts, 3)
  t.equal(peer.attempts.length, 3)
})

t.test('a graceful stop gives back what the worker still holds', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app } = await testApp(t, { env: { SMTP_URL: peer.url }, worker: { pollMs: 20 } })
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  peer.onMessage = () => held
  await queue(app, 3)
  app.mail.worker.start()
  while (peer.received.length === 0) await new Promise((r) => setTimeout(r, 10))
  await app.mail.worker.stop(200)
  const rows = await app.db.selectFrom('outbox').select(['status', 'lease_owner', 'attempts']).execute()
  t.ok(rows.every((r) => r.status === 'pending' && r.lease_owner === null), 'nothing left leased to a stopped worker')
  t.ok(rows.every((r) => r.attempts === 0), 'an interrupted try does not count against the message')
  release()
})

t.test('which failures are permanent', async (t) => {
  t.equal(isPermanentFailure({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, permanent: true }), true, '550 to RCPT TO')
  t.equal(isPermanentFailure({ code: 'EMESSAGE', command: 'DATA', responseCode: 554, permanent: true }), true, '554 to the message')
  t.equal(isPermanentFailure({ code: 'EENVELOPE', command: 'API' }), true, 'an address that cannot be sent to at all')
  t.equal(isPermanentFailure({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 450, permanent: false }), false, '450 mailbox busy')
  t.equal(isPermanentFailure({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535, permanent: true }), false, 'bad credentials: fix the setup, keep the mail')
  t.equal(isPermanentFailure({ code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 550, permanent: true }), false, 'sender refused: fix the setup, keep the mail')
  t.equal(isPermanentFailure({ code: 'ECONNECTION', command: 'CONN' }), false, 'connection refused')
  t.equal(isPermanentFailure(new Error('boom')), false)
  const delays = Array.from({ length: 12 }, (_, i) => backoffDelay(i + 1, 15_000, 3_600_000, () => 1))
  t.same(delays.slice(0, 4), [15_000, 30_000, 60_000, 120_000], 'doubling')
  t.equal(delays[11], 3_600_000, 'capped at an hour')
})
