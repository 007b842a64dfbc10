// Links in the email sent when a session ends: one per place, so a volunteer can record attendance and the report without signing in.
//
// Frozen in time (Kysely<any>). Only the SHA-256 of the token is kept. One link per place
// (assignment_id unique), so the job that sends them can never make two; used_at makes it single-use.
import { PostgresAdapter, type Kysely } from 'kysely'

type Db = Kysely<any>

function instant(db: Db): 'bigint' | 'integer' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
}

export async function up(db: Db): Promise<void> {
  const ms = instant(db)
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  await db.schema
    .createTable('recording_links')
    .addColumn('id', postgres ? 'serial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('assignment_id', 'integer', (c) => c.notNull().unique().references('assignments.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('used_at', ms)
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('recording_links').ifExists().execute()
}
