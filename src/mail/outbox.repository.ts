// SQL for the outbox: queuing an email in the caller's transaction, and the worker's claim / finish.
import { sql } from 'kysely'
import { prepared } from '../db/prepared.js'
import type { Db, DialectName, Tx } from '../db/connect.js'
import type { OutboxMessage } from '../db/schema.js'

export interface QueuedEmail {
  /** Unique per message: queuing the same key twice is a no-op. */
  dedupeKey: string
  kind: string
  to: { address: string; name?: string }
  subject: string
  text: string
  html: string
  ical?: { method: string; content: string } | null
  headers?: Record<string, string>
  /** Where replies go, when not to the service's own From address (a coordinator's group message). */
  replyTo?: { address: string; name?: string } | null
  personId?: number | null
  sessionId?: number | null
  libraryServiceId?: number | null
  /** Not sent before this instant (reminders); default now. */
  notBefore?: number
  /**
   * Stored like any message but never sent: written as already done ('sent' at once, so the
   * worker never claims it and the purge removes it with the sent mail). The stand-in for a
   * sign-in link to an unknown address, so that asking for a link does the same work either way.
   */
  neverSend?: boolean
}

const insertEmail = prepared(
  (
    tx,
    dedupeKey: string,
    kind: string,
    toAddress: string,
    toName: string,
    subject: string,
    text: string,
    html: string,
    ical: string | null,
    icalMethod: string | null,
    headers: string,
    nextAttemptAt: number,
    personId: number | null,
    sessionId: number | null,
    libraryServiceId: number | null,
    now: number,
    status: 'pending' | 'sent',
    sentAt: number | null,
    replyTo: string | null,
  ) =>
    tx
      .insertInto('outbox')
      .values({
        dedupe_key: dedupeKey,
        kind,
        to_address: toAddress,
        to_name: toName,
        subject,
        text_body: text,
        html_body: html,
        ical,
        ical_method: icalMethod,
        headers,
        reply_to: replyTo,
        status,
        attempts: 0,
        next_attempt_at: nextAttemptAt,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        person_id: personId,
        session_id: sessionId,
        library_service_id: libraryServiceId,
        created_at: now,
        sent_at: sentAt,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing()),
)

/** Queues an email inside the transaction that causes it. Returns false if that key was already queued. */
export async function enqueueEmail(tx: Tx, email: QueuedEmail, now: number): Promise<boolean> {
  const inserted = await insertEmail.run(
    tx,
    email.dedupeKey,
    email.kind,
    email.to.address,
    email.to.name ?? '',
    email.subject,
    email.text,
    email.html,
    email.ical?.content ?? null,
    email.ical?.method ?? null,
    JSON.stringify(email.headers ?? {}),
    email.notBefore ?? now,
    email.personId ?? null,
    email.sessionId ?? null,
    email.libraryServiceId ?? null,
    now,
    email.neverSend ? 'sent' : 'pending',
    email.neverSend ? now : null,
    email.replyTo ? JSON.stringify({ address: email.replyTo.address, name: email.replyTo.name ?? '' }) : null,
  )
  // A message already queued under this key (a retry of the same change) is not queued twice.
  return inserted > 0
}

/**
 * Claims up to `limit` due messages for `owner` until `leaseUntil`, atomically: a message whose
 * lease ran out (its worker died) is due again. On PostgreSQL, FOR UPDATE SKIP LOCKED lets
 * several instances claim side by side without waiting on each other.
 */
export async function claimDueMessages(
  db: Db,
  dialect: DialectName,
  owner: string,
  now: number,
  leaseUntil: number,
  limit: number,
): Promise<OutboxMessage[]> {
  const due = db
    .selectFrom('outbox')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .limit(limit)
  const dueIds = dialect === 'postgres' ? due.forUpdate().skipLocked() : due
  return db
    .updateTable('outbox')
    .set({
      status: 'sending',
      lease_owner: owner,
      lease_until: leaseUntil,
      attempts: sql`attempts + 1`,
    })
    .where('id', 'in', dueIds)
    .returningAll()
    .execute()
}

export async function markSent(db: Db, id: number, owner: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now, lease_owner: null, lease_until: null, last_error: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function markRetry(db: Db, id: number, owner: string, nextAttemptAt: number, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: nextAttemptAt, lease_owner: null, lease_until: null, last_error: error })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute()
}

