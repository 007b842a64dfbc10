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

/** One connection to a SQLite file, with a statement cache and BEGIN IMMEDIATE transactions; it notes what it writes. */
class SqliteConnection implements DatabaseConnection {
  readonly #db: SqliteDatabase.Database
  readonly #statements = new Map<string, SqliteDatabase.Statement>()
  readonly #tracker: ChangeTracker

  constructor(db: SqliteDatabase.Database, tracker: ChangeTracker) {
    this.#db = db
    this.#tracker = tracker
  }

  #prepare(sql: string): SqliteDatabase.Statement {
    let stmt = this.#statements.get(sql)
    if (!stmt) {
      // Bounded: generated SQL (IN lists of varying length) must not grow the cache forever.
      if (this.#statements.size >= 1000) this.#statements.clear()
      stmt = this.#db.prepare(sql)
      this.#statements.set(sql, stmt)
    }
    return stmt
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery
    const stmt = this.#prepare(sql)
    // INSERT … RETURNING is a reader too: what it wrote is noted by whether it may change the database.
    // (BEGIN IMMEDIATE counts as writing to SQLite, though it changes nothing; ROLLBACK as reading, though it undoes.)
    if (TRANSACTION_CONTROL.test(sql)) {
      if (/^rollback/i.test(sql)) this.#tracker.rolledBack()
    } else if (!stmt.readonly) {
      this.#tracker.wrote(compiledQuery.query)
    }
    if (stmt.reader) {
      return Promise.resolve({ rows: stmt.all(parameters as unknown[]) as R[] })
    }
    const { changes, lastInsertRowid } = stmt.run(parameters as unknown[])
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    })
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite here')
  }
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

  constructor(file: string, tracker: ChangeTracker) {
    this.#file = file
    this.#tracker = tracker
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
    db.pragma('busy_timeout = 5000')
    // A national rota is tens of megabytes: keep the hot pages in SQLite's own cache (64 MB, not
    // the default 2 MB) and read the rest through a memory map rather than a syscall per page.
    db.pragma('cache_size = -65536')
    db.pragma('mmap_size = 268435456')
    this.#db = db
    this.#dataVersion = db.prepare('PRAGMA data_version').pluck()
    this.#connection = new SqliteConnection(db, this.#tracker)
    if (this.#file !== ':memory:' && this.#file !== '') {
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
  const pool = new pg.Pool({
    connectionString: config.url,
    max: options.poolSize ?? 10,
    types: pgTypes(),
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
  })
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {})
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', ...(config.schema ? { schema: config.schema } : {}), close: () => db.destroy() }
}
