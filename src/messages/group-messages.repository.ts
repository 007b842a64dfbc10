// SQL for messages to a group: who an audience reaches, the daily count, the messages sent and their recipients' delivery.
import type { Db, Tx } from '../db/connect.js'
import type { GroupAudienceKind } from '../db/schema.js'
import { SESSION_HEADING_COLUMNS, SKILL_COLUMNS, sessionsWithBranch, volunteersWithPeople } from '../db/columns.js'

export interface Recipient {
  volunteerId: number
  personId: number
  name: string
  email: string
}

const recipientColumns = ['volunteers.id as volunteerId', 'people.id as personId', 'people.name', 'people.email'] as const

/** Volunteers whose person is not anonymised (an audience reaches no one else). */
function reachableVolunteers(db: Db | Tx) {
  return volunteersWithPeople(db).where('people.anonymised_at', 'is', null)
}

/** A session with its branch and service, for naming it as an audience. */
export async function sessionForAudience(db: Db | Tx, sessionId: number) {
  return sessionsWithBranch(db)
    .select(['sessions.id', ...SESSION_HEADING_COLUMNS, 'sessions.status', 'branches.id as branchId', 'branches.name as branchName', 'branches.name_cy as branchNameCy', 'branches.library_service_id as libraryServiceId', 'branches.timezone'])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst()
}

export async function findSkill(db: Db | Tx, skillId: number) {
  return db.selectFrom('skills').select(SKILL_COLUMNS).where('id', '=', skillId).executeTakeFirst()
}

/**
 * Everyone on a session (booked or waiting), whatever their group-messages switch says: a
 * message about a session they are on is about their place. Not people who left or were erased.
 */
export async function sessionRecipients(db: Db | Tx, sessionId: number): Promise<Recipient[]> {
  return reachableVolunteers(db)
    .innerJoin('assignments', 'assignments.volunteer_id', 'volunteers.id')
    .select(recipientColumns)
    .where('assignments.session_id', '=', sessionId)
    .where('assignments.state', 'in', ['confirmed', 'waitlisted'])
    .where('volunteers.status', '!=', 'left')
    .orderBy('people.name')
    .orderBy('volunteers.id')
    .execute()
}

/** Active volunteers who go to a branch and want group messages. */
export async function branchRecipients(db: Db | Tx, branchId: number): Promise<Recipient[]> {
  return reachableVolunteers(db)
    .select(recipientColumns)
    .where('volunteers.status', '=', 'active')
    .where('volunteers.group_messages_enabled', '=', 1)
    .where((eb) => eb.exists(eb.selectFrom('volunteer_branches').select('volunteer_branches.branch_id').whereRef('volunteer_branches.volunteer_id', '=', 'volunteers.id').where('volunteer_branches.branch_id', '=', branchId)))
    .orderBy('people.name')
    .orderBy('volunteers.id')
    .execute()
}

/** Active volunteers with a skill or language who go to one of these branches and want group messages. */
export async function skillRecipients(db: Db | Tx, skillId: number, branchIds: readonly number[]): Promise<Recipient[]> {
  if (!branchIds.length) return []
  return reachableVolunteers(db)
    .select(recipientColumns)
    .where('volunteers.status', '=', 'active')
    .where('volunteers.group_messages_enabled', '=', 1)
    .where((eb) => eb.exists(eb.selectFrom('volunteer_skills').select('volunteer_skills.skill_id').whereRef('volunteer_skills.volunteer_id', '=', 'volunteers.id').where('volunteer_skills.skill_id', '=', skillId)))
    .where((eb) => eb.exists(eb.selectFrom('volunteer_branches').select('volunteer_branches.branch_id').whereRef('volunteer_branches.volunteer_id', '=', 'volunteers.id').where('volunteer_branches.branch_id', 'in', [...branchIds])))
    .orderBy('people.name')
    .orderBy('volunteers.id')
    .execute()
}

