// SQL for a person's own data: every row held about them (the download), and the writes that erase them.
import { sql } from 'kysely'
import type { Db, Tx } from '../db/connect.js'
import { placesWithSessions } from '../db/columns.js'

export interface Subject {
  personId: number
  email: string
  name: string
  phone: string | null
  anonymisedAt: number | null
  volunteer: { id: number; libraryServiceId: number; status: string } | null
}

export async function findSubject(db: Db | Tx, personId: number): Promise<Subject | null> {
  const row = await db
    .selectFrom('people')
    .leftJoin('volunteers', 'volunteers.person_id', 'people.id')
    .select(['people.id', 'people.email', 'people.name', 'people.phone', 'people.anonymised_at', 'volunteers.id as volunteer_id', 'volunteers.library_service_id', 'volunteers.status'])
    .where('people.id', '=', personId)
    .executeTakeFirst()
  if (!row) return null
  return {
    personId: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    anonymisedAt: row.anonymised_at,
    volunteer: row.volunteer_id != null ? { id: row.volunteer_id, libraryServiceId: row.library_service_id!, status: row.status! } : null,
  }
}

/** A volunteer of a library service, found by volunteer id (for an admin acting on a request). */
export async function personOfVolunteer(db: Db | Tx, volunteerId: number): Promise<{ personId: number; libraryServiceId: number } | null> {
  const row = await db.selectFrom('volunteers').select(['person_id', 'library_service_id']).where('id', '=', volunteerId).executeTakeFirst()
  return row ? { personId: row.person_id, libraryServiceId: row.library_service_id } : null
}

// ── The download: table by table, secrets (token hashes, sealed tokens, message bodies of others) left out ──

export type Row = Record<string, unknown>

