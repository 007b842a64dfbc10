// For `npm run bench:web` on PostgreSQL: the same national rota, copied from the benchmark's SQLite file into a PostgreSQL database.
//
// The pristine dataset is copied once into `<name>_pristine` (kept while its SQLite file is the
// same, as noted in the database's comment) and every run starts from a fresh
// `CREATE DATABASE <name> TEMPLATE <name>_pristine`, a file copy, so bookings made by one run are
// not there in the next. Only the run's login sessions are copied each time. The schema comes from
// the app's own migrations; rows go in unchanged (booleans are 0/1 integers and instants are
// numbers on both databases), with foreign-key triggers off while they load.
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import { openDatabase } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Copies `tables` (all of the file's, by default) from the SQLite file into the PostgreSQL database at `url`. */
async function copyTables(sqliteFile: string, url: string, tables?: string[]): Promise<Record<string, number>> {
  const source = new SqliteDatabase(sqliteFile, { readonly: true })
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const counts: Record<string, number> = {}
  try {
    await client.query('set session_replication_role = replica')
    const names =
      tables ??
      (source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name").pluck().all() as string[])
    const target = await client.query<{ table_name: string; column_name: string }>("select table_name, column_name from information_schema.columns where table_schema = 'public'")
    const targetColumns = new Map<string, Set<string>>()
    for (const row of target.rows) {
      if (!targetColumns.has(row.table_name)) targetColumns.set(row.table_name, new Set())
      targetColumns.get(row.table_name)!.add(row.column_name)
    }
    for (const table of names) {
      const into = targetColumns.get(table)
      if (!into) continue
      const columns = (source.prepare(`pragma table_info(${quote(table)})`).all() as Array<{ name: string }>).map((c) => c.name).filter((c) => into.has(c))
      const perBatch = Math.max(1, Math.floor(30_000 / columns.length))
      const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values `
      let batch: unknown[][] = []
      counts[table] = 0
      const flush = async () => {
        if (!batch.length) return
        const values: unknown[] = []
        const tuples = batch.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`)
        await client.query(`${head}${tuples.join(', ')} on conflict do nothing`, values)
        counts[table]! += batch.length
        batch = []
      }
      for (const row of source.prepare(`select ${columns.map(quote).join(', ')} from ${quote(table)}`).raw().iterate() as IterableIterator<unknown[]>) {
        batch.push(row)
        if (batch.length >= perBatch) await flush()
      }
      await flush()
      // Serial ids carry on after the copied rows.
      const serial = await client.query<{ column_name: string }>(
        "select column_name from information_schema.columns where table_schema = 'public' and table_name = $1 and (column_default like 'nextval%' or is_identity = 'YES')",
        [table],
      )
      for (const { column_name } of serial.rows) {
        await client.query(`select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${quote(column_name)}) from ${quote(table)}), 0) + 1, false)`, [table, column_name])
      }
    }
    await client.query('set session_replication_role = origin')
    for (const table of Object.keys(counts)) await client.query(`analyze ${quote(table)}`)
  } finally {
    await client.end()
    source.close()
  }
  return counts
}

/**
 * Makes the database at `url` a copy of the pristine SQLite dataset (`key` says which: its
 * generation time) plus the login sessions in `working`. Returns how long it took and whether the
 * pristine copy had to be made.
 */
export async function preparePostgresDataset(pristineFile: string, key: string, working: string, url: string, log: (line: string) => void): Promise<{ ms: number; copied: boolean }> {
  const started = performance.now()
  const name = new URL(url).pathname.slice(1)
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_PG_URL must name a plain database (e.g. h_bench), not "${name}"`)
  const template = `${name}_pristine`
  const current = await admin(url, async (c) => (await c.query<{ d: string | null }>("select shobj_description(oid, 'pg_database') as d from pg_database where datname = $1", [template])).rows[0])
  let copied = false
  if (!current || current.d !== key) {
    log(`Copying the national dataset into PostgreSQL (${template}) …`)
    await admin(url, async (c) => {
      await c.query(`drop database if exists ${template} with (force)`)
      await c.query(`create database ${template}`)
    })
    const handle = openDatabase({ kind: 'postgres', url: withDatabase(url, template) })
    await migrateToLatest(handle.db)
    await handle.close()
    const counts = await copyTables(pristineFile, withDatabase(url, template))
    await admin(url, (c) => c.query(`comment on database ${template} is '${key.replace(/'/g, "''")}'`))
    log(`Copied in ${((performance.now() - started) / 1000).toFixed(1)} s: ${Object.entries(counts).filter(([, n]) => n).map(([k, v]) => `${v} ${k}`).join(', ')}`)
    copied = true
  }
  await admin(url, async (c) => {
    await c.query(`drop database if exists ${name} with (force)`)
    await c.query(`create database ${name} template ${template}`)
  })
  await copyTables(working, url, ['login_sessions'])
  return { ms: performance.now() - started, copied }
}
