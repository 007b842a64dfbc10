// SQL behind the national dataset (src/bench/national-data.ts): the raw better-sqlite3 connection it loads through, its prepared INSERTs and the closing ANALYZE.
//
// Raw prepared statements, not Kysely, because building 50,000 volunteers' rows one by one
// through the query builder would take minutes; the generator decides every value, this file
// only says how a row reaches the file. Only the benchmark calls it, on a file of its own.
import SqliteDatabase from 'better-sqlite3'
import type { Database } from '../db/schema.js'

export type BulkDb = SqliteDatabase.Database

/**
 * Opens the freshly migrated file for one bulk load: no journal and no fsync (a failed load is
 * thrown away and made again), no foreign-key checks (the generator hands out the ids itself), and
 * a 200 MB page cache.
 */
export function openForBulkLoad(file: string): BulkDb {
  const db = new SqliteDatabase(file)
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('foreign_keys = OFF')
  db.pragma('cache_size = -200000')
  return db
}

/** A prepared `insert into <table> (<columns>) values (?, …)`; the function it returns writes one row, its values in the order of `columns`. */
export function rowWriter<T extends keyof Database>(db: BulkDb, table: T, columns: ReadonlyArray<keyof Database[T] & string>): (values: unknown[]) => void {
  const stmt = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`)
  return (values) => {
    stmt.run(values)
  }
}

/** Gathers the query planner's statistics (as `PRAGMA optimize` would on a live database), turns WAL back on as the app expects, and closes the file. */
export function finishBulkLoad(db: BulkDb): void {
  db.exec('analyze')
  db.pragma('journal_mode = WAL')
  db.close()
}
