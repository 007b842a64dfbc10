// SQLite's log is checkpointed on a worker thread once it grows: bounded, durable, and tidied away on close.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { sql } from 'kysely'
import Database from 'better-sqlite3'
import { openDatabase } from '../../src/db/connect.js'
import type { Teardown } from '../helpers/app.js'
import { inTransaction } from '../../src/db/transaction.js'
import { BACKSTOP_PAGES, Checkpointer, DEFAULT_PAGES } from '../../src/db/checkpointer.js'

function tempFile(t: Teardown, name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rota-checkpoint-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  return path.join(dir, name)
}

function walBytes(file: string): number {
  try {
    return fs.statSync(`${file}-wal`).size
  } catch {
    return 0
  }
}

t.test('60 MB written in 6,000 transactions: the log stays within the backstop, every row survives, closing removes the log', async (t) => {
  const file = tempFile(t, 'rota.sqlite')
  const handle = openDatabase({ kind: 'sqlite', file })
  await sql`create table notes (id integer primary key, body text not null)`.execute(handle.db)
  const body = 'x'.repeat(10_000)
  let largest = 0
  for (let i = 0; i < 6_000; i++) {
    await inTransaction(handle.db, (tx) => sql`insert into notes (body) values (${body})`.execute(tx))
    largest = Math.max(largest, walBytes(file))
    if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 2))
  }
  t.ok(largest < (BACKSTOP_PAGES + 1_000) * 4096, `the log peaked at ${(largest / 1048576).toFixed(1)} MB`)
  t.ok(largest > 1024 * 1024, 'the database ran in WAL mode')
  await handle.close()
  t.equal(walBytes(file), 0, 'closing checkpointed and removed the log')
  const reopened = new Database(file, { readonly: true })
  t.teardown(() => reopened.close())
  t.same(reopened.prepare('select count(*) as n, min(length(body)) as shortest from notes').get(), { n: 6_000, shortest: 10_000 })
})

t.test('the thread copies the log into the database while the writer leaves it alone', async (t) => {
  const file = tempFile(t, 'thread.sqlite')
  const db = new Database(file)
  t.teardown(() => db.close())
  db.pragma('journal_mode = WAL')
  const copied: Array<[number, number]> = []
  const checkpointer = new Checkpointer(file, (pages) => db.pragma(`wal_autocheckpoint = ${pages}`), { onCheckpoint: (log, done) => copied.push([log, done]) })
  checkpointer.start()
  t.equal(db.pragma('wal_autocheckpoint', { simple: true }), BACKSTOP_PAGES, 'the writer checkpoints only at the backstop')
  db.exec('create table notes (body text)')
  const insert = db.prepare('insert into notes values (?)')
  for (let i = 0; i < 500; i++) insert.run('y'.repeat(8_000))
  for (let i = 0; i < 100 && !copied.some(([log, done]) => log > 500 && done === log); i++) await new Promise((resolve) => setTimeout(resolve, 20))
  t.ok(copied.some(([log, done]) => log > 500 && done === log), `the thread copied the whole log: ${JSON.stringify(copied.slice(-1))}`)
  await checkpointer.stop()
  t.equal(checkpointer.running, false)
})

t.test('a thread that cannot open the database gives back the automatic checkpoint and says why', async (t) => {
  const settings: number[] = []
  const errors: string[] = []
  const missing = path.join(tempFile(t, 'x'), 'no-such-dir', 'rota.sqlite')
  const checkpointer = new Checkpointer(missing, (pages) => settings.push(pages), { onError: (m) => errors.push(m) })
  checkpointer.start()
  t.same(settings, [BACKSTOP_PAGES], 'running: commits leave checkpoints to the thread, up to the backstop')
  for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  t.same(settings, [BACKSTOP_PAGES, DEFAULT_PAGES], 'failed: SQLite checkpoints by itself again')
  t.match(errors[0], /directory|open|no such/i)
  t.equal(checkpointer.running, false)
  await checkpointer.stop()
})

t.test('in-memory and short-lived databases start no thread', async (t) => {
  const file = tempFile(t, 'small.sqlite')
  const started: number[] = []
  const checkpointer = new Checkpointer(file, (pages) => started.push(pages))
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.exec('create table t (x)')
  for (let i = 0; i < 64; i++) {
    db.prepare('insert into t values (?)').run(i)
    checkpointer.afterCommit()
  }
  t.equal(checkpointer.running, false, 'a log of a few pages does not start the thread')
  t.same(started, [])
  db.close()
})
