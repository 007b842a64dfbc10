// SQL for the outbox: queuing an email in the caller's transaction, and the worker's claim / finish.
import { sql } from 'kysely'
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
  personId?: number | null
  sessionId?: number | null
  libraryServiceId?: number | null
  /** Not sent before this instant (reminders); default now. */
  notBefore?: number
}

/** Queues an email inside the transaction that causes it. Returns false if that key was already queued. */
export async function enqueueEmail(tx: Tx, email: QueuedEmail, now: number): Promise<boolean> {
  const result = await tx
    .insertInto('outbox')
    .values({
      dedupe_key: email.dedupeKey,
      kind: email.kind,
      to_address: email.to.address,
      to_name: email.to.name ?? '',
      subject: email.subject,
      text_body: email.text,
      html_body: email.html,
      ical: email.ical?.content ?? null,
      ical_method: email.ical?.method ?? null,
      headers: JSON.stringify(email.headers ?? {}),
      status: 'pending',
      attempts: 0,
      next_attempt_at: email.notBefore ?? now,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      person_id: email.personId ?? null,
      session_id: email.sessionId ?? null,
      library_service_id: email.libraryServiceId ?? null,
      created_at: now,
      sent_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
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
