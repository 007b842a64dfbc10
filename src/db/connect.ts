// Opens the database named by the config: SQLite (better-sqlite3) by default, PostgreSQL (pg) for postgres:// URLs.
//
// Values that differ between the two are converted here and nowhere else: PostgreSQL's bigint
// (instants, counts) comes back as a JS number, as SQLite's integers do.
import fs from 'node:fs'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type Transaction,
} from 'kysely'
import type { DatabaseConfig } from '../config.js'
import type { Database } from './schema.js'
import { Checkpointer } from './checkpointer.js'
import { ChangeTracker, registerTracker } from './changes.js'

export type Db = Kysely<Database>
export type Tx = Transaction<Database>
export type DialectName = 'sqlite' | 'postgres'

export interface DbHandle {
  readonly db: Db
  readonly dialect: DialectName
  /** PostgreSQL schema in use when not the default (tests use a fresh one each). */
  readonly schema?: string
  close(): Promise<void>
}

const PG_INT8 = 20
const PG_NUMERIC = 1700

const TRANSACTION_CONTROL = /^(begin|commit|rollback|savepoint|release)\b/i
const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i

/**
 * The longest one attempt at SQLite's write lock may hold up the event loop: better-sqlite3 waits
 * for a lock synchronously, so busy_timeout stops every other request for as long as it lasts.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 20
/** How long a write keeps trying (yielding between attempts) before it is refused with a "try again". */
export const SQLITE_WRITE_WAIT_MS = 5000
/** How often the database file's identity is checked while nothing writes. */
export const SQLITE_IDENTITY_CHECK_MS = 5000

/**
 * The database cannot take this now (locked by another process for too long, its file deleted or
 * replaced, the disk full): the service answers 503 "try again", never a 500, and nothing was saved.
 */
export class DatabaseUnavailableError extends Error {
  readonly statusCode = 503
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DatabaseUnavailableError'
  }
}

/** SQLite's answers that mean "not now" rather than "this query is wrong". */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN)/

function sqliteCode(err: unknown): string {
  return typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : ''
}

export interface DatabaseHealth {
  ok: boolean
  /** Why not, for the log (never shown to the public). */
  reason?: string
}

/** A statement that returns rows reads them as arrays and makes each object with a function compiled for its columns. */
type RowMaker = (values: unknown[]) => Record<string, unknown>

/**
 * better-sqlite3 makes each row object natively, one property at a time: for the twenty or thirty
 * rows a search reads, most of the query's time (a profile of the find page: SQLite was a quarter
 * of the page, and building row objects most of that). Reading the values as an array and putting
 * them into an object literal of a fixed shape costs a fraction of it. The object is the same: own
 * properties in column order, a later column of the same name winning, as better-sqlite3 does.
 * null: keep better-sqlite3's own objects (a column named "__proto__" would set the prototype).
 */
export function rowMaker(names: readonly string[]): RowMaker | null {
  if (names.length === 0 || names.includes('__proto__')) return null
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('v', `return { ${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')} }`) as RowMaker
}

interface PreparedStatement {
  stmt: SqliteDatabase.Statement
  /** For a statement that returns rows and reads them raw. */
  makeRow: RowMaker | null
}

/** One connection to a SQLite file, with a statement cache and BEGIN IMMEDIATE transactions; it notes what it writes. */
class SqliteConnection implements DatabaseConnection {
  readonly #db: SqliteDatabase.Database
  readonly #statements = new Map<string, PreparedStatement>()
  readonly #tracker: ChangeTracker
  readonly #driver: SqliteDriver

  constructor(db: SqliteDatabase.Database, tracker: ChangeTracker, driver: SqliteDriver) {
    this.#db = db
    this.#tracker = tracker
    this.#driver = driver
  }

  #prepare(sql: string): PreparedStatement {
    let prepared = this.#statements.get(sql)
    if (!prepared) {
      // Bounded: generated SQL (IN lists of varying length) must not grow the cache forever.
      if (this.#statements.size >= 1000) this.#statements.clear()
      const stmt = this.#db.prepare(sql)
      const makeRow = stmt.reader ? rowMaker(stmt.columns().map((c) => c.name)) : null
      if (makeRow) stmt.raw(true)
      prepared = { stmt, makeRow }
      this.#statements.set(sql, prepared)
    }
    return prepared
  }

