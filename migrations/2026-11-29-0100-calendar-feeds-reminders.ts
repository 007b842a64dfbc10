// Calendar feeds, reminders and undelivered mail: a sealed copy of each feed token, one live token per owner, reminder offsets.
//
// Frozen in time (Kysely<any>). The feed token itself is never stored: token_hash finds it, and
// token_sealed (AES-GCM under a key derived from SESSION_SECRET) lets the calendar page show the
// same URL again without keeping it in clear.
import { sql, type Kysely } from 'kysely'

type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('feed_tokens').addColumn('token_sealed', 'text').execute()
  // One live token per volunteer feed and per coordinator's branch feed: a reset revokes the old one.
  await db.schema
    .createIndex('feed_tokens_live_volunteer')
    .on('feed_tokens')
    .column('volunteer_id')
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('feed_tokens_live_branch')
    .on('feed_tokens')
    .columns(['branch_id', 'person_id'])
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute()

  // When volunteer reminders go, per library service: "2d" = two days before at the session's
  // wall-clock time, "0d@08:00" = 08:00 on the day, "3h" = three hours before. Comma-separated.
  await db.schema
    .alterTable('library_services')
    .addColumn('reminder_offsets', 'text', (c) => c.notNull().defaultTo('2d,0d@08:00'))
    .execute()

  // Coordinators' list of emails that could not be delivered.
  await db.schema.createIndex('outbox_service_status').on('outbox').columns(['library_service_id', 'status']).execute()
  await db.schema.createIndex('outbox_session').on('outbox').column('session_id').execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('outbox_session').ifExists().execute()
  await db.schema.dropIndex('outbox_service_status').ifExists().execute()
  await db.schema.alterTable('library_services').dropColumn('reminder_offsets').execute()
  await db.schema.dropIndex('feed_tokens_live_branch').ifExists().execute()
  await db.schema.dropIndex('feed_tokens_live_volunteer').ifExists().execute()
  await db.schema.alterTable('feed_tokens').dropColumn('token_sealed').execute()
}
