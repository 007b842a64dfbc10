// Issue 15 defects 8 and 9: another process's SQLite lock never stalls the service, and a deleted database file is noticed at once.
import t from 'tap'
import fs from 'node:fs'
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { testApp, usingPostgres, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { onDatabaseProblem, SQLITE_IDENTITY_CHECK_MS } from '../../src/db/connect.js'

t.comment(`database: ${databaseLabel}`)

/** Another process holding SQLite's write lock (BEGIN IMMEDIATE) until it is told to let go. */
async function holdWriteLock(t: { teardown(fn: () => unknown): void }, file: string): Promise<{ child: ChildProcess; release(): Promise<void> }> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const child = spawn(
    process.execPath,
    ['-e', `const db = new (require(${JSON.stringify(driver)}))(${JSON.stringify(file)}); db.exec('begin immediate'); console.log('locked'); process.stdin.on('data', () => { db.exec('rollback'); db.close(); process.exit(0) })`],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  t.teardown(() => child.kill('SIGKILL'))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('locked') && resolve())
    child.on('exit', (code) => reject(new Error(`lock holder exited ${code}`)))
  })
  return {
    child,
    release: async () => {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.stdin!.write('go\n')
      await gone
    },
  }
}

/** The longest the event loop went without running a timer, while `work` ran. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now()
  let stallMs = 0
  const timer = setInterval(() => {
    const now = performance.now()
    stallMs = Math.max(stallMs, now - last)
    last = now
  }, 5)
  try {
    return { result: await work(), stallMs }
  } finally {
    clearInterval(timer)
  }
}

const signInForm = (n: number) => ({ email: `someone${n}@example.org` })

t.test('a write lock held by another process: health says 503, other requests go on, the write waits without blocking and then succeeds', { skip: usingPostgres && 'SQLite only: PostgreSQL waits for row locks on the server, never in the event loop' }, async (t) => {
  const { app, database } = await testApp(t)
  const client = new Client(app)
  await client.csrf()
  t.equal((await app.inject('/healthz')).statusCode, 200, 'healthy before')

  const lock = await holdWriteLock(t, (database as { file: string }).file)
  const health = await longestStall(() => app.inject('/healthz'))
  t.equal(health.result.statusCode, 503, '/healthz says 503 while the database cannot be written')
  t.ok(health.stallMs < 150, `… and the event loop was never held up long (longest stall ${Math.round(health.stallMs)} ms)`)

  const { result, stallMs } = await longestStall(async () => {
    const write = client.post('/sign-in', signInForm(1))
    await new Promise((r) => setTimeout(r, 300))
    const started = performance.now()
    const page = await app.inject('/sign-in')
    const pageMs = performance.now() - started
    const whileWaiting = await app.inject('/healthz')
    await lock.release()
    return { write: await write, page, pageMs, whileWaiting }
  })
  t.equal(result.page.statusCode, 200, 'a page that only reads is served while a write waits for the lock')
  t.ok(result.pageMs < 200, `… promptly (${Math.round(result.pageMs)} ms)`)
  t.equal(result.whileWaiting.statusCode, 503, '/healthz says 503 while a write is waiting for the lock')
  t.ok(stallMs < 150, `the event loop was never stopped for long while the write waited (longest stall ${Math.round(stallMs)} ms)`)
  t.equal(result.write.statusCode, 303, 'the write went through once the lock was let go')
  t.equal((await app.inject('/healthz')).statusCode, 200, 'healthy again')
})

t.test('a write lock held for longer than the wait: the write gets a clear "try again" page (503), never a 500', { skip: usingPostgres && 'SQLite only', timeout: 60_000 }, async (t) => {
  const { app, database } = await testApp(t)
  const client = new Client(app)
  await client.csrf()
  const lock = await holdWriteLock(t, (database as { file: string }).file)
  const refused = await client.post('/sign-in', signInForm(2))
  await lock.release()
  t.equal(refused.statusCode, 503)
  t.equal(refused.headers['retry-after'], '5', 'it says when to try again')
  t.match(refused.body, /the service is busy/i)
  t.match(refused.body, /Nothing has been saved/)
  t.match(refused.body, /try again/i)
  t.equal((await client.post('/sign-in', signInForm(3))).statusCode, 303, 'the same write succeeds once the lock is gone')
})

t.test('a deleted database file: noticed without any request, said loudly, /healthz 503 and writes refused with 503', { skip: usingPostgres && 'SQLite only', timeout: 60_000 }, async (t) => {
  const { app, database } = await testApp(t)
  const client = new Client(app)
  await client.csrf()
  t.equal((await client.post('/sign-in', signInForm(4))).statusCode, 303, 'writes work before')
  const problems: string[] = []
  onDatabaseProblem(app.db, (message) => problems.push(message))

  const file = (database as { file: string }).file
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true })
  const deadline = Date.now() + SQLITE_IDENTITY_CHECK_MS + 3000
  while (problems.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  t.equal(problems.length, 1, 'the periodic check noticed, with no request at all')
  t.match(problems[0], /was deleted while open/)

  t.equal((await app.inject('/healthz')).statusCode, 503, '/healthz says 503')
  const refused = await client.post('/sign-in', signInForm(5))
  t.equal(refused.statusCode, 503, 'a write is refused with 503, not accepted into the deleted file')
  t.match(refused.body, /Nothing has been saved/)
  t.equal(problems.length, 1, 'said once, not once per request')
})

t.test('a deleted database file is caught by the health check itself (before the periodic check runs)', { skip: usingPostgres && 'SQLite only' }, async (t) => {
  const { app, database } = await testApp(t)
  t.equal((await app.inject('/healthz')).statusCode, 200, 'healthy while the file is the one opened')
  const file = (database as { file: string }).file
  fs.rmSync(file)
  fs.writeFileSync(file, '')
  t.equal((await app.inject('/healthz')).statusCode, 503, 'a file replaced by another is not the database')
})

t.test('the health check on this database', async (t) => {
  const { app } = await testApp(t)
  const res = await app.inject('/healthz')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})
