// Finding cover (issue 16 item 3): a volunteer's request that someone take their place, and the invitations it sent.
//
// Frozen in time (Kysely<any>). Portable: bigint instants on PostgreSQL; the partial unique index works on both.
import { PostgresAdapter, sql, type Kysely } from 'kysely'

type Db = Kysely<any>

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

export async function up(db: Db): Promise<void> {
  const pg = isPostgres(db)
  const ms = pg ? 'bigint' : 'integer'
  let table = db.schema.createTable('cover_requests')
  table = pg ? table.addColumn('id', 'serial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  await table
    // The asker's confirmed place, kept until someone takes it.
    .addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
    .addColumn('session_id', 'integer', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id').onDelete('cascade'))
    // 'open' | 'covered' | 'cancelled'
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    // When the coordinators are told nobody has accepted yet (the request stays open).
    .addColumn('alert_at', ms, (c) => c.notNull())
    .addColumn('alerted_at', ms)
    .addColumn('covered_by_volunteer_id', 'integer', (c) => c.references('volunteers.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('settled_at', ms)
    .execute()
  // At most one open request per place: asking twice finds the first.
  await sql`create unique index cover_requests_one_open on cover_requests (assignment_id) where status = 'open'`.execute(db)
  await db.schema.createIndex('cover_requests_session').on('cover_requests').columns(['session_id', 'status']).execute()
  await db.schema.alterTable('invitations').addColumn('cover_request_id', 'integer', (c) => c.references('cover_requests.id').onDelete('set null')).execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('invitations').dropColumn('cover_request_id').execute()
  await db.schema.dropTable('cover_requests').execute()
}
