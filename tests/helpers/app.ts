// Builds the real app for a test file on a fresh database: a temporary SQLite file, or a fresh PostgreSQL schema.
//
// DATABASE_URL=postgres://… selects PostgreSQL for the whole run (CI does both runs).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { FastifyInstance } from 'fastify'
import { buildApp, type BuildOptions } from '../../src/app.js'
import { loadConfig, type Config, type DatabaseConfig } from '../../src/config.js'
import { ManualClock } from '../../src/clock.js'
import { openDatabase, type DbHandle } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrate.js'

export interface Teardown {
  teardown(fn: () => unknown): void
}

export const usingPostgres = /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? '')
export const databaseLabel = usingPostgres ? 'PostgreSQL' : 'SQLite'

// On PostgreSQL, test files run side by side, each in its own schemas. Kysely's Migrator reads the
// catalogue of every schema (to see whether its tables exist), and reading it while another file
// drops a schema can fail with 'schema "t_…" does not exist'. So migrating a test schema and
// dropping one take turns, under one advisory lock (held by its own connection).
const SCHEMA_LOCK = 7_270_001

async function underSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
  if (!usingPostgres) return fn()
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL! })
  await c.connect()
  try {
    await c.query('select pg_advisory_lock($1)', [SCHEMA_LOCK])
    return await fn()
  } finally {
    await c.end()
  }
}

/** Brings a fresh test database to the latest schema (taking turns with schema drops on PostgreSQL). */
export async function migrateFresh(database: DatabaseConfig): Promise<void> {
  const handle = openDatabase(database)
  try {
    await underSchemaLock(() => migrateToLatest(handle.db, handle.schema))
  } finally {
    await handle.close()
  }
}

/** A fresh, empty database for one test: dropped (or deleted) at teardown. */
export async function freshDatabase(t: Teardown): Promise<DatabaseConfig> {
  if (usingPostgres) {
    const url = process.env.DATABASE_URL!
    const schema = `t_${randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`create schema ${schema}`)
    await admin.end()
    // A test database need not survive a power cut: its commits do not wait for the disk.
    const fast = new URL(url)
    fast.searchParams.set('options', [fast.searchParams.get('options'), '-c synchronous_commit=off'].filter(Boolean).join(' '))
    t.teardown(() =>
      underSchemaLock(async () => {
        const c = new pg.Client({ connectionString: url })
        await c.connect()
        await c.query(`drop schema if exists ${schema} cascade`)
        await c.end()
      }),
    )
    return { kind: 'postgres', url: fast.toString(), schema }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rota-test-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  return { kind: 'sqlite', file: path.join(dir, 'rota.sqlite') }
}

export function testConfig(database: DatabaseConfig, env: Record<string, string> = {}): Config {
  const base = loadConfig({ NODE_ENV: 'test', BASE_URL: 'http://rota.test', MAIL_FROM: 'Champion Rota <rota@rota.test>', ...env })
  return Object.freeze({ ...base, database })
}

export interface TestApp {
  app: FastifyInstance
  clock: ManualClock
  config: Config
  database: DatabaseConfig
}

/**
 * The whole app on a fresh database, with a clock the test controls. Closed at teardown.
 * With `database` (another TestApp's), a second instance on that same database: several servers behind one address.
 */
export async function testApp(
  t: Teardown,
  options: Omit<BuildOptions, 'clock' | 'db' | 'migrate'> & { clock?: ManualClock; env?: Record<string, string>; database?: DatabaseConfig } = {},
): Promise<TestApp> {
  const { database: shared, ...buildOptions } = options
  const database = shared ?? (await freshDatabase(t))
  const config = testConfig(database, options.env)
  const clock = options.clock ?? new ManualClock(Date.parse('2026-11-30T09:00:00Z'))
  if (!shared) await migrateFresh(database)
  // Silent unless the test reads the log lines (options.logStream, with LOG_LEVEL in env).
  const app = await buildApp(config, { ...buildOptions, clock, logger: options.logStream !== undefined, migrate: false })
  await app.ready()
  t.teardown(() => app.close())
  return { app, clock, config, database }
}

/** A migrated database without the web app (for service and repository tests). */
export async function testDatabase(t: Teardown): Promise<DbHandle & { config: DatabaseConfig }> {
  const database = await freshDatabase(t)
  const handle = openDatabase(database)
  await underSchemaLock(() => migrateToLatest(handle.db, handle.schema))
  t.teardown(() => handle.close())
  return { ...handle, config: database }
}