export async function markFailed(db: Db, id: number, owner: string, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'failed', lease_owner: null, lease_until: null, last_error: error })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute()
}

/** The worker's heartbeat: what this owner is still sending stays its own until `leaseUntil`. */
export async function extendLeases(db: Db, owner: string, leaseUntil: number): Promise<void> {
  await db.updateTable('outbox').set({ lease_until: leaseUntil }).where('status', '=', 'sending').where('lease_owner', '=', owner).execute()
}

/** Gives back what this owner still holds (graceful shutdown): due again at once. */
export async function releaseLeases(db: Db, owner: string, now: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'pending', lease_owner: null, lease_until: null, next_attempt_at: now, attempts: sql`attempts - 1` })
    .where('status', '=', 'sending')
    .where('lease_owner', '=', owner)
    .execute()
}

export async function nextDueAt(db: Db): Promise<number | null> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return row?.at == null ? null : Number(row.at)
}

/** Where a coordinator may look: whole library services, and single branches. */
export interface MailScope {
  serviceIds: readonly number[]
  branchIds: readonly number[]
}

/**
 * Emails a coordinator should know about: given up (failed), or still failing after several
 * tries, created since `since`, about sessions of their branches or (for whole-service
 * coordinators) their library service. Sign-in emails belong to no service and never appear.
 */
export async function undeliveredInScope(db: Db, scope: MailScope, since: number, stuckAfterAttempts: number, limit = 200) {
  if (!scope.serviceIds.length && !scope.branchIds.length) return []
  return db
    .selectFrom('outbox')
    .leftJoin('sessions', 'sessions.id', 'outbox.session_id')
    .leftJoin('branches', 'branches.id', 'sessions.branch_id')
    .select([
      'outbox.id',
      'outbox.kind',
      'outbox.to_address as toAddress',
      'outbox.to_name as toName',
      'outbox.subject',
      'outbox.status',
      'outbox.attempts',
      'outbox.last_error as lastError',
      'outbox.created_at as createdAt',
      'outbox.next_attempt_at as nextAttemptAt',
      'outbox.session_id as sessionId',
      'outbox.library_service_id as libraryServiceId',
      'sessions.title as sessionTitle',
      'sessions.local_date as sessionDate',
      'branches.name as branchName',
      'branches.name_cy as branchNameCy',
    ])
    .where((eb) => eb.or([eb('outbox.status', '=', 'failed'), eb.and([eb('outbox.status', '=', 'pending'), eb('outbox.attempts', '>=', stuckAfterAttempts)])]))
    .where('outbox.created_at', '>=', since)
    .where((eb) => {
      const ors = []
      if (scope.serviceIds.length) {
        ors.push(eb('branches.library_service_id', 'in', scope.serviceIds))
        ors.push(eb.and([eb('outbox.session_id', 'is', null), eb('outbox.library_service_id', 'in', scope.serviceIds)]))
      }
      if (scope.branchIds.length) ors.push(eb('branches.id', 'in', scope.branchIds))
      return eb.or(ors)
    })
    .orderBy('outbox.created_at', 'desc')
    .orderBy('outbox.id', 'desc')
    .limit(limit)
    .execute()
}

/** A failed email, due again at once with a fresh count of tries. */
export async function retryFailed(db: Db, id: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, last_error: null, lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** Sent mail and old failures after `keepMs`; the dedupe keys that matter are for upcoming sessions only. */
export async function purgeMailBefore(db: Db, before: number): Promise<number> {
  const sent = await db.deleteFrom('outbox').where('status', '=', 'sent').where('sent_at', '<', before).executeTakeFirst()
  const failed = await db.deleteFrom('outbox').where('status', '=', 'failed').where('created_at', '<', before).executeTakeFirst()
  await db.deleteFrom('mailbox').where('created_at', '<', before).execute()
  return Number(sent.numDeletedRows) + Number(failed.numDeletedRows)
}

/** A queued message by its dedupe key (to send the same message again, e.g. the newest sign-in link). */
export async function findEmailByDedupeKey(
  db: Db | Tx,
  dedupeKey: string,
): Promise<Pick<OutboxMessage, 'kind' | 'to_address' | 'to_name' | 'subject' | 'text_body' | 'html_body' | 'person_id' | 'status'> | null> {
  const row = await db
    .selectFrom('outbox')
    .select(['kind', 'to_address', 'to_name', 'subject', 'text_body', 'html_body', 'person_id', 'status'])
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirst()
  return row ?? null
}