export async function exportRows(db: Db | Tx, s: Subject): Promise<Record<string, Row[]>> {
  const pid = s.personId
  const vid = s.volunteer?.id ?? -1
  const assignmentIds = (await db.selectFrom('assignments').select('id').where('volunteer_id', '=', vid).execute()).map((r) => r.id)
  const inAssignments = assignmentIds.length ? assignmentIds : [-1]
  const outboxRows = await db
    .selectFrom('outbox')
    .select(['id', 'kind', 'to_address', 'subject', 'status', 'session_id', 'created_at', 'sent_at'])
    .where((eb) => eb.or([eb('person_id', '=', pid), eb('to_address', '=', s.email)]))
    .orderBy('id')
    .execute()
  return {
    people: await db.selectFrom('people').select(['id', 'name', 'email', 'phone', 'created_at', 'anonymised_at']).where('id', '=', pid).execute(),
    volunteers: await db
      .selectFrom('volunteers')
      .select(['id', 'library_service_id', 'status', 'home_branch_id', 'max_sessions_per_month', 'reminders_enabled', 'group_messages_enabled', 'applied_at', 'approved_at', 'updated_at'])
      .where('person_id', '=', pid)
      .execute(),
    role_grants: await db.selectFrom('role_grants').select(['id', 'role', 'library_service_id', 'branch_id', 'created_at']).where('person_id', '=', pid).orderBy('id').execute(),
    volunteer_skills: await db
      .selectFrom('volunteer_skills')
      .innerJoin('skills', 'skills.id', 'volunteer_skills.skill_id')
      .select(['volunteer_skills.skill_id', 'skills.name', 'skills.name_cy', 'skills.kind'])
      .where('volunteer_skills.volunteer_id', '=', vid)
      .orderBy('skills.name')
      .execute(),
    volunteer_branches: await db
      .selectFrom('volunteer_branches')
      .innerJoin('branches', 'branches.id', 'volunteer_branches.branch_id')
      .select(['volunteer_branches.branch_id', 'branches.name', 'branches.name_cy'])
      .where('volunteer_branches.volunteer_id', '=', vid)
      .orderBy('branches.name')
      .execute(),
    availability_windows: await db.selectFrom('availability_windows').select(['id', 'day_of_week', 'start_time', 'end_time']).where('volunteer_id', '=', vid).orderBy('id').execute(),
    time_off: await db.selectFrom('time_off').select(['id', 'start_date', 'end_date', 'note']).where('volunteer_id', '=', vid).orderBy('id').execute(),
    volunteer_trainings: await db
      .selectFrom('volunteer_trainings')
      .innerJoin('training_kinds', 'training_kinds.id', 'volunteer_trainings.training_kind_id')
      .select(['volunteer_trainings.id', 'volunteer_trainings.training_kind_id', 'training_kinds.name', 'training_kinds.name_cy', 'volunteer_trainings.completed_on', 'volunteer_trainings.expires_on', 'volunteer_trainings.created_at'])
      .where('volunteer_trainings.volunteer_id', '=', vid)
      .orderBy('volunteer_trainings.id')
      .execute(),
    assignments: await placesWithSessions(db)
      .select([
        'assignments.id',
        'assignments.session_id',
        'sessions.title as session_title',
        'branches.name as branch_name',
        'sessions.local_date',
        'sessions.start_time',
        'sessions.end_time',
        'assignments.state',
        'assignments.source',
        'assignments.reason',
        'assignments.waitlisted_at',
        'assignments.confirmed_at',
        'assignments.created_at',
        'assignments.updated_at',
      ])
      .where('assignments.volunteer_id', '=', vid)
      .orderBy('assignments.id')
      .execute(),
    assignment_events: await db
      .selectFrom('assignment_events')
      .select(['id', 'assignment_id', 'from_state', 'to_state', 'source', 'note', 'at'])
      .where('assignment_id', 'in', inAssignments)
      .orderBy('id')
      .execute(),
    invitations: await db
      .selectFrom('invitations')
      .select(['id', 'assignment_id', 'state', 'expires_at', 'created_at', 'responded_at'])
      .where('assignment_id', 'in', inAssignments)
      .orderBy('id')
      .execute(),
    recording_links: await db
      .selectFrom('recording_links')
      .select(['id', 'assignment_id', 'created_at', 'expires_at', 'used_at'])
      .where('assignment_id', 'in', inAssignments)
      .orderBy('id')
      .execute(),
    attendance_marks: await db
      .selectFrom('attendance_marks')
      .select(['assignment_id', 'outcome', 'source', 'marked_at'])
      .where('assignment_id', 'in', inAssignments)
      .orderBy('assignment_id')
      .execute(),
    cover_requests: await db
      .selectFrom('cover_requests')
      .select(['id', 'assignment_id', 'session_id', 'status', 'created_at', 'settled_at'])
      .where('volunteer_id', '=', vid)
      .orderBy('id')
      .execute(),
    group_message_recipients: await db
      .selectFrom('group_message_recipients')
      .innerJoin('group_messages', 'group_messages.id', 'group_message_recipients.group_message_id')
      .select(['group_message_recipients.group_message_id', 'group_messages.subject', 'group_messages.created_at'])
      .where('group_message_recipients.volunteer_id', '=', vid)
      .orderBy('group_message_recipients.group_message_id')
      .execute(),
    outbox: outboxRows,
    mailbox: await db
      .selectFrom('mailbox')
      .select(['id', 'outbox_id', 'to_address', 'subject', 'created_at'])
      .where((eb) => eb.or([eb('to_address', '=', s.email), ...(outboxRows.length ? [eb('outbox_id', 'in', outboxRows.map((o) => o.id))] : [])]))
      .orderBy('id')
      .execute(),
    sign_in_tokens: await db.selectFrom('sign_in_tokens').select(['id', 'created_at', 'expires_at', 'used_at']).where('email', '=', s.email).orderBy('id').execute(),
    login_sessions: await db.selectFrom('login_sessions').select(['created_at', 'last_seen_at', 'expires_at']).where('person_id', '=', pid).orderBy('created_at').execute(),
    feed_tokens: await db.selectFrom('feed_tokens').select(['id', 'volunteer_id', 'branch_id', 'created_at', 'revoked_at']).where('person_id', '=', pid).orderBy('id').execute(),
    audit_log: await auditAbout(db, pid, vid, assignmentIds),
  }
}

/** Audit entries about a person: what they did, and what was done to them, their volunteer record or their places. */
export async function auditAbout(db: Db | Tx, personId: number, volunteerId: number, assignmentIds: readonly number[]): Promise<Row[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'actor_person_id', 'library_service_id', 'action', 'object_type', 'object_id', 'detail', 'at'])
    .where((eb) =>
      eb.or([
        eb('actor_person_id', '=', personId),
        eb.and([eb('object_type', '=', 'person'), eb('object_id', '=', String(personId))]),
        eb.and([eb('object_type', '=', 'volunteer'), eb('object_id', '=', String(volunteerId))]),
        ...(assignmentIds.length ? [eb.and([eb('object_type', '=', 'assignment'), eb('object_id', 'in', assignmentIds.map(String))])] : []),
        // Entries about a session that name the volunteer by id in their detail.
        eb('detail', 'like', `%"volunteerId":${volunteerId}%`),
      ]),
    )
    .orderBy('id')
    .execute()
  const exact = new RegExp(`"volunteerId":${volunteerId}[,}]`)
  return rows.filter(
    (r) =>
      r.actor_person_id === personId ||
      (r.object_type === 'person' && r.object_id === String(personId)) ||
      (r.object_type === 'volunteer' && r.object_id === String(volunteerId)) ||
      (r.object_type === 'assignment' && assignmentIds.includes(Number(r.object_id))) ||
      exact.test(r.detail),
  )
}

