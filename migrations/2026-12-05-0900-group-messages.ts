// Messages to a group (issue 16 item 2): the message and who it went to, each volunteer's "group messages" switch, and a Reply-To on queued mail.
//
// Frozen in time (Kysely<any>). Portable: integers for flags and ids, bigint instants on PostgreSQL.
import { PostgresAdapter, type Kysely } from 'kysely'

type Db = Kysely<any>

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

export async function up(db: Db): Promise<void> {
  const pg = isPostgres(db)
  const ms = pg ? 'bigint' : 'integer'
  // On by default, like reminders: a volunteer turns it off with one click from any group message.
  await db.schema.alterTable('volunteers').addColumn('group_messages_enabled', 'integer', (c) => c.notNull().defaultTo(1)).execute()
  // Where a volunteer's reply goes (the coordinator who wrote), kept apart from the free-form headers.
  await db.schema.alterTable('outbox').addColumn('reply_to', 'text').execute()

  let messages = db.schema.createTable('group_messages')
  messages = pg ? messages.addColumn('id', 'serial', (c) => c.primaryKey()) : messages.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  await messages
    .addColumn('library_service_id', 'integer', (c) => c.notNull().references('library_services.id').onDelete('cascade'))
    .addColumn('sender_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    // 'session' | 'branch' | 'skill', and that object's id; the label as it read when sent.
    .addColumn('audience_kind', 'text', (c) => c.notNull())
    .addColumn('audience_id', 'integer', (c) => c.notNull())
    .addColumn('audience_label', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('recipient_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute()
  // The daily limit counts a sender's messages per service in the last 24 hours.
  await db.schema.createIndex('group_messages_sender').on('group_messages').columns(['sender_person_id', 'library_service_id', 'created_at']).execute()

  await db.schema
    .createTable('group_message_recipients')
    .addColumn('group_message_id', 'integer', (c) => c.notNull().references('group_messages.id').onDelete('cascade'))
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id').onDelete('cascade'))
    // The outbox row's key ('group-message:<message>:<volunteer>'): its delivery state, while the outbox keeps it.
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_message_recipients_pk', ['group_message_id', 'volunteer_id'])
    .execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('group_message_recipients').execute()
  await db.schema.dropTable('group_messages').execute()
  await db.schema.alterTable('outbox').dropColumn('reply_to').execute()
  await db.schema.alterTable('volunteers').dropColumn('group_messages_enabled').execute()
}
