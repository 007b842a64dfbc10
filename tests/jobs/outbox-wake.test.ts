// The outbox worker is woken once the transaction that queued mail has committed: never inside it, never for a rollback, and a booking's email goes at once.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { createService, createBranch, createVolunteer, createSession } from '../helpers/fixtures.js'
import { enqueueEmail } from '../../src/mail/outbox.repository.js'
import { inTransaction } from '../../src/db/transaction.js'
import { takePlace } from '../../src/assignments/places.service.js'

t.comment(`database: ${databaseLabel}`)

const email = (key: string) => ({ dedupeKey: key, kind: 'test', to: { address: 'a@example.org' }, subject: 's', text: 't', html: '<p>h</p>' })

t.test('the wake runs after the commit, and not at all when the transaction rolls back', async (t) => {
  const { app } = await testApp(t)
  let kicks = 0
  app.mail.worker.kick = () => {
    kicks++
  }
  await inTransaction(app.db, async (tx) => {
    await enqueueEmail(tx, email('wake:1'), app.clock.now())
    app.ctx.outboxQueued(tx)
    // Woken now, a pass on another connection could not see the row: it would sleep a whole poll.
    t.equal(kicks, 0, 'not woken while the row is uncommitted')
  })
  t.equal(kicks, 1, 'woken once it has committed')

  await t.rejects(
    inTransaction(app.db, async (tx) => {
      await enqueueEmail(tx, email('wake:2'), app.clock.now())
      app.ctx.outboxQueued(tx)
      throw new Error('changed my mind')
    }),
  )
  t.equal(kicks, 1, 'a rolled-back transaction wakes nobody')

  app.ctx.outboxQueued(app.db)
  t.equal(kicks, 2, 'outside a transaction, woken at once')
})

t.test("a booking's confirmation is sent at once by a running worker, not at its next poll", async (t) => {
  // A poll far longer than the wait below: only a wake that finds the row gets the email out in time.
  const { app, db } = await testApp(t, { worker: { pollMs: 60_000 } }).then((c) => ({ ...c, db: c.app.db }))
  const service = await createService(db)
  const branch = await createBranch(db, service)
  const vols = []
  for (let i = 1; i <= 5; i++) vols.push(await createVolunteer(db, `v${i}@example.org`, service, [branch], { name: `Vol ${i}` }))
  app.mail.worker.start()
  // Let the worker's first pass find nothing and go to sleep.
  await new Promise((r) => setTimeout(r, 200))
  for (const [i, v] of vols.entries()) {
    const session = await createSession(db, branch, { date: '2026-12-08', start: `${10 + i}:00`, end: `${10 + i}:30`, title: `Session ${i}` })
    const started = Date.now()
    const result = await takePlace(app.ctx, { sessionId: session, volunteerId: v.volunteerId, source: 'self', actorPersonId: null, bookingWindow: true, wording: 'booked' })
    t.equal(result.kind, 'confirmed')
    let sent = false
    while (!sent && Date.now() - started < 3_000) {
      const row = await db.selectFrom('outbox').select('status').where('to_address', '=', `v${i + 1}@example.org`).executeTakeFirst()
      sent = row?.status === 'sent'
      if (!sent) await new Promise((r) => setTimeout(r, 20))
    }
    t.ok(sent, `booking ${i + 1}: its email was sent within ${Date.now() - started} ms`)
  }
})
