// Rate-limit counts shared by every instance on PostgreSQL (issue 15): one row per limited route and client.
//
// The key is the route plus the client key (`POST /sign-in 203.0.113.7`) and is the primary key on its own:
// a row is the client's current window, and a request after expires_at starts the window again in the same
// row, so one upsert on the key both counts and resets, and the table holds at most one row per route and
// client. (A (key, window) primary key would need a second statement to find the current window, and
// leave a row behind for every window.) Expired rows are deleted by the purge-rate-limit-hits job. No index
// on expires_at: the purge reads the whole table, which holds only the clients of the last few windows,
// and an index would be one more thing to write on every counted request.
//
// Created on SQLite too, so both schemas stay the same, though SQLite (one process) keeps the in-process store.
// Frozen in time (Kysely<any>). Portable: text and integers, bigint instants (integer on SQLite).
import { PostgresAdapter, type Kysely } from 'kysely'

type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  const ms = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', ms, (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('rate_limit_hits').execute()
}
