// `npm run worker` as a real process, killed with SIGKILL in the middle of sending again and again: nothing lost, duplicates only of what was in flight.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { testDatabase, databaseLabel } from '../helpers/app.js'
import { startSmtpPeer } from '../helpers/smtp-peer.js'
import { enqueueEmail } from '../../src/mail/outbox.repository.js'
import { inTransaction } from '../../src/db/transaction.js'
import { nodeArgs } from '../helpers/paths.js'
import { databaseUrl } from '../ops/server-process.js'

t.comment(`database: ${databaseLabel}`)


t.test('SIGKILL mid-send, five times: every message delivered, duplicates only of messages in flight at a kill', async (t) => {
  const MESSAGES = 150
  const KILL_AT = [12, 37, 64, 90, 118] // the nth message received: killed before the peer answers 250
  const peer = await startSmtpPeer(t)
  const handle = await testDatabase(t)
  const { db } = handle
  await inTransaction(db, async (tx) => {
    for (let i = 0; i < MESSAGES; i++) {
      await enqueueEmail(tx, { dedupeKey: `kill:${i}`, kind: 'test', to: { address: `v${i}@example.org` }, subject: `Message ${i}`, text: `Hello ${i}`, html: `<p>Hello ${i}</p>` }, Date.now())
    }
  })
  const ids = (await db.selectFrom('outbox').select('id').execute()).map((r) => r.id)

  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl(handle.config),
    SMTP_URL: peer.url,
    BASE_URL: 'http://rota.test',
    MAIL_FROM: 'Champion Rota <rota@rota.test>',
  }
  const children: ChildProcess[] = []
  let current: ChildProcess | undefined
  let stderr = ''
  let crashes = 0
  const startWorker = (): ChildProcess => {
    const child = spawn(process.execPath, nodeArgs('src/jobs/worker-main.ts'), { env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout!.resume()
    // As a process supervisor would: a worker that dies on its own is started again.
    child.on('exit', (code, signal) => {
      if (signal === null && code !== 0 && child === current) {
        crashes++
        current = startWorker()
      }
    })
    children.push(child)
    return child
  }
  t.teardown(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  })

  current = startWorker()
  let received = 0
  let kills = 0
  let killing = false
  const inFlightAtKills: number[][] = []
  const killedMidSend: number[] = []
  peer.onMessage = async (message) => {
    received++
    if (killing || kills >= KILL_AT.length || received < KILL_AT[kills]!) return
    killing = true
    kills++
    killedMidSend.push(Number(/outbox-(\d+)@/.exec(message.messageId ?? '')?.[1]))
    const victim = current!
    victim.kill('SIGKILL')
    if (victim.exitCode === null && victim.signalCode === null) await once(victim, 'exit')
    t.equal(victim.signalCode, 'SIGKILL', `worker ${inFlightAtKills.length + 1} killed`)
    // What the dead worker held: claimed, maybe handed to SMTP, never marked sent.
    const held = await db.selectFrom('outbox').select('id').where('status', '=', 'sending').execute()
    inFlightAtKills.push(held.map((r) => r.id))
    // Its lease would run out after two minutes; the test does not wait for the clock.
    await db.updateTable('outbox').set({ lease_until: 0 }).where('status', '=', 'sending').execute()
    current = startWorker()
    killing = false
  }

  const deadline = Date.now() + 120_000
  for (;;) {
    const left = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '!=', 'sent').executeTakeFirstOrThrow()
    if (Number(left.n) === 0 && inFlightAtKills.length === KILL_AT.length) break
    if (Date.now() > deadline) throw new Error(`timed out: ${left.n} not sent, ${inFlightAtKills.length} kills\n${stderr}`)
    await new Promise((r) => setTimeout(r, 100))
  }

  // The last worker stops gracefully on SIGTERM and holds nothing.
  const last = current!
  last.kill('SIGTERM')
  const [code] = (await once(last, 'exit')) as [number | null]
  t.equal(code, 0, 'the last worker exits cleanly on SIGTERM')

  const copies = new Map<number, number>()
  for (const m of peer.received) {
    const id = Number(/outbox-(\d+)@/.exec(m.messageId ?? '')?.[1])
    copies.set(id, (copies.get(id) ?? 0) + 1)
  }
  const lost = ids.filter((id) => !copies.has(id))
  t.same(lost, [], `no message lost (${MESSAGES} queued, ${copies.size} distinct received)`)
  const rows = await db.selectFrom('outbox').select(['status', 'lease_owner']).execute()
  t.ok(rows.every((r) => r.status === 'sent' && r.lease_owner === null), 'every row marked sent, none left leased')

  const duplicated = [...copies.entries()].filter(([, n]) => n > 1)
  const extraCopies = duplicated.reduce((sum, [, n]) => sum + n - 1, 0)
  const inFlight = new Set(inFlightAtKills.flat())
  if (crashes) t.comment(`workers that died on their own and were restarted: ${crashes}\n${stderr}`)
  t.comment(`kills: ${inFlightAtKills.length}; in flight at the kills: ${inFlightAtKills.map((s) => s.length).join(' + ')} = ${inFlight.size}; duplicates: ${duplicated.length} messages, ${extraCopies} extra copies`)
  t.same(duplicated.filter(([id]) => !inFlight.has(id)), [], 'every duplicate was in flight at a kill')
  t.ok(extraCopies <= inFlightAtKills.reduce((n, s) => n + s.length, 0), 'no more extra copies than messages in flight at the kills')
  const killsInFlight = (id: number) => inFlightAtKills.filter((held) => held.includes(id)).length
  t.ok(duplicated.every(([id, n]) => n - 1 <= killsInFlight(id)), 'a message arrives at most once more for each kill it was in flight at')
  for (const id of killedMidSend) t.ok((copies.get(id) ?? 0) >= 2, `message ${id}, received as its worker died, was sent again (at-least-once)`)
})
