// `npm run bench:web`: the real app on a national-scale rota (SQLite, and PostgreSQL when asked), measured with autocannon against its own floor, /healthz.
//
// Each server runs in its own process (the compiled app, as `npm start` runs it, in production
// mode); autocannon drives it from this one. Figures are requests per second, the ratio to
// /healthz measured in the same run (and to a bare Fastify hello-world, for scale), latency
// percentiles at BENCH_CONNECTIONS (50), and latency at a fixed arrival rate of 200 requests a
// second (paced.ts, not autocannon: its overallRate comes in bursts). The signed-in "find sessions" page is asked for by 2,000 different volunteers in turn;
// the bookings are different volunteers booking different sessions they are eligible for.
// BENCH_DB=postgres (or a BENCH_PG_URL) runs the same against PostgreSQL too, with one app
// instance and with two; the targets of issue 15 are in targets.ts.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { DateTime } from 'luxon'
import { ensureNationalDataset } from './national-data.js'
import { openDatabase } from '../db/connect.js'
import { randomToken } from '../auth/tokens.js'
import { planBookings, signInVolunteers, type BenchUser } from './plan.js'
import { invariants, outboxCounts } from './plan.repository.js'
import { paced } from './paced.js'
import { preparePostgresDataset } from './postgres-dataset.js'
import { bookedAndQueued, copyLoginSessions } from './web-checks.repository.js'
import { ensureScaledDataset } from './national-scaled.js'
import { TARGETS, growthLine, sideBySide, targetLines, type Measured, type RunKind, type Suite } from './targets.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
/** BENCH_ONLY=page or BENCH_ONLY=bookings measures just that one (with the baseline). */
const only = process.env.BENCH_ONLY ?? ''
/** PostgreSQL too, in its own database (dropped and made again from a pristine copy each run). */
/** The growth target's dataset: this many countries (BENCH_GROWTH=0 leaves it out). */
const GROWTH = 4
const growthOn = process.env.BENCH_GROWTH !== '0' && only !== 'bookings'
const PG_URL = process.env.BENCH_PG_URL ?? (process.env.BENCH_DB === 'postgres' ? 'postgres://postgres@127.0.0.1:5432/h_bench' : '')
const PAGE_USERS = 2_000
/** Every active volunteer with weekly times may be asked to book: the plan must outlast both booking runs. */
const BOOKING_USERS = 50_000
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const dataDir = path.join(root, 'data', 'bench')
const pristine = path.join(dataDir, 'national.sqlite')
const working = path.join(dataDir, 'run.sqlite')
const secret = randomToken(48)

