// Library service settings an admin edits in the browser (digest day and time, the contact shown to volunteers, retention) and when a branch closed.
//
// Frozen in time (Kysely<any>). Portable: integers, text and bigint instants (integer on SQLite).
import { PostgresAdapter, type Kysely } from 'kysely'

type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  const ms = db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
  // ISO day of the week (1 = Monday) and local time of the coordinators' weekly digest of gaps.
  await db.schema.alterTable('library_services').addColumn('digest_day', 'integer', (c) => c.notNull().defaultTo(1)).execute()
  await db.schema.alterTable('library_services').addColumn('digest_time', 'text', (c) => c.notNull().defaultTo('08:00')).execute()
  // Who volunteers contact with questions (free text: a name, an email address, a phone number).
  await db.schema.alterTable('library_services').addColumn('contact', 'text', (c) => c.notNull().defaultTo('')).execute()
  // How long after a volunteer leaves their details are kept before the retention job anonymises them.
  await db.schema.alterTable('library_services').addColumn('retention_months', 'integer', (c) => c.notNull().defaultTo(24)).execute()
  // When a volunteer became 'left' (the retention period counts from here).
  await db.schema.alterTable('volunteers').addColumn('left_at', ms).execute()
  // When a branch closed: it keeps its history, and takes no new sessions.
  await db.schema.alterTable('branches').addColumn('closed_at', ms).execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('branches').dropColumn('closed_at').execute()
  await db.schema.alterTable('volunteers').dropColumn('left_at').execute()
  for (const c of ['retention_months', 'contact', 'digest_time', 'digest_day']) await db.schema.alterTable('library_services').dropColumn(c).execute()
}
