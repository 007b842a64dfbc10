// Asking for a link does the same database and outbox work for a known and an unknown address (so timing cannot tell them apart), and sends nothing to the unknown one.
import t from 'tap'
import { sql } from 'kysely'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createService, createBranch, createCoordinator } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

const TABLES = ['sign_in_tokens', 'outbox', 'mailbox', 'audit_log', 'login_sessions', 'people'] as const

t.test('known and unknown addresses write the same rows, of the same shape', async (t) => {
  const { app } = await testApp(t)
  const serviceId = await createService(app.db)
  await createBranch(app.db, serviceId)
  await createCoordinator(app.db, 'coord@example.org', serviceId, null, 'Casey Coordinator')

  const counts = async () => {
    const out: Record<string, number> = {}
    for (const table of TABLES) {
      const row = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(app.db)
      out[table] = Number(row.rows[0]!.n)
    }
    return out
  }
  const delta = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(TABLES.map((k) => [k, b[k]! - a[k]!]))

  const work = async (email: string) => {
    const before = await counts()
    const res = await new Client(app).post('/sign-in', { email })
    t.equal(res.statusCode, 303)
    const after = await counts()
    const queued = await app.db.selectFrom('outbox').select(['kind', 'subject', 'text_body', 'to_address']).orderBy('id', 'desc').executeTakeFirstOrThrow()
    return { changed: delta(before, after), queued }
  }
  const known = await work('coord@example.org')
  const unknown = await work('nobody@example.org')
  t.same(known.changed, { sign_in_tokens: 1, outbox: 1, mailbox: 0, audit_log: 0, login_sessions: 0, people: 0 }, 'a known address: a link and a queued email')
  t.same(unknown.changed, known.changed, 'an unknown address: exactly the same rows')
  t.equal(unknown.queued.to_address, 'nobody@example.org')
  t.equal(unknown.queued.kind, known.queued.kind)
  t.equal(unknown.queued.subject, known.queued.subject, 'the same email is composed')
  t.ok(Math.abs(unknown.queued.text_body.length - known.queued.text_body.length) < 40, 'of about the same size')

  // Only the known address is ever sent anything.
  await app.mail.worker.drain()
  const mailbox = await app.db.selectFrom('mailbox').select('to_address').execute()
  t.same(mailbox.map((m) => m.to_address), ['coord@example.org'], 'nothing is sent to the unknown address')
  const pending = await app.db.selectFrom('outbox').select('id').where('status', 'in', ['pending', 'sending', 'failed']).execute()
  t.equal(pending.length, 0, 'and nothing is left waiting or failed on its account')
})