function log(line: string): void {
  console.log(line)
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

async function startProcess(script: string, env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (ready.test(output)) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()))
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}):\n${output}`)))
  })
  child.removeAllListeners('exit')
  // Keep draining its output: a child writing to a full pipe would stall (and spoil the figures).
  const tee = process.env.BENCH_SERVER_LOG ? fs.createWriteStream(process.env.BENCH_SERVER_LOG, { flags: 'a' }) : null
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.removeAllListeners('data')
    stream.on('data', (c: Buffer) => {
      output = (output + c.toString()).slice(-4000)
      tee?.write(c)
    })
  }
  child.on('exit', (code, signal) => {
    if (code && code !== 0 && signal !== 'SIGTERM') console.error(`${path.basename(script)} exited (${code}):\n${output}`)
  })
  return child
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN
}

/**
 * One autocannon run. Besides its own figures, the latencies of requests sent after the first
 * second are kept apart: each run opens its 50 connections at once, and on this machine the first
 * answers on them sometimes take 2–3 s to arrive although a timer inside the server (a preload
 * wrapping its 'request' events) saw every request answered within about 200 ms of reaching it.
 * The time is lost before the request reaches the app; browsers keep their connections open.
 */
async function measure(name: string, kind: Measured['kind'], options: autocannon.Options): Promise<Measured & { all: number[]; steady: number[] }> {
  const counts: Record<string, number> = {}
  const steady: number[] = []
  const all: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options }, (err, res) => (err ? reject(err) : resolve(res)))
    const started = performance.now()
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      counts[status] = (counts[status] ?? 0) + 1
      all.push(ms)
      if (performance.now() - ms - started >= 1000) steady.push(ms)
    })
  })
  steady.sort((a, b) => a - b)
  all.sort((a, b) => a - b)
  if (process.env.BENCH_VERBOSE) log(`${name}: latency p50 ${result.latency.p50} p90 ${result.latency.p90} p97.5 ${result.latency.p97_5} p99 ${result.latency.p99} max ${result.latency.max}; errors ${result.errors}, timeouts ${result.timeouts}, resets ${result.resets}`)
  return {
    name,
    kind,
    all,
    steady,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    steadyP50: percentile(steady, 50),
    steadyP99: percentile(steady, 99),
    max: result.latency.max,
    statuses: counts,
    errors: result.errors + result.timeouts,
  }
}

async function warm(options: autocannon.Options, seconds = 3): Promise<void> {
  await autocannon({ connections: CONNECTIONS, duration: seconds, ...options })
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [path.join(root, 'src/tools/build.mjs'), '--if-needed'], { cwd: root, stdio: 'inherit' })
  const now = Date.now()
  const loadAtStart = os.loadavg()
  const dataset = await ensureNationalDataset(pristine, now, log)
  if (dataset.reused) log(`Reusing the national dataset made ${DateTime.fromMillis(dataset.generatedAt).toRelative()} (${pristine})`)
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(working + suffix, { force: true })
  fs.copyFileSync(pristine, working)

  // Sign in volunteers and plan the bookings before the server starts.
  const handle = openDatabase({ kind: 'sqlite', file: working })
  const users = await signInVolunteers(handle.db, BOOKING_USERS, now)
  const pageUsers = users.slice(0, PAGE_USERS)
  const started = performance.now()
  const pairs = await planBookings(handle.db, users, now)
  log(`Signed in ${users.length} volunteers; planned ${pairs.length} bookings they are eligible for (${fmt(performance.now() - started)} ms)`)
  await handle.close()
  // The copy is tens of megabytes of dirty pages: write them out now, or the app's first checkpoint
  // (an fsync) would pay for them mid-measurement. A server that has been running has no such debt.
  const fd = fs.openSync(working, 'r+')
  fs.fsyncSync(fd)
  fs.closeSync(fd)

  const pgUrl = PG_URL
  if (pgUrl) {
    const copy = await preparePostgresDataset(pristine, `${dataset.version} ${dataset.generatedAt} ${dataset.migrations.at(-1)}`, working, pgUrl, log)
    log(`PostgreSQL database ready at ${pgUrl} (${copy.copied ? 'copied the dataset, then ' : ''}made from its pristine copy in ${fmt(copy.ms / 1000, 1)} s)`)
  }

  // The bench code stays out of dist/ (the production build): tsx loads it, at start only.
  const helloPort = await freePort()
  const hello = await startProcess(path.join(root, 'src/bench/hello.ts'), { PORT: String(helloPort) }, /ready/, ['--import=tsx'])
  const helloUrl = `http://127.0.0.1:${helloPort}/`
  await warm({ url: helloUrl })
  const helloWorld = strip(await measure('hello-world (bare Fastify)', 'hello', { url: helloUrl }))
  await stopProcess(hello)

  const sqlite = await runSuite('SQLite', working, 1, pageUsers, pairs)

  const check = openDatabase({ kind: 'sqlite', file: working })
  const outbox = await outboxCounts(check.db)
  const broken = await invariants(check.db)
  await check.close()
  const afterRuns = [`SQLite: ${fmt(outbox.invites)} new places booked, ${fmt(outbox.queued)} emails queued; sessions above their maximum: ${broken.over}; counts out of step: ${broken.mismatched}; volunteers on overlapping sessions: ${broken.overlapping}`]

  let scaled: Suite | undefined
  if (growthOn) {
    const bigger = await ensureScaledDataset(pristine, `${dataset.version} ${dataset.generatedAt} ${dataset.migrations.at(-1)}`, GROWTH, log)
    const big = path.join(dataDir, `run-x${GROWTH}.sqlite`)
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(big + suffix, { force: true })
    fs.copyFileSync(bigger.file, big)
    copyLoginSessions(working, big)
    const fd = fs.openSync(big, 'r+')
    fs.fsyncSync(fd)
    fs.closeSync(fd)
    log(`Dataset at ${GROWTH}×: ${Object.entries(bigger.counts).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}`)
    scaled = await runSuite(`SQLite at ${GROWTH}×`, big, 1, pageUsers, pairs, { next: 0, ranOut: false }, { pageOnly: true })
  }

  const suites = [sqlite]
  if (pgUrl) {
    // One booking plan for both PostgreSQL runs: the second carries on where the first stopped.
    const cursor = { next: 0, ranOut: false }
    suites.push(await runSuite('PostgreSQL ×1', pgUrl, 1, pageUsers, pairs, cursor))
    suites.push(await runSuite('PostgreSQL ×2', pgUrl, 2, pageUsers, pairs, cursor))
    const pgCheck = openDatabase({ kind: 'postgres', url: pgUrl })
    const pgCounts = await bookedAndQueued(pgCheck.db)
    const pgBroken = await invariants(pgCheck.db)
    await pgCheck.close()
    afterRuns.push(`PostgreSQL: ${fmt(pgCounts.invites)} new places booked, ${fmt(pgCounts.queued)} emails queued; sessions above their maximum: ${pgBroken.over}; counts out of step: ${pgBroken.mismatched}; volunteers on overlapping sessions: ${pgBroken.overlapping}`)
  }

  log('')
  log(`Champion Rota web benchmark — ${suites.map((s) => s.label).join(', ')}; ${CONNECTIONS} connections, ${SECONDS} s each, Node ${process.version}, NODE_ENV=production, LOG_LEVEL=warn, outbox worker off`)
  log(`Machine: ${os.cpus().length} CPUs (autocannon, the servers${pgUrl ? ' and PostgreSQL' : ''} share them), load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')} at the start, ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end (above 2, other work shared the cores: the figures are noisy)`)
  log(`Dataset: ${fmt(dataset.counts.branches ?? 0)} branches, ${fmt(dataset.counts.volunteers ?? 0)} volunteers, ${fmt(dataset.counts.sessions ?? 0)} sessions over ${6} weeks, ${fmt(dataset.counts.assignments ?? 0)} places held`)
  log(`Baseline for scale: ${helloWorld.name} ${fmt(helloWorld.rps)} req/s, p99 ${fmt(helloWorld.p99, 1)} ms`)
  for (const suite of scaled ? [...suites, scaled] : suites) {
    const floor = suite.results.find((r) => r.kind === 'healthz')!.rps
    log('')
    log(`${suite.label.padEnd(52)} ${'req/s'.padStart(9)} ${'× /healthz'.padStart(10)} ${'× hello'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'steady p99'.padStart(10)} ${'max'.padStart(7)}  answers`)
    for (const r of suite.results) {
      const statuses = Object.entries(r.statuses).map(([k, v]) => `${k}: ${fmt(v)}`).join(', ')
      log(
        `${r.name.padEnd(52)} ${fmt(r.rps).padStart(9)} ${(r.rps / floor).toFixed(3).padStart(10)} ${(r.rps / helloWorld.rps).toFixed(3).padStart(8)} ${fmt(r.p50, 1).padStart(7)} ${fmt(r.p99, 1).padStart(7)} ${fmt(r.steadyP99, 1).padStart(10)} ${fmt(r.max).padStart(7)}  ${statuses}${r.errors ? `, errors: ${r.errors}` : ''}`,
      )
    }
    log(`  Inside the server (request event to answer), and how late a 10 ms timer fired there (the event loop busy at a stretch)${suite.results.some((r) => r.name.includes('instances')) ? '; with two instances, the worse of the two' : ''}:`)
    for (const r of suite.results) {
      if (r.server && r.loopLag) log(`  ${r.name.padEnd(52)} handling p50 ${fmt(r.server.p50, 2)} ms, p99 ${fmt(r.server.p99, 2)} ms; loop late p50 ${fmt(r.loopLag.p50, 1)} ms, p99 ${fmt(r.loopLag.p99, 1)} ms, longest ${fmt(r.loopLag.max, 1)} ms`)
    }
    if (suite.ranOut) log('  The booking plan ran out and some requests repeated earlier bookings ("already booked", no write): the booking figures are NOT VALID')
  }
  log('(steady p99: requests sent after the first second of each run, when its connections are open; the rest of a request\'s latency is waiting in its socket for the loop to come round to it)')
  log(`Booking requests sent: ${suites.map((s) => `${s.label} ${fmt(s.results.filter((r) => r.kind.startsWith('book')).reduce((n, r) => n + Object.values(r.statuses).reduce((a, b) => a + b, 0), 0))}`).join(', ')} of ${fmt(pairs.length)} planned (warm-ups not counted)`)
  for (const line of afterRuns) log(`After the runs, ${line}`)

  if (suites.length > 1) {
    log('')
    log('PostgreSQL beside SQLite (same dataset, same runs; on two cores two instances cannot be faster: the figures show what each costs):')
    for (const line of sideBySide(suites)) log(`  ${line}`)
  }
  for (const suite of suites) {
    log('')
    log(`Targets (issue 15), ${suite.label}, each against figures from this run:`)
    for (const line of targetLines(suite)) log(`  ${line}`)
    if (suite === sqlite && scaled) log(`  ${growthLine(sqlite, scaled, GROWTH)}`)
  }
}

