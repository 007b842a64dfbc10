// A session's check-in code: the random part of the /checkin/<code> address its QR code on the branch's printed sheet carries.
//
// Kept as it is (not hashed): the sheet must be printable again with the same codes, and the code
// is pinned up in the library for anyone there to see, so a hash would protect nothing. It only
// lets a volunteer booked on the session, signed in, say they have arrived, during the session.
// Null until a coordinator first opens the sheet for the session's day (no backfill needed).
//
// Frozen in time (Kysely<any>). Portable: a nullable text column; a unique index allows many nulls
// on SQLite and PostgreSQL alike.
import type { Kysely } from 'kysely'

type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('checkin_code', 'text').execute()
  await db.schema.createIndex('sessions_checkin_code').unique().on('sessions').column('checkin_code').execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('sessions_checkin_code').execute()
  await db.schema.alterTable('sessions').dropColumn('checkin_code').execute()
}
