// The initial schema: the whole domain of PRODUCT.md, portable across SQLite and PostgreSQL.
//
// Frozen in time (Kysely<any>), so it never imports application code. Portable value types:
// instants are integer milliseconds since the epoch (bigint on PostgreSQL), local dates are
// 'YYYY-MM-DD' text, wall-clock times 'HH:MM' text, booleans 0/1 integers.
import { PostgresAdapter, sql, type Kysely, type CreateTableBuilder } from 'kysely'

type Db = Kysely<any>

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

function withId<T extends string>(db: Db, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

function instant(db: Db): 'bigint' | 'integer' {
  return isPostgres(db) ? 'bigint' : 'integer'
}

export async function up(db: Db): Promise<void> {
  const ms = instant(db)

  await withId(db, db.schema.createTable('library_services'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('booking_window_days', 'integer', (c) => c.notNull().defaultTo(56))
    .addColumn('withdraw_cutoff_hours', 'integer', (c) => c.notNull().defaultTo(24))
    .addColumn('short_alert_days', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('branches'))
    .addColumn('library_service_id', 'integer', (c) => c.notNull().references('library_services.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('postcode', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('Europe/London'))
    .addColumn('accessibility_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('arrival_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addUniqueConstraint('branches_service_name_unique', ['library_service_id', 'name'])
    .execute()

  await withId(db, db.schema.createTable('people'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('anonymised_at', ms)
    .execute()

  await withId(db, db.schema.createTable('role_grants'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('coordinator', 'admin')`))
    .addColumn('library_service_id', 'integer', (c) => c.notNull().references('library_services.id').onDelete('cascade'))
    // null: the whole library service; otherwise the one branch this grant covers.
    .addColumn('branch_id', 'integer', (c) => c.references('branches.id').onDelete('cascade'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('role_grants_person').on('role_grants').column('person_id').execute()

  await withId(db, db.schema.createTable('skills'))
    .addColumn('library_service_id', 'integer', (c) => c.notNull().references('library_services.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('topic', 'language')`))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('skills_service_name_unique', ['library_service_id', 'name'])
    .execute()

  await withId(db, db.schema.createTable('training_kinds'))
    .addColumn('library_service_id', 'integer', (c) => c.notNull().references('library_services.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('training').check(sql`kind in ('training', 'check')`))
    // null: never expires.
    .addColumn('validity_months', 'integer')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('training_kinds_service_name_unique', ['library_service_id', 'name'])
    .execute()

  await withId(db, db.schema.createTable('volunteers'))
    .addColumn('person_id', 'integer', (c) => c.notNull().unique().references('people.id').onDelete('cascade'))
    .addColumn('library_service_id', 'integer', (c) => c.notNull().references('library_services.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('applied').check(sql`status in ('applied', 'active', 'paused', 'left')`),
    )
    .addColumn('home_branch_id', 'integer', (c) => c.references('branches.id').onDelete('set null'))
    .addColumn('max_sessions_per_month', 'integer', (c) => c.notNull().defaultTo(4))
    .addColumn('reminders_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('applied_at', ms, (c) => c.notNull())
    .addColumn('approved_at', ms)
    // Bumped by every transaction that must serialise on this volunteer (the row lock on PostgreSQL).
    .addColumn('lock_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('volunteers_service_status').on('volunteers').columns(['library_service_id', 'status']).execute()

  await db.schema
    .createTable('volunteer_skills')
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id').onDelete('cascade'))
    .addColumn('skill_id', 'integer', (c) => c.notNull().references('skills.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('volunteer_skills_pk', ['volunteer_id', 'skill_id'])
    .execute()
  await db.schema.createIndex('volunteer_skills_skill').on('volunteer_skills').column('skill_id').execute()

  await db.schema
    .createTable('volunteer_branches')
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id').onDelete('cascade'))
    .addColumn('branch_id', 'integer', (c) => c.notNull().references('branches.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('volunteer_branches_pk', ['volunteer_id', 'branch_id'])
    .execute()
  await db.schema.createIndex('volunteer_branches_branch').on('volunteer_branches').column('branch_id').execute()

  await withId(db, db.schema.createTable('availability_windows'))
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id').onDelete('cascade'))
    // ISO day of week: 1 = Monday … 7 = Sunday.
    .addColumn('day_of_week', 'integer', (c) => c.notNull().check(sql`day_of_week between 1 and 7`))
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('availability_windows_volunteer').on('availability_windows').column('volunteer_id').execute()

  await withId(db, db.schema.createTable('time_off'))
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id').onDelete('cascade'))
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.createIndex('time_off_volunteer').on('time_off').column('volunteer_id').execute()

  await withId(db, db.schema.createTable('volunteer_trainings'))
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id').onDelete('cascade'))
    .addColumn('training_kind_id', 'integer', (c) => c.notNull().references('training_kinds.id').onDelete('cascade'))
    .addColumn('completed_on', 'text', (c) => c.notNull())
    // null: does not expire.
    .addColumn('expires_on', 'text')
    .addColumn('recorded_by_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('volunteer_trainings_volunteer').on('volunteer_trainings').column('volunteer_id').execute()
  await db.schema.createIndex('volunteer_trainings_expiry').on('volunteer_trainings').column('expires_on').execute()

  await withId(db, db.schema.createTable('series'))
    .addColumn('branch_id', 'integer', (c) => c.notNull().references('branches.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // RFC 5545 recurrence rule in the branch's wall-clock time (e.g. FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=…).
    .addColumn('rrule', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('until_on', 'text', (c) => c.notNull())
    // JSON arrays: skipped local dates, and the template for new sessions.
    .addColumn('skipped_dates', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('required_skill_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('preferred_skill_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('required_training_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('min_volunteers', 'integer', (c) => c.notNull())
    .addColumn('max_volunteers', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('sessions'))
    .addColumn('branch_id', 'integer', (c) => c.notNull().references('branches.id').onDelete('cascade'))
    .addColumn('series_id', 'integer', (c) => c.references('series.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('drop_in', 'one_to_one', 'group_class')`),
    )
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('starts_at', ms, (c) => c.notNull())
    .addColumn('ends_at', ms, (c) => c.notNull())
    .addColumn('min_volunteers', 'integer', (c) => c.notNull().check(sql`min_volunteers >= 0`))
    .addColumn('max_volunteers', 'integer', (c) => c.notNull().check(sql`max_volunteers >= 1`))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled').check(sql`status in ('scheduled', 'cancelled')`))
    // Kept equal to the number of confirmed assignments by the same transaction that changes them.
    .addColumn('confirmed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lock_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addCheckConstraint('sessions_min_le_max', sql`min_volunteers <= max_volunteers`)
    .addCheckConstraint('sessions_confirmed_le_max', sql`confirmed_count <= max_volunteers`)
    .addCheckConstraint('sessions_ends_after_start', sql`ends_at > starts_at`)
    .execute()
  await db.schema.createIndex('sessions_branch_starts').on('sessions').columns(['branch_id', 'starts_at']).execute()
  await db.schema.createIndex('sessions_starts').on('sessions').column('starts_at').execute()
  await db.schema.createIndex('sessions_series_date').on('sessions').columns(['series_id', 'local_date']).execute()

  await db.schema
    .createTable('session_skills')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('skill_id', 'integer', (c) => c.notNull().references('skills.id').onDelete('cascade'))
    .addColumn('requirement', 'text', (c) => c.notNull().check(sql`requirement in ('required', 'preferred')`))
    .addPrimaryKeyConstraint('session_skills_pk', ['session_id', 'skill_id'])
    .execute()

  await db.schema
    .createTable('session_trainings')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('training_kind_id', 'integer', (c) => c.notNull().references('training_kinds.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('session_trainings_pk', ['session_id', 'training_kind_id'])
    .execute()

  await withId(db, db.schema.createTable('assignments'))
    .addColumn('session_id', 'integer', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`state in ('invited', 'confirmed', 'declined', 'waitlisted', 'withdrawn', 'cancelled', 'attended', 'no_show')`,
        ),
    )
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('self', 'coordinator', 'invitation', 'auto_fill', 'waitlist')`),
    )
    // iCalendar SEQUENCE of this volunteer's event for this session: only ever goes up.
    .addColumn('ical_sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waitlisted_at', ms)
    .addColumn('confirmed_at', ms)
    .addColumn('reason', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    // One row per volunteer and session forever: the calendar identity (UID) hangs on it.
    .addUniqueConstraint('assignments_session_volunteer_unique', ['session_id', 'volunteer_id'])
    .execute()
  await db.schema.createIndex('assignments_volunteer_state').on('assignments').columns(['volunteer_id', 'state']).execute()
  await db.schema.createIndex('assignments_session_state').on('assignments').columns(['session_id', 'state']).execute()

  await withId(db, db.schema.createTable('assignment_events'))
    .addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('actor_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('at', ms, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('assignment_events_assignment').on('assignment_events').column('assignment_id').execute()

  await withId(db, db.schema.createTable('invitations'))
    .addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`state in ('pending', 'accepted', 'declined', 'withdrawn', 'expired', 'filled')`),
    )
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('created_by_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('responded_at', ms)
    .execute()
  await db.schema.createIndex('invitations_assignment').on('invitations').column('assignment_id').execute()

  await db.schema
    .createTable('session_reports')
    .addColumn('session_id', 'integer', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('people_helped', 'integer', (c) => c.notNull().check(sql`people_helped >= 0`))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('recorded_by_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('recorded_at', ms, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('session_report_topics')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('session_reports.session_id').onDelete('cascade'))
    .addColumn('skill_id', 'integer', (c) => c.notNull().references('skills.id').onDelete('cascade'))
    .addColumn('people_count', 'integer', (c) => c.notNull().check(sql`people_count >= 0`))
    .addPrimaryKeyConstraint('session_report_topics_pk', ['session_id', 'skill_id'])
    .execute()

  await withId(db, db.schema.createTable('outbox'))
    // Makes queuing the same message twice impossible (e.g. 'reminder:assignment:12:2026-12-01T08:00').
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('to_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('ical', 'text')
    .addColumn('ical_method', 'text')
    // JSON object of extra headers (List-Unsubscribe …).
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ms, (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ms)
    .addColumn('last_error', 'text')
    .addColumn('person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('session_id', 'integer', (c) => c.references('sessions.id').onDelete('set null'))
    .addColumn('library_service_id', 'integer', (c) => c.references('library_services.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('sent_at', ms)
    .execute()
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute()

  // The kept-in-database transport: what was "sent" when no SMTP_URL is set.
  await withId(db, db.schema.createTable('mailbox'))
    .addColumn('outbox_id', 'integer')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('ical', 'text')
    .addColumn('ical_method', 'text')
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('mailbox_to').on('mailbox').column('to_address').execute()

  await withId(db, db.schema.createTable('audit_log'))
    .addColumn('actor_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('library_service_id', 'integer', (c) => c.references('library_services.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('at', ms, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_log_object').on('audit_log').columns(['object_type', 'object_id']).execute()

  await withId(db, db.schema.createTable('sign_in_tokens'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('used_at', ms)
    .execute()
  await db.schema.createIndex('sign_in_tokens_email').on('sign_in_tokens').columns(['email', 'created_at']).execute()
  await db.schema.createIndex('sign_in_tokens_client').on('sign_in_tokens').columns(['client_key', 'created_at']).execute()

  await db.schema
    .createTable('login_sessions')
    // SHA-256 of the random id in the cookie: a database leak gives no usable cookie.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('last_seen_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('login_sessions_person').on('login_sessions').column('person_id').execute()

  await withId(db, db.schema.createTable('feed_tokens'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('volunteer_id', 'integer', (c) => c.references('volunteers.id').onDelete('cascade'))
    .addColumn('branch_id', 'integer', (c) => c.references('branches.id').onDelete('cascade'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('revoked_at', ms)
    .execute()
  await db.schema.createIndex('feed_tokens_person').on('feed_tokens').column('person_id').execute()

  // Singleton jobs across instances (schedulers): whoever holds an unexpired lease runs it.
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text')
    .addColumn('lease_until', ms, (c) => c.notNull().defaultTo(0))
    .addColumn('last_run_at', ms, (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Db): Promise<void> {
  for (const table of [
    'job_leases',
    'feed_tokens',
    'login_sessions',
    'sign_in_tokens',
    'audit_log',
    'mailbox',
    'outbox',
    'session_report_topics',
    'session_reports',
    'invitations',
    'assignment_events',
    'assignments',
    'session_trainings',
    'session_skills',
    'sessions',
    'series',
    'volunteer_trainings',
    'time_off',
    'availability_windows',
    'volunteer_branches',
    'volunteer_skills',
    'volunteers',
    'training_kinds',
    'skills',
    'role_grants',
    'people',
    'branches',
    'library_services',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