/** The same run at a fixed arrival rate (see paced.ts), in the shape of an autocannon one. */
async function pacedRun(name: string, kind: Measured['kind'], url: string, rate: number, request: autocannon.Request): Promise<Measured & { all: number[]; steady: number[] }> {
  const build = request as unknown as { method: string; path: string; setupRequest: (r: object) => { method: string; path: string; headers: Record<string, string>; body?: string } }
  const run = await paced(url, rate, SECONDS, () => build.setupRequest({ method: build.method, path: build.path, headers: {} }))
  if (process.env.BENCH_VERBOSE) log(`${name}: the load generator sent up to ${fmt(run.sendLag, 1)} ms late`)
  return {
    name,
    kind,
    all: run.latencies,
    steady: run.steady,
    rps: run.rps,
    p50: percentile(run.latencies, 50),
    p99: percentile(run.latencies, 99),
    steadyP50: percentile(run.steady, 50),
    steadyP99: percentile(run.steady, 99),
    max: run.latencies.at(-1) ?? NaN,
    statuses: run.statuses,
    errors: run.errors,
  }
}

/** A measurement without the latencies kept to combine instances. */
function strip(m: Measured & { all?: number[]; steady?: number[] }): Measured {
  const { all: _all, steady: _steady, ...rest } = m
  return rest
}