// ── Erasure ─────────────────────────────────────────────────────────────────

export async function heldPlaces(tx: Tx, volunteerId: number, now: number): Promise<Array<{ session_id: number; state: string; starts_at: number }>> {
  return tx
    .selectFrom('assignments')
    .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
    .select(['assignments.session_id', 'assignments.state', 'sessions.starts_at'])
    .where('assignments.volunteer_id', '=', volunteerId)
    .where('assignments.state', 'in', ['confirmed', 'waitlisted', 'invited'])
    .where('sessions.starts_at', '>', now)
    .where('sessions.status', '=', 'scheduled')
    .orderBy('sessions.starts_at')
    .execute()
}

export async function sessionStaffing(tx: Tx, sessionId: number): Promise<{ confirmed_count: number; min_volunteers: number; title: string; local_date: string }> {
  return tx.selectFrom('sessions').select(['confirmed_count', 'min_volunteers', 'title', 'local_date']).where('id', '=', sessionId).executeTakeFirstOrThrow()
}

export async function settlePendingInvitations(tx: Tx, volunteerId: number, now: number): Promise<number> {
  const r = await tx
    .updateTable('invitations')
    .set({ state: 'withdrawn', responded_at: now })
    .where('state', '=', 'pending')
    .where('assignment_id', 'in', (eb) => eb.selectFrom('assignments').select('id').where('volunteer_id', '=', volunteerId))
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** The person's free text and profile details: gone; the rows that make history (places, trainings) stay. */
export async function eraseVolunteerDetails(tx: Tx, volunteerId: number, now: number): Promise<void> {
  await tx.deleteFrom('availability_windows').where('volunteer_id', '=', volunteerId).execute()
  await tx.deleteFrom('time_off').where('volunteer_id', '=', volunteerId).execute()
  await tx.deleteFrom('volunteer_skills').where('volunteer_id', '=', volunteerId).execute()
  await tx.deleteFrom('volunteer_branches').where('volunteer_id', '=', volunteerId).execute()
  await tx.updateTable('assignments').set({ reason: null }).where('volunteer_id', '=', volunteerId).execute()
  await tx
    .updateTable('assignment_events')
    .set({ note: '' })
    .where('assignment_id', 'in', (eb) => eb.selectFrom('assignments').select('id').where('volunteer_id', '=', volunteerId))
    .execute()
  await tx.updateTable('volunteers').set({ status: 'left', left_at: now, home_branch_id: null, reminders_enabled: 0, group_messages_enabled: 0, updated_at: now }).where('id', '=', volunteerId).execute()
}

export async function revokeAccess(tx: Tx, personId: number, email: string, now: number): Promise<void> {
  await tx.deleteFrom('login_sessions').where('person_id', '=', personId).execute()
  await tx.updateTable('feed_tokens').set({ revoked_at: now, token_sealed: null }).where('person_id', '=', personId).where('revoked_at', 'is', null).execute()
  await tx.updateTable('feed_tokens').set({ token_sealed: null }).where('person_id', '=', personId).execute()
  await tx.deleteFrom('sign_in_tokens').where('email', '=', email).execute()
  await tx.deleteFrom('role_grants').where('person_id', '=', personId).execute()
}

/** Mail still waiting for them that no longer makes sense (reminders…), except what the erasure itself just queued. */
export async function dropQueuedMail(tx: Tx, personId: number, queuedBefore: number): Promise<void> {
  await tx.deleteFrom('outbox').where('person_id', '=', personId).where('status', 'in', ['pending', 'failed']).where('created_at', '<', queuedBefore).execute()
}

/** The anonymous stand-in address: unique (people.email is), and never deliverable (.invalid, RFC 2606). */
export function erasedAddress(personId: number): string {
  return `erased-${personId}@erased.invalid`
}

export async function anonymisePerson(tx: Tx, personId: number, now: number): Promise<void> {
  await tx.updateTable('people').set({ name: 'Former volunteer', email: erasedAddress(personId), phone: null, anonymised_at: now }).where('id', '=', personId).execute()
}

/**
 * Mail to or about the person: copies of what was sent to them lose address and content; in mail
 * to others (coordinator alerts, digests) their name and address are replaced. `replace` is the
 * same function on SQLite and PostgreSQL.
 */
export async function scrubMailMentioning(tx: Tx, personId: number, needles: readonly string[], replacement: string): Promise<void> {
  for (const needle of needles) {
    if (!needle) continue
    const like = `%${needle.replace(/[%_\\]/g, (c) => '\\' + c)}%`
    for (const table of ['outbox', 'mailbox'] as const) {
      const cols = table === 'outbox' ? (['subject', 'text_body', 'html_body', 'to_name', 'ical', 'headers'] as const) : (['subject', 'text_body', 'html_body', 'ical', 'headers', 'attachments'] as const)
      for (const col of cols) {
        // The cancellations just queued to the person still need their address and name until sent.
        const notOwed = table === 'outbox' ? sql`and not (coalesce(person_id, 0) = ${personId} and status in ('pending', 'sending'))` : sql``
        await sql`update ${sql.table(table)} set ${sql.ref(col)} = replace(${sql.ref(col)}, ${needle}, ${replacement}) where ${sql.ref(col)} like ${like} escape '\\' ${notOwed}`.execute(tx)
      }
    }
  }
}

/** Sent (or given-up) copies of mail to an anonymised person: keep the row (subject, dates), lose the address and content. */
export async function scrubDeliveredMailOf(db: Db | Tx, personId: number, address: string): Promise<number> {
  const rows = await db.selectFrom('outbox').select('id').where('person_id', '=', personId).where('status', 'in', ['sent', 'failed']).where('to_address', '!=', address).execute()
  if (!rows.length) return 0
  const ids = rows.map((r) => r.id)
  await db.updateTable('outbox').set({ to_address: address, to_name: '', text_body: '', html_body: '', ical: null, headers: '{}' }).where('id', 'in', ids).execute()
  await db.updateTable('mailbox').set({ to_address: address, text_body: '', html_body: '', ical: null, headers: '{}', attachments: '[]' }).where('outbox_id', 'in', ids).execute()
  return ids.length
}

export async function anonymisedPeopleWithMailToScrub(db: Db | Tx): Promise<number[]> {
  const rows = await db
    .selectFrom('outbox')
    .innerJoin('people', 'people.id', 'outbox.person_id')
    .select('people.id')
    .where('people.anonymised_at', 'is not', null)
    .where('outbox.status', 'in', ['sent', 'failed'])
    .where('outbox.to_address', 'not like', 'erased-%')
    .distinct()
    .execute()
  return rows.map((r) => r.id)
}

/** Withdrawal reasons and other free text the person typed, carried in the audit detail of their own actions. */
export async function scrubAuditFreeText(tx: Tx, personId: number): Promise<void> {
  const rows = await tx.selectFrom('audit_log').select(['id', 'detail']).where('actor_person_id', '=', personId).where('detail', 'like', '%"reason"%').execute()
  for (const r of rows) {
    const detail = JSON.parse(r.detail) as Record<string, unknown>
    delete detail.reason
    await tx.updateTable('audit_log').set({ detail: JSON.stringify(detail) }).where('id', '=', r.id).execute()
  }
}

/** Volunteers of a service who left before `leftBefore` and are not yet anonymised (for the retention job). */
export async function leftLongAgo(db: Db, libraryServiceId: number, leftBefore: number): Promise<number[]> {
  const rows = await db
    .selectFrom('volunteers')
    .innerJoin('people', 'people.id', 'volunteers.person_id')
    .select('people.id')
    .where('volunteers.library_service_id', '=', libraryServiceId)
    .where('volunteers.status', '=', 'left')
    // Rows from before left_at existed: their last change is when they left.
    .where((eb) => eb(eb.fn.coalesce('volunteers.left_at', 'volunteers.updated_at'), '<', leftBefore))
    .where('people.anonymised_at', 'is', null)
    .execute()
  return rows.map((r) => r.id)
}

export async function retentionPeriods(db: Db): Promise<Array<{ id: number; retention_months: number }>> {
  return db.selectFrom('library_services').select(['id', 'retention_months']).execute()
}

/** Sign-in sessions that have run out: the record of them is no longer needed. */
export async function deleteExpiredLoginSessions(db: Db, now: number): Promise<number> {
  const r = await db.deleteFrom('login_sessions').where('expires_at', '<', now).executeTakeFirst()
  return Number(r.numDeletedRows)
}
