// Issue 15 end to end: two built app instances and a separate `npm run worker` on one PostgreSQL database, mail over a real SMTP peer.
//
// What one process cannot show: a sign-in link asked for on one instance and spent on the other,
// the last places of a session booked from both at once, one rate-limit allowance for both, and
// the worker killed with SIGKILL in the middle of a batch. Every child is the production build
// (dist/), started as an operator starts it, with RUN_WORKER=false on the web instances so the
// separate worker does all the sending.
import t from 'tap'
import { simpleParser } from 'mailparser'
import { buildIfNeeded, startServer, type ServerProcess } from './server-process.js'
import { freshDatabase, migrateFresh, usingPostgres, databaseLabel } from '../helpers/app.js'
import { SmtpPeer, type Received } from '../helpers/smtp-peer.js'
import { csrfFrom, encodeForm, type Form } from '../helpers/client.js'
import { createBranch, createService, createSession, createVolunteer } from '../helpers/fixtures.js'
import { openDatabase } from '../../src/db/connect.js'
import { inTransaction } from '../../src/db/transaction.js'
import { enqueueEmail } from '../../src/mail/outbox.repository.js'

t.comment(`database: ${databaseLabel}`)

const BASE_URL = 'https://rota.example.test'
const MAIL_DOMAIN = 'example.test'
/** POST /sign-in allows 20 requests per client address in 10 minutes (src/auth/auth.routes.ts). */
const SIGN_IN_LIMIT = 20
/** With TRUSTED_PROXY_HOPS=1 the client address is the one the (pretend) proxy put in X-Forwarded-For. */
const VOLUNTEERS_ADDRESS = '198.51.100.1'
const HAMMER_ADDRESS = '198.51.100.2'
const RACERS = 8
const BATCH = 40
/** The batch message whose arrival closes the gate: the worker is held before its next MAIL FROM. */
const KILL_AFTER = 8

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** The promise's value, or `fallback` after `ms` (the timer is cleared either way, so it never holds the process). */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Polls until `probe` answers something truthy; throws `what` (and the children's logs) at the deadline. */
async function waitFor<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms: number, logs: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${logs()}`)
    await sleep(50)
  }
}

interface Answer {
  status: number
  text: string
  headers: Headers
}

/** A browser over fetch: keeps cookies (both instances are one site behind one address) and the newest _csrf. */
class Browser {
  readonly cookies = new Map<string, string>()
  csrf: string | null = null

  constructor(readonly forwardedFor: string | null = null) {}

  async get(instance: ServerProcess, path: string): Promise<Answer> {
    return this.#send(instance, path, 'GET')
  }

  async post(instance: ServerProcess, path: string, form: Form = {}): Promise<Answer> {
    return this.#send(instance, path, 'POST', { _csrf: this.csrf ?? undefined, ...form })
  }

  async #send(instance: ServerProcess, path: string, method: string, form?: Form): Promise<Answer> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
    if (this.forwardedFor) headers['x-forwarded-for'] = this.forwardedFor
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded'
    const res = await fetch(`${instance.url}${path}`, {
      method,
      headers,
      body: form ? encodeForm(form) : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    })
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      const expired = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
      // Sign-in rotates the CSRF secret: the old form token is void.
      if (/rota_csrf$/.test(name)) this.csrf = null
    }
    const text = await res.text()
    const token = csrfFrom(text)
    if (token) this.csrf = token
    return { status: res.status, text, headers: res.headers }
  }
}

t.test(
  'two instances and a separate worker on one PostgreSQL database, over real SMTP',
  { skip: usingPostgres ? false : 'several instances need PostgreSQL', timeout: 120_000 },
  async (t) => {
    const began = Date.now()
    buildIfNeeded()

    // Children are killed first, then the peer stops, then the schema is dropped (in that order,
    // whatever order tap would run separate teardowns in).
    const children: ServerProcess[] = []
    const later: Array<() => unknown> = []
    t.teardown(async () => {
      for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL')
      await within(Promise.all(children.map((c) => c.exited)), 5_000, null)
      for (const fn of later.reverse()) await fn()
    })
    const database = await freshDatabase({ teardown: (fn) => later.push(fn) })
    await migrateFresh(database)
    const handle = openDatabase(database)
    later.push(() => handle.close())
    const { db } = handle

    // 1. A service, two overlapping sessions a week ahead, and volunteers able to book both.
    const service = await createService(db, 'Multi Instance Libraries')
    const branch = await createBranch(db, service, 'Central Library')
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)
    const lastPlaces = await createSession(db, branch, { date: day, start: '10:00', end: '12:00', title: 'Last places drop-in', max: 3 })
    const overlapping = await createSession(db, branch, { date: day, start: '11:00', end: '13:00', title: 'Overlapping class', max: 5 })
    const emails = Array.from({ length: RACERS + 1 }, (_, i) => `racer${i}@example.org`)
    for (const email of emails) await createVolunteer(db, email, service, [branch], { name: `Racer ${email}` })

    // 2. The SMTP peer, app A, app B and the worker, all on the one schema.
    const peer = new SmtpPeer()
    await peer.start()
    later.push(() => peer.stop())
    const env = { SMTP_URL: peer.url, MAIL_FROM: `Champion Rota <rota@${MAIL_DOMAIN}>`, BASE_URL, TRUSTED_PROXY_HOPS: '1', RUN_WORKER: 'false' }
    const started = (p: Promise<ServerProcess>) => p.then((s) => (children.push(s), s))
    const worker = () => started(startServer(database, env, { script: 'dist/src/jobs/worker-main.js', ready: /worker running/ }))
    const [a, b, firstWorker] = await Promise.all([started(startServer(database, env)), started(startServer(database, env)), worker()])
    const logs = () => children.map((c, i) => `--- child ${i} (port ${c.port}):\n${c.output()}`).join('\n')
    t.not(a.port, b.port, 'A and B listen on their own ports')
    t.ok(/ready at/.test(a.output()) && /ready at/.test(b.output()) && /worker running \(smtp transport\)/.test(firstWorker.output()), 'both instances ready and the worker sending over SMTP')

    // 3a. Each volunteer asks for a link on one instance and confirms it on the other.
    const signIn = async (email: string, i: number): Promise<Browser> => {
      const [start, finish] = i % 2 ? [b, a] : [a, b]
      const browser = new Browser(VOLUNTEERS_ADDRESS)
      await browser.get(start, '/sign-in')
      const asked = await browser.post(start, '/sign-in', { email })
      if (asked.status !== 303) throw new Error(`POST /sign-in for ${email} answered ${asked.status}`)
      const mail = await waitFor(`the sign-in email to ${email}`, () => peer.received.find((m) => m.to.includes(email)), 20_000, logs)
      const text = (await simpleParser(mail.raw)).text ?? ''
      const token = new RegExp(`${BASE_URL.replace(/\./g, '\\.')}/sign-in/confirm/([A-Za-z0-9_-]+)`).exec(text)?.[1]
      if (!token) throw new Error(`no sign-in link in the email to ${email}:\n${text}`)
      const page = await browser.get(finish, `/sign-in/confirm/${token}`)
      if (page.status !== 200) throw new Error(`the link opened ${page.status} on the other instance`)
      const confirmed = await browser.post(finish, '/sign-in/confirm', { token })
      if (confirmed.status !== 303 || !browser.cookies.has('__Host-rota_session')) throw new Error(`confirming on the other instance answered ${confirmed.status} without a session`)
      return browser
    }
    const browsers = await Promise.all(emails.map(signIn))
    t.pass(`${emails.length} sign-ins, each asked for on one instance and confirmed on the other`)
    const dashboards = await Promise.all(browsers.map((br, i) => br.get(i % 2 ? b : a, '/dashboard')))
    t.ok(dashboards.every((d) => d.status === 200), 'each session cookie opens the dashboard on the instance that did not confirm it')

    // 3b. One place taken; then the other volunteers book the last two places from both instances at
    // once, each also booking the overlapping session on the other instance.
    const [early, ...racers] = browsers
    await early!.get(a, `/sessions/${lastPlaces}`)
    t.equal((await early!.post(a, `/sessions/${lastPlaces}/book`, { return: '/sessions' })).status, 303, 'a first volunteer takes one of the three places')
    await Promise.all(racers.map((br, i) => br.get(i % 2 ? b : a, `/sessions/${lastPlaces}`)))
    const requests = racers.flatMap((br, i) => {
      const [first, second] = i % 2 ? [b, a] : [a, b]
      return [
        br.post(first, `/sessions/${lastPlaces}/book`, { return: '/sessions' }).then((r) => ({ ...r, racer: i, session: lastPlaces })),
        br.post(second, `/sessions/${overlapping}/book`, { return: '/sessions' }).then((r) => ({ ...r, racer: i, session: overlapping })),
      ]
    })
    const answers = await Promise.all(requests)
    t.equal(answers.filter((r) => r.status >= 500).length, 0, 'no 500s')
    const understood = answers.filter(
      (r) => r.status === 303 || (r.status === 409 && /Sorry, this session is full|You are already booked on (Last places drop-in|Overlapping class) at the same time/.test(r.text)),
    )
    t.equal(understood.length, answers.length, 'every answer is booked, full, or already booked at the same time')
    const bookedLast = answers.filter((r) => r.session === lastPlaces && r.status === 303).length
    t.equal(bookedLast, 2, 'exactly two racers told they have the last places')

    const confirmedOn = async (session: number) =>
      db.selectFrom('assignments').select('volunteer_id').where('session_id', '=', session).where('state', '=', 'confirmed').execute()
    t.equal((await confirmedOn(lastPlaces)).length, 3, 'the session is exactly full: 3 of 3 confirmed')
    t.ok((await confirmedOn(overlapping)).length <= 5, 'the overlapping session holds no more than its 5')
    const overfull = await db
      .selectFrom('sessions')
      .leftJoin('assignments', (j) => j.onRef('assignments.session_id', '=', 'sessions.id').on('assignments.state', '=', 'confirmed'))
      .select(['sessions.id', 'sessions.max_volunteers', 'sessions.confirmed_count', (eb) => eb.fn.count<number>('assignments.id').as('places')])
      .groupBy(['sessions.id', 'sessions.max_volunteers', 'sessions.confirmed_count'])
      .execute()
    t.ok(
      overfull.every((s) => Number(s.places) <= s.max_volunteers && Number(s.places) === s.confirmed_count),
      'no session over its maximum, and each confirmed_count matches its places',
    )
    const overlaps = await db
      .selectFrom('assignments as x')
      .innerJoin('assignments as y', (j) => j.onRef('x.volunteer_id', '=', 'y.volunteer_id').onRef('x.id', '<', 'y.id'))
      .innerJoin('sessions as sx', 'sx.id', 'x.session_id')
      .innerJoin('sessions as sy', 'sy.id', 'y.session_id')
      .select('x.volunteer_id')
      .where('x.state', '=', 'confirmed')
      .where('y.state', '=', 'confirmed')
      .whereRef('sx.starts_at', '<', 'sy.ends_at')
      .whereRef('sy.starts_at', '<', 'sx.ends_at')
      .execute()
    t.same(overlaps, [], 'no volunteer holds two overlapping places')
    t.ok(
      racers.every((_, i) => answers.filter((r) => r.racer === i && r.status === 303).length <= 1),
      'no racer told they are booked on both overlapping sessions',
    )

    // 4. One allowance for both instances: 20 requests alternating A and B, then refused on either.
    const hammer = new Browser(HAMMER_ADDRESS)
    await hammer.get(a, '/sign-in')
    const statuses: number[] = []
    for (let i = 0; i < SIGN_IN_LIMIT; i++) statuses.push((await hammer.post(i % 2 ? b : a, '/sign-in', { email: `nobody${i}@example.org` })).status)
    t.same(statuses, Array(SIGN_IN_LIMIT).fill(303), 'the first 20, ten on each instance, are answered')
    const refusedOnA = await hammer.post(a, '/sign-in', { email: 'late-a@example.org' })
    const refusedOnB = await hammer.post(b, '/sign-in', { email: 'late-b@example.org' })
    t.equal(refusedOnA.status, 429, 'the 21st is refused on A')
    t.match(refusedOnA.text, /Too many attempts/, 'with the page saying so')
    t.equal(refusedOnB.status, 429, 'and the 22nd on B')
    const other = new Browser('198.51.100.3')
    await other.get(b, '/sign-in')
    t.equal((await other.post(b, '/sign-in', { email: 'someone-else@example.org' })).status, 303, 'another address still gets its own allowance')

    // 5. The worker killed in the middle of a batch. The peer answers the first messages, then holds
    // the worker's next MAIL FROM: the worker has claimed the batch and handed some of it over, and
    // the one it is on has not been transmitted, so the kill itself duplicates nothing (a kill during
    // DATA, where at-least-once allows a copy, is tests/jobs/worker-kill.test.ts).
    let gateClosed = false
    let openGate: () => void = () => {}
    const gate = new Promise<void>((resolve) => (openGate = resolve))
    let held = 0
    peer.beforeMailFrom = async () => {
      if (!gateClosed) return
      held++
      await gate
    }
    let batchReceived = 0
    peer.onMessage = (m: Received) => {
      if (m.to.some((to) => /^batch\d+@/.test(to)) && ++batchReceived >= KILL_AFTER) gateClosed = true
    }
    await inTransaction(db, async (tx) => {
      for (let i = 0; i < BATCH; i++) {
        await enqueueEmail(tx, { dedupeKey: `multi:${i}`, kind: 'test', to: { address: `batch${i}@example.org` }, subject: `Batch ${i}`, text: `Hello ${i}`, html: `<p>Hello ${i}</p>` }, Date.now())
      }
    })
    await waitFor('the gate to close on the batch', () => gateClosed, 20_000, logs)
    const idOf = (m: Received) => Number(/^<outbox-(\d+)@/.exec(m.messageId ?? '')?.[1])
    await waitFor(
      'the worker to be held with everything handed over marked sent',
      async () => {
        const passed = peer.attempts.filter((x) => x.accepted).length
        if (held === 0 || passed !== peer.received.length) return false
        const ids = peer.received.map(idOf)
        const unmarked = await db.selectFrom('outbox').select('id').where('id', 'in', ids).where('status', '!=', 'sent').execute()
        return unmarked.length === 0
      },
      10_000,
      logs,
    )
    const killedAt = Date.now()
    firstWorker.child.kill('SIGKILL')
    const ended = await within(firstWorker.exited, 5_000, 'still running')
    t.equal(ended, 'SIGKILL', 'the worker is killed mid-batch')
    const heldByDead = await db.selectFrom('outbox').select('id').where('status', '=', 'sending').execute()
    const batchSent = await db.selectFrom('outbox').select('id').where('kind', '=', 'test').where('status', '=', 'sent').execute()
    t.ok(heldByDead.length > 0, `it died holding ${heldByDead.length} leased messages`)
    t.ok(batchSent.length >= KILL_AFTER && batchSent.length < BATCH, `with ${batchSent.length} of the ${BATCH} batch messages delivered`)
    peer.beforeMailFrom = null
    openGate()
    const secondWorker = await worker()
    t.ok(/worker running/.test(secondWorker.output()), 'a new worker starts')

    // What the dead worker held is due again when its lease runs out (20 s, src/jobs/outbox-worker.ts),
    // the lease it last renewed while alive: waited for, not shortened, as a real outage would be.
    await waitFor(
      'the outbox to drain',
      async () => {
        const left = await db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute()
        return left.length === 0
      },
      45_000,
      logs,
    )
    const drainedAfter = Date.now() - killedAt
    await sleep(300) // a copy that would arrive late, after its row was marked sent, is counted too

    const rows = await db.selectFrom('outbox').select(['id', 'kind', 'to_address', 'attempts', 'status']).execute()
    t.ok(rows.every((r) => r.status === 'sent'), `every one of the ${rows.length} outbox rows is sent, none failed`)
    // A sign-in for an unknown address is queued as never-sent (the same work, no email): 0 attempts.
    const deliverable = rows.filter((r) => r.attempts > 0)
    const copies = new Map<string, number>()
    for (const m of peer.received) copies.set(m.messageId ?? '(none)', (copies.get(m.messageId ?? '(none)') ?? 0) + 1)
    const expected = new Set(deliverable.map((r) => `<outbox-${r.id}@${MAIL_DOMAIN}>`))
    t.same(
      deliverable.filter((r) => copies.get(`<outbox-${r.id}@${MAIL_DOMAIN}>`) !== 1).map((r) => ({ id: r.id, kind: r.kind, copies: copies.get(`<outbox-${r.id}@${MAIL_DOMAIN}>`) ?? 0 })),
      [],
      `every email arrived exactly once by Message-ID (${deliverable.length} queued, ${peer.received.length} received)`,
    )
    t.same([...copies.keys()].filter((id) => !expected.has(id)), [], 'nothing arrived that was not queued (never-sent sign-ins stayed unsent)')
    t.equal(peer.received.length, deliverable.length, 'as many messages received as queued to send')
    t.equal(deliverable.filter((r) => r.kind === 'test').length, BATCH, 'the whole batch was queued to send')
    const resent = heldByDead.map((h) => rows.find((r) => r.id === h.id)!)
    t.ok(resent.every((r) => r.attempts === 2), 'what the dead worker held was sent by the new one, on a second attempt')

    const confirmedEmails = new Set(
      (await db.selectFrom('assignments').innerJoin('volunteers', 'volunteers.id', 'assignments.volunteer_id').innerJoin('people', 'people.id', 'volunteers.person_id').select('people.email').where('assignments.state', '=', 'confirmed').execute()).map((r) => r.email),
    )
    const kindOf = new Map(rows.map((r) => [`<outbox-${r.id}@${MAIL_DOMAIN}>`, r.kind]))
    const told = new Set(peer.received.filter((m) => !['sign-in', 'test'].includes(kindOf.get(m.messageId ?? '') ?? '')).flatMap((m) => m.to))
    t.ok([...confirmedEmails].every((e) => told.has(e)), `each of the ${confirmedEmails.size} volunteers with a place got an email about it`)
    t.ok(children.every((c) => c === firstWorker || (c.child.exitCode === null && c.child.signalCode === null)), 'A, B and the new worker are still running')
    t.comment(`wall time ${((Date.now() - began) / 1000).toFixed(1)} s (${(drainedAfter / 1000).toFixed(1)} s of it from the kill to the drain); batch delivered before the kill ${batchSent.length}, held by the dead worker ${heldByDead.length}`)
  },
)