type Timing = { handled: { p50: number; p99: number }; loopLag: { p50: number; p99: number; max: number } }

/**
 * Starts `instances` app processes on the database, measures every run against them and stops
 * them. With two instances each autocannon run is split in two (half the connections, half the
 * rate, one half per instance) running side by side; their latencies are pooled.
 */
async function runSuite(label: string, database: string, instances: number, pageUsers: BenchUser[], pairs: Array<{ user: BenchUser; sessionId: number }>, cursor = { next: 0, ranOut: false }, runs: { pageOnly?: boolean } = {}): Promise<Suite> {
  const apps: ChildProcess[] = []
  const bases: string[] = []
  const results: Measured[] = []
  try {
    for (let i = 0; i < instances; i++) {
      const port = await freePort()
      bases.push(`http://127.0.0.1:${port}`)
      apps.push(await startApp(database, port))
    }
    const base = bases[0]!
    const serverTiming = async (url: string) => (await (await fetch(`${url}/__bench/timing`)).json()) as Timing
    /** A run against the app (every instance at once, in equal shares), with the servers' own view of it. */
    const measureApp = async (name: string, kind: RunKind, pathname: string, options: autocannon.Options = { url: '' }): Promise<Measured> => {
      await Promise.all(bases.map(serverTiming))
      const share = (n: number | undefined) => (n === undefined ? undefined : Math.max(1, Math.round(n / bases.length)))
      const parts = await Promise.all(
        bases.map((url) =>
          options.overallRate ? pacedRun(name, kind, url, options.overallRate / bases.length, options.requests![0]!) : measure(name, kind, {
            ...options,
            url: url + pathname,
            connections: share(options.connections ?? CONNECTIONS),
            ...(options.overallRate ? { overallRate: share(options.overallRate) } : {}),
          }),
        ),
      )
      const inside = await Promise.all(bases.map(serverTiming))
      const worst = <K extends 'p50' | 'p99' | 'max'>(pick: (t: Timing) => Record<K, number>, key: K) => Math.max(...inside.map((t) => pick(t)[key]))
      const timing = {
        server: { p50: worst((t) => t.handled, 'p50'), p99: worst((t) => t.handled, 'p99') },
        loopLag: { p50: worst((t) => t.loopLag, 'p50'), p99: worst((t) => t.loopLag, 'p99'), max: worst((t) => t.loopLag, 'max') },
      }
      if (parts.length === 1) return { ...strip(parts[0]!), ...timing }
      const all = parts.flatMap((p) => p.all).sort((a, b) => a - b)
      const steady = parts.flatMap((p) => p.steady).sort((a, b) => a - b)
      const statuses: Record<string, number> = {}
      for (const p of parts) for (const [k, v] of Object.entries(p.statuses)) statuses[k] = (statuses[k] ?? 0) + v
      return {
        name: `${name} (${parts.length} instances)`,
        kind,
        rps: parts.reduce((n, p) => n + p.rps, 0),
        p50: percentile(all, 50),
        p99: percentile(all, 99),
        steadyP50: percentile(steady, 50),
        steadyP99: percentile(steady, 99),
        max: Math.max(...parts.map((p) => p.max)),
        statuses,
        errors: parts.reduce((n, p) => n + p.errors, 0),
        ...timing,
      }
    }
    const warmAll = (pathname: string, options: Partial<autocannon.Options>, seconds?: number) => Promise.all(bases.map((url) => warm({ ...options, url: url + pathname, connections: Math.max(1, Math.round(CONNECTIONS / bases.length)) }, seconds)))

    // One CSRF cookie and token (double-submit: not tied to the login), shared by every simulated browser.
    const first = await fetch(`${base}/sessions`, { headers: { cookie: `__Host-rota_session=${pageUsers[0]!.token}` } })
    const html = await first.text()
    if (first.status !== 200) throw new Error(`find sessions answered ${first.status}`)
    const csrfCookie = /__Host-rota_csrf=[^;]+/.exec(first.headers.get('set-cookie') ?? '')![0]
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(html)![1]!
    // What the measured page is like: the first 40 volunteers' pages, as they see them.
    let found = 0
    let bytes = 0
    const sample = pageUsers.slice(0, 40)
    for (const user of sample) {
      const page = await (await fetch(`${base}/sessions`, { headers: { cookie: `__Host-rota_session=${user.token}` } })).text()
      bytes += page.length
      const count = /(\d+) sessions? found/.exec(page)
      found += count ? Number(count[1]) : 0
    }
    log(`${label}: a signed-in volunteer's find sessions page: ${fmt(bytes / sample.length / 1024, 1)} kB and ${fmt(found / sample.length, 1)} sessions found on average (first ${sample.length} volunteers)`)

    // The floor every ratio is taken against: the app's cheapest answer (one SQL read, with every hook and security header a page gets).
    await warmAll('/healthz', {}, 2)
    results.push(await measureApp('health check (one read, no page: the floor)', 'healthz', '/healthz'))

    let p = 0
    const pageRequest = {
      method: 'GET' as const,
      path: '/sessions',
      setupRequest: (req: autocannon.Request) => {
        const user = pageUsers[p++ % pageUsers.length]!
        // As a browser would, it sends back the CSRF cookie it was given (so no new secret is made per page).
        req.headers = { cookie: `__Host-rota_session=${user.token}; ${csrfCookie}` }
        return req
      },
    }
    if (only !== 'bookings') {
      await warmAll('', { requests: [pageRequest] })
      results.push(await measureApp('find sessions page (signed in)', 'page', '', { url: '', requests: [pageRequest] }))
      results.push(await measureApp(`find sessions page at ${TARGETS.rate} req/s`, 'page-rate', '', { url: '', requests: [pageRequest], overallRate: TARGETS.rate }))
    }

    const told = new Map<string, number>()
    const bookRequest = (htmx: boolean) => ({
      method: 'POST' as const,
      path: '/',
      setupRequest: (req: autocannon.Request) => {
        if (cursor.next >= pairs.length) cursor.ranOut = true
        const pair = pairs[cursor.next++ % pairs.length]!
        req.path = `/sessions/${pair.sessionId}/book`
        req.headers = {
          cookie: `__Host-rota_session=${pair.user.token}; ${csrfCookie}`,
          'content-type': 'application/x-www-form-urlencoded',
          ...(htmx ? { 'hx-request': 'true' } : {}),
        }
        req.body = `_csrf=${encodeURIComponent(csrfToken)}&return=%2Fsessions`
        return req
      },
      // What people were told, by the first words of the answer (htmx) or where it sent them.
      onResponse: (status: number, body: string, _context: object, headers?: Record<string, string | string[] | undefined>) => {
        const said = htmx ? (/You are (already )?booked|Sorry, this session is full|[A-Z][^.<]{0,40}/.exec(body.replace(/<[^>]+>/g, ' '))?.[0] ?? '?') : `${status} ${String(headers?.location ?? '')}`
        told.set(said, (told.get(said) ?? 0) + 1)
      },
    })
    if (only !== 'page' && !runs.pageOnly) {
      // A short warm-up of each (its bookings are real too, and excluded from the figures).
      await warmAll('', { requests: [bookRequest(true)] }, 1)
      results.push(await measureApp('bookings (htmx, different volunteers and sessions)', 'book-htmx', '', { url: '', requests: [bookRequest(true)] }))
      await warmAll('', { requests: [bookRequest(false)] }, 1)
      results.push(await measureApp('bookings without JavaScript (POST, 303 back)', 'book-plain', '', { url: '', requests: [bookRequest(false)] }))
      results.push(await measureApp(`bookings (htmx) at ${TARGETS.rate} req/s`, 'book-rate', '', { url: '', requests: [bookRequest(true)], overallRate: TARGETS.rate }))
      if (process.env.BENCH_VERBOSE) log(`${label}: booking answers: ${[...told.entries()].map(([k, v]) => `${k}: ${v}`).join('; ')}`)
    }
  } finally {
    for (const app of apps) await stopProcess(app)
  }
  return { label, results, ranOut: cursor.ranOut }
}

/** The compiled app, as `npm start` runs it, with the timing preload. */
function startApp(database: string, port: number): Promise<ChildProcess> {
  return startProcess(
    path.join(root, 'dist/src/server.js'),
    {
      NODE_ENV: 'production',
      DATABASE_URL: database,
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: `http://127.0.0.1:${port}`,
      SESSION_SECRET: secret,
      RUN_WORKER: 'false',
      LOG_LEVEL: 'warn',
    },
    /ready at/,
    // BENCH_PROFILE=1 writes a CPU profile of the app to data/bench/profiles/ (open it in Chrome DevTools).
    [
      // Times each request inside the server too (see server-timing.ts).
      '--import=tsx',
      `--import=${path.join(root, 'src/bench/server-timing.ts')}`,
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(dataDir, 'profiles')}`] : []),
      // e.g. BENCH_NODE_ARGS=--trace-gc BENCH_SERVER_LOG=data/bench/server.log to see pauses.
      ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ],
  )
}

await main()
