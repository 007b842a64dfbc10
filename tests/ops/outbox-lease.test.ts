// Issue 15.11: a killed worker's message is due again within the short lease; a live worker's heartbeat keeps a slow send its own.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { startSmtpPeer } from '../helpers/smtp-peer.js'
import { enqueueEmail } from '../../src/mail/outbox.repository.js'
import type { MailTransport } from '../../src/mail/transport.js'
import { inTransaction } from '../../src/db/transaction.js'
import { OutboxWorker } from '../../src/jobs/outbox-worker.js'
import { createSmtpTransport } from '../../src/mail/transport.js'
import { systemClock } from '../../src/clock.js'

t.comment(`database: ${databaseLabel}`)

const email = (i: number) => ({ dedupeKey: `lease:${i}`, kind: 'test', to: { address: `v${i}@example.org` }, subject: `Message ${i}`, text: 'Hello', html: '<p>Hello</p>' })

t.test('what a killed worker held is sent by the next one within 20 s, not 2 minutes', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app, clock } = await testApp(t)
  await inTransaction(app.db, (tx) => enqueueEmail(tx, email(1), clock.now()))
  const transport = createSmtpTransport(peer.url)
  t.teardown(() => transport.close())
  const make = () => new OutboxWorker({ db: app.db, dialect: app.dialect, transport, from: app.config.mailFrom, now: () => clock.now() })

  // A worker with its default lease claims the message and hangs in the send, as one killed mid-send
  // (its heartbeat would beat every 5 s of real time; the test is over long before).
  const hanging: MailTransport = { kind: 'smtp', send: () => new Promise(() => {}), close: async () => {} }
  const dead = new OutboxWorker({ db: app.db, dialect: app.dialect, transport: hanging, from: app.config.mailFrom, now: () => clock.now() })
  const claimedAt = clock.now()
  void dead.runOnce()
  let held: { lease_until: number | null; status: string } | undefined
  while (held?.status !== 'sending') {
    await new Promise((r) => setTimeout(r, 20))
    held = await app.db.selectFrom('outbox').select(['lease_until', 'status']).executeTakeFirstOrThrow()
  }
  t.ok(held.lease_until! - claimedAt <= 20_000, `the default lease is 20 s at most (${held.lease_until! - claimedAt} ms)`)

  const next = make()
  clock.advance(19_000)
  t.equal((await next.runOnce()).sent, 0, 'still held just before the lease ends')
  clock.advance(1_500)
  t.equal((await next.runOnce()).sent, 1, 'sent by the next worker as soon as the lease ends')
  t.equal(peer.received.length, 1, 'exactly once')
})

t.test('a live worker renews its lease while a slow send goes on, so nobody else sends it too', async (t) => {
  const peer = await startSmtpPeer(t)
  const { app } = await testApp(t)
  await inTransaction(app.db, (tx) => enqueueEmail(tx, email(2), systemClock.now()))
  // The peer takes 1.5 s to accept: far longer than this worker's 300 ms lease.
  peer.onMessage = () => new Promise((r) => setTimeout(r, 1500))
  const transports = [createSmtpTransport(peer.url), createSmtpTransport(peer.url)]
  t.teardown(() => Promise.all(transports.map((x) => x.close())))
  const options = { db: app.db, dialect: app.dialect, from: app.config.mailFrom, now: () => systemClock.now(), leaseMs: 300 }
  const slow = new OutboxWorker({ ...options, transport: transports[0]! })
  const other = new OutboxWorker({ ...options, transport: transports[1]! })

  const sending = slow.runOnce()
  let stolen = 0
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 150))
    stolen += (await other.runOnce()).claimed
  }
  t.equal((await sending).sent, 1, 'the slow send finished')
  t.equal(stolen, 0, 'the other worker never claimed it while it was going')
  t.equal(peer.received.length, 1, 'it arrived once')
})
