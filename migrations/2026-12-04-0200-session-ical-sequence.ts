// A session's own iCalendar SEQUENCE, for the coordinators' branch feed: it goes up with every change of the
// session's time, place, details or status, so calendar clients replace an edited event instead of keeping the old one.
//
// Frozen in time (Kysely<any>). Portable: an integer with a default, on SQLite and PostgreSQL alike.
import type { Kysely } from 'kysely'

type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('ical_sequence', 'integer', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('ical_sequence').execute()
}