  /**
   * Runs a statement. One that must take the write lock outside a transaction (BEGIN IMMEDIATE, or
   * a write on its own) first checks the file is still the one opened, and when another process
   * holds the lock it tries again after yielding to the event loop, for up to SQLITE_WRITE_WAIT_MS,
   * rather than waiting inside it. (Inside a transaction the lock is already held: no retry.)
   */
  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const takesLock = !this.#db.inTransaction && !/^(commit|rollback|release)\b/i.test(compiledQuery.sql) && this.#writes(compiledQuery.sql)
    try {
      if (takesLock) this.#driver.checkIdentity()
      const result = this.#execute<R>(compiledQuery)
      if (takesLock) this.#driver.wrote()
      return Promise.resolve(result)
    } catch (err) {
      if (takesLock && /^SQLITE_BUSY/.test(sqliteCode(err))) return this.#retry<R>(compiledQuery, err)
      return Promise.reject(unavailable(err))
    }
  }

  #writes(sql: string): boolean {
    return /^begin/i.test(sql) || !this.#prepare(sql).stmt.readonly
  }

  async #retry<R>(compiledQuery: CompiledQuery, first: unknown): Promise<QueryResult<R>> {
    const started = performance.now()
    this.#driver.blocked()
    let last = first
    for (let attempt = 1; performance.now() - started < SQLITE_WRITE_WAIT_MS; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5 * attempt, 50)))
      try {
        this.#driver.checkIdentity()
        const result = this.#execute<R>(compiledQuery)
        this.#driver.wrote()
        return result
      } catch (err) {
        if (!/^SQLITE_BUSY/.test(sqliteCode(err))) throw unavailable(err)
        last = err
      }
    }
    throw new DatabaseUnavailableError(`the database is locked by another process (waited ${SQLITE_WRITE_WAIT_MS} ms)`, { cause: last })
  }

  #execute<R>(compiledQuery: CompiledQuery): QueryResult<R> {
    const { sql, parameters } = compiledQuery
    const { stmt, makeRow } = this.#prepare(sql)
    // INSERT … RETURNING is a reader too: what it wrote is noted by whether it may change the database.
    // (BEGIN IMMEDIATE counts as writing to SQLite, though it changes nothing; ROLLBACK as reading, though it undoes.)
    if (TRANSACTION_CONTROL.test(sql)) {
      if (/^rollback/i.test(sql)) this.#tracker.rolledBack()
    } else if (!stmt.readonly) {
      this.#tracker.wrote(compiledQuery.query)
    }
    if (stmt.reader) {
      if (!makeRow) return { rows: stmt.all(parameters as unknown[]) as R[] }
      const values = stmt.all(parameters as unknown[]) as unknown[][]
      const rows = new Array<R>(values.length)
      for (let i = 0; i < values.length; i++) rows[i] = makeRow(values[i]!) as R
      return { rows }
    }
    const { changes, lastInsertRowid } = stmt.run(parameters as unknown[])
    // A schema change (a migration) may change what `select *` returns: prepare everything afresh.
    if (SCHEMA_CHANGE.test(sql)) this.#statements.clear()
    return {
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite here')
  }
}

function unavailable(err: unknown): unknown {
  if (err instanceof DatabaseUnavailableError || !SQLITE_UNAVAILABLE.test(sqliteCode(err))) return err
  return new DatabaseUnavailableError(`SQLite: ${(err as Error).message}`, { cause: err })
}

/**
 * SQLite has one connection; a first-come-first-served mutex hands it to one caller (or one transaction) at a time.
 * Transactions start with BEGIN IMMEDIATE so that a writer takes the write lock up front and
 * waits on busy_timeout, instead of failing with SQLITE_BUSY when another process (the
 * outbox worker) wrote in between.
 */