/** Sessions to come in these branches, soonest first, to choose an audience from. */
export async function upcomingSessionsIn(db: Db, branchIds: readonly number[], now: number, limit = 200) {
  if (!branchIds.length) return []
  return sessionsWithBranch(db)
    .select(['sessions.id', ...SESSION_HEADING_COLUMNS, 'branches.name as branchName'])
    .where('sessions.branch_id', 'in', [...branchIds])
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.starts_at', '>=', now)
    .orderBy('sessions.starts_at')
    .orderBy('sessions.id')
    .limit(limit)
    .execute()
}

export async function skillsOfServices(db: Db, serviceIds: readonly number[]) {
  if (!serviceIds.length) return []
  return db.selectFrom('skills').select(SKILL_COLUMNS).where('library_service_id', 'in', [...serviceIds]).orderBy('kind', 'desc').orderBy('sort_order').orderBy('name').execute()
}

/** When this person sent their group messages to this service since `since`, oldest first (the daily limit). */
export async function sentTimesSince(db: Db | Tx, personId: number, libraryServiceId: number, since: number): Promise<number[]> {
  const rows = await db
    .selectFrom('group_messages')
    .select('created_at')
    .where('sender_person_id', '=', personId)
    .where('library_service_id', '=', libraryServiceId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute()
  return rows.map((r) => Number(r.created_at))
}

/**
 * Serialises one sender's sends on PostgreSQL (a row lock on their person row), so two sends at
 * once cannot both pass the daily limit. SQLite has one writer already.
 */
export async function lockSender(tx: Tx, personId: number, postgres: boolean): Promise<void> {
  const q = tx.selectFrom('people').select('id').where('id', '=', personId)
  await (postgres ? q.forUpdate() : q).execute()
}

export async function insertGroupMessage(
  tx: Tx,
  m: { libraryServiceId: number; senderPersonId: number; audienceKind: GroupAudienceKind; audienceId: number; audienceLabel: string; subject: string; body: string; recipientCount: number; now: number },
): Promise<number> {
  const row = await tx
    .insertInto('group_messages')
    .values({
      library_service_id: m.libraryServiceId,
      sender_person_id: m.senderPersonId,
      audience_kind: m.audienceKind,
      audience_id: m.audienceId,
      audience_label: m.audienceLabel,
      subject: m.subject,
      body: m.body,
      recipient_count: m.recipientCount,
      created_at: m.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertRecipients(tx: Tx, rows: ReadonlyArray<{ messageId: number; volunteerId: number; dedupeKey: string }>): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200)
    await tx
      .insertInto('group_message_recipients')
      .values(chunk.map((r) => ({ group_message_id: r.messageId, volunteer_id: r.volunteerId, dedupe_key: r.dedupeKey })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

/** A sender's messages in these services, newest first. */
export async function messagesSentBy(db: Db, personId: number, serviceIds: readonly number[], limit = 200) {
  if (!serviceIds.length) return []
  return db
    .selectFrom('group_messages')
    .select(['id', 'audience_kind', 'audience_label', 'subject', 'recipient_count', 'created_at'])
    .where('sender_person_id', '=', personId)
    .where('library_service_id', 'in', [...serviceIds])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

export async function findMessage(db: Db, messageId: number) {
  return db
    .selectFrom('group_messages')
    .select(['id', 'library_service_id', 'sender_person_id', 'audience_kind', 'audience_id', 'audience_label', 'subject', 'body', 'recipient_count', 'created_at'])
    .where('id', '=', messageId)
    .executeTakeFirst()
}

/** Who a message went to, with each copy's outbox state (null once the outbox has purged a sent copy). */
export async function recipientsOf(db: Db, messageId: number) {
  return db
    .selectFrom('group_message_recipients')
    .innerJoin('volunteers', 'volunteers.id', 'group_message_recipients.volunteer_id')
    .innerJoin('people', 'people.id', 'volunteers.person_id')
    .leftJoin('outbox', 'outbox.dedupe_key', 'group_message_recipients.dedupe_key')
    .select(['volunteers.id as volunteerId', 'people.name', 'people.anonymised_at as anonymisedAt', 'outbox.status', 'outbox.sent_at as sentAt', 'outbox.attempts'])
    .where('group_message_recipients.group_message_id', '=', messageId)
    .orderBy('people.name')
    .orderBy('volunteers.id')
    .execute()
}