class SqliteDriver implements Driver {
  readonly #file: string
  #db: SqliteDatabase.Database | undefined
  #connection: SqliteConnection | undefined
  #checkpointer: Checkpointer | undefined
  #dataVersion: SqliteDatabase.Statement | undefined
  #busy = false
  // Waiters in arrival order; a release hands the connection straight to the next one, so under
  // load nobody starves and a release wakes one waiter, not all of them.
  readonly #waiting: Array<() => void> = []

  readonly #tracker: ChangeTracker
  /** The file's identity when opened: a deleted or replaced file has another (or none). */
  #identity: { dev: number; ino: number } | undefined
  #lost: string | undefined
  #blockedSince: number | undefined
  #identityTimer: NodeJS.Timeout | undefined
  readonly #problemListeners = new Set<(message: string) => void>()

  constructor(file: string, tracker: ChangeTracker) {
    this.#file = file
    this.#tracker = tracker
  }

  get opened(): boolean {
    return this.#db !== undefined
  }

  onProblem(listener: (message: string) => void): void {
    this.#problemListeners.add(listener)
  }

  #problem(message: string): void {
    if (this.#problemListeners.size === 0) process.emitWarning(message)
    for (const listener of this.#problemListeners) listener(message)
  }

  /**
   * Throws (and says so, loudly, the first time) when the file on disk is no longer the one this
   * connection has open: SQLite would go on writing into the deleted file, and all of it would be
   * lost at the next restart.
   */
  checkIdentity(): void {
    if (!this.#identity) return
    if (this.#lost) throw new DatabaseUnavailableError(this.#lost)
    let now: fs.Stats | undefined
    try {
      now = fs.statSync(this.#file)
    } catch {
      now = undefined
    }
    if (now && now.dev === this.#identity.dev && now.ino === this.#identity.ino) return
    this.#lost = now
      ? `the SQLite file ${this.#file} was replaced by another file while open: refusing writes until the service restarts`
      : `the SQLite file ${this.#file} was deleted while open: refusing writes until the service restarts`
    this.#problem(this.#lost)
    throw new DatabaseUnavailableError(this.#lost)
  }

  /** A write is waiting for another process's lock. */
  blocked(): void {
    this.#blockedSince ??= Date.now()
  }

  wrote(): void {
    this.#blockedSince = undefined
  }

  /**
   * For /healthz: writable now? Not when the file is gone, nor while writes are waiting on another
   * process's lock; otherwise a probe takes the write lock (retrying for up to 250 ms) and lets it go.
   */
  async health(): Promise<DatabaseHealth> {
    try {
      this.checkIdentity()
    } catch (err) {
      return { ok: false, reason: (err as Error).message }
    }
    if (this.#blockedSince !== undefined) {
      return { ok: false, reason: `writes have waited ${Date.now() - this.#blockedSince} ms for a lock held by another process` }
    }
    const db = this.#db
    if (!db?.open) return { ok: false, reason: 'the database is closed' }
    const connection = await this.acquireConnection()
    try {
      const started = performance.now()
      for (let attempt = 1; ; attempt++) {
        try {
          db.exec('begin immediate')
          db.exec('rollback')
          return { ok: true }
        } catch (err) {
          if (!/^SQLITE_BUSY/.test(sqliteCode(err))) return { ok: false, reason: (err as Error).message }
          if (performance.now() - started > 250) return { ok: false, reason: 'the database is locked by another process' }
        }
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt))
      }
    } finally {
      void connection
      await this.releaseConnection()
    }
  }

  /** PRAGMA data_version: changes when another connection (another process) commits. */
  dataVersion(): number {
    return this.#dataVersion?.get() as number | undefined ?? 0
  }

  async init(): Promise<void> {
    if (this.#file !== ':memory:') fs.mkdirSync(path.dirname(this.#file), { recursive: true })
    const db = new SqliteDatabase(this.#file)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`)
    // A national rota is tens of megabytes: keep the hot pages in SQLite's own cache (64 MB, not
    // the default 2 MB) and read the rest through a memory map rather than a syscall per page.
    db.pragma('cache_size = -65536')
    db.pragma('mmap_size = 268435456')
    this.#db = db
    this.#dataVersion = db.prepare('PRAGMA data_version').pluck()
    this.#connection = new SqliteConnection(db, this.#tracker, this)
    if (this.#file !== ':memory:' && this.#file !== '') {
      const stat = fs.statSync(this.#file)
      this.#identity = { dev: stat.dev, ino: stat.ino }
      // Noticed even when nothing writes: the health check and this timer both look.
      this.#identityTimer = setInterval(() => {
        try {
          this.checkIdentity()
        } catch {
          // Reported by checkIdentity; writes are refused from now on.
        }
      }, SQLITE_IDENTITY_CHECK_MS).unref()
      this.#checkpointer = new Checkpointer(this.#file, (pages) => db.pragma(`wal_autocheckpoint = ${pages}`), {
        // Not fatal (SQLite checkpoints by itself again), but an operator should hear of it.
        onError: (message) => process.emitWarning(`SQLite checkpoint thread for ${path.basename(this.#file)}: ${message}`),
      })
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    this.#busy = true
    return this.#connection!
  }

  async releaseConnection(): Promise<void> {
    const next = this.#waiting.shift()
    if (next) next()
    else this.#busy = false
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
    this.#checkpointer?.afterCommit()
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async destroy(): Promise<void> {
    clearInterval(this.#identityTimer)
    await this.#checkpointer?.stop()
    this.#db?.close()
    this.#db = undefined
  }
}

class RotaSqliteDialect implements Dialect {
  readonly #driver: SqliteDriver
  readonly #tracker: ChangeTracker

  constructor(file: string) {
    this.#tracker = new ChangeTracker(() => this.#driver.dataVersion())
    this.#driver = new SqliteDriver(file, this.#tracker)
  }
  createAdapter(): DialectAdapter {
    const adapter = new SqliteAdapter()
    registerTracker(adapter, this.#tracker)
    sqliteDrivers.set(adapter, this.#driver)
    return adapter
  }
  createDriver(): Driver {
    return this.#driver
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler()
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db)
  }
}

const sqliteDrivers = new WeakMap<object, SqliteDriver>()

/** /healthz's question: can the database be written now? (PostgreSQL: does it answer.) */
export async function databaseHealth(db: Db): Promise<DatabaseHealth> {
  const driver = sqliteDrivers.get(db.getExecutor().adapter)
  if (driver) {
    // Kysely opens the file on its first query: make sure this is not that first time.
    if (!driver.opened) await sql`select 1`.execute(db).catch(() => {})
    return driver.health()
  }
  try {
    await sql`select 1`.execute(db)
    return { ok: true }
  } catch (err) {
    return { ok: false, reason: (err as Error).message }
  }
}

/** Called with a plain sentence when the database fails in a way an operator must hear of (its file deleted). */
export function onDatabaseProblem(db: Db, listener: (message: string) => void): void {
  sqliteDrivers.get(db.getExecutor().adapter)?.onProblem(listener)
}

function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => (value === null ? null : Number(value))
      return pg.types.getTypeParser(oid, format as 'text')
    }) as pg.CustomTypesConfig['getTypeParser'],
  }
}

/** Whether this database (or transaction) is SQLite, where BEGIN IMMEDIATE already makes every writer wait its turn. */
export function isSqlite(db: Db | Tx): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter
}

export function openDatabase(config: DatabaseConfig, options: { poolSize?: number } = {}): DbHandle {
  if (config.kind === 'sqlite') {
    const db = new Kysely<Database>({ dialect: new RotaSqliteDialect(config.file) })
    return { db, dialect: 'sqlite', close: () => db.destroy() }
  }
  // The URL's own `options` (say `?options=-c statement_timeout=5s`) are kept and a schema adds its
  // search_path. pg lets the URL's `options` win over the pool's, so they move out of the URL.
  const url = new URL(config.url)
  const settings = [url.searchParams.get('options'), config.schema ? `-c search_path=${config.schema}` : null].filter(Boolean).join(' ')
  url.searchParams.delete('options')
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: options.poolSize ?? 10,
    types: pgTypes(),
    ...(settings ? { options: settings } : {}),
  })
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {})
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', ...(config.schema ? { schema: config.schema } : {}), close: () => db.destroy() }
}
