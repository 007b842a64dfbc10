// SQL for sign-in links and login sessions (both stored only as hashes).
import type { ExpressionBuilder } from 'kysely'
import type { Db, Tx } from '../db/connect.js'
import type { Database } from '../db/schema.js'

export async function insertSignInToken(
  tx: Tx,
  row: { tokenHash: string; email: string; clientKey: string; now: number; expiresAt: number },
): Promise<void> {
  await tx
    .insertInto('sign_in_tokens')
    .values({
      token_hash: row.tokenHash,
      email: row.email,
      client_key: row.clientKey,
      created_at: row.now,
      expires_at: row.expiresAt,
      used_at: null,
    })
    .execute()
}

export async function countRecentSignInTokens(db: Db | Tx, email: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('sign_in_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** What makes a sign-in token usable at `now`: not spent and not expired (finding one and spending one check the same). */
function usableAt(now: number) {
  return (eb: ExpressionBuilder<Database, 'sign_in_tokens'>) => eb.and([eb('used_at', 'is', null), eb('expires_at', '>', now)])
}

/** The newest link for an address that could still be used (to send it again instead of a new one). */
export async function findNewestUsableSignInToken(db: Db | Tx, email: string, now: number): Promise<{ tokenHash: string } | null> {
  const row = await db
    .selectFrom('sign_in_tokens')
    .select('token_hash')
    .where('email', '=', email)
    .where(usableAt(now))
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { tokenHash: row.token_hash } : null
}

/** The person an address belongs to, with the name the email greets (one query whether or not there is one). */
export async function findPersonForSignIn(db: Db | Tx, email: string): Promise<{ id: number; name: string } | null> {
  const row = await db.selectFrom('people').select(['id', 'name']).where('email', '=', email).where('anonymised_at', 'is', null).executeTakeFirst()
  return row ?? null
}

/** A token that could still be used (for showing the confirm page; does not spend it). */
export async function findUsableSignInToken(db: Db, tokenHash: string, now: number): Promise<{ email: string } | null> {
  const row = await db
    .selectFrom('sign_in_tokens')
    .select('email')
    .where('token_hash', '=', tokenHash)
    .where(usableAt(now))
    .executeTakeFirst()
  return row ?? null
}

/** Spends a token atomically: of two requests racing, only one gets the email back. */
export async function spendSignInToken(tx: Tx, tokenHash: string, now: number): Promise<string | null> {
  const row = await tx
    .updateTable('sign_in_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where(usableAt(now))
    .returning('email')
    .executeTakeFirst()
  return row?.email ?? null
}

export async function deleteOldSignInTokens(db: Db, before: number): Promise<void> {
  await db.deleteFrom('sign_in_tokens').where('created_at', '<', before).execute()
}

export async function insertLoginSession(
  tx: Tx,
  row: { idHash: string; personId: number; now: number; expiresAt: number },
): Promise<void> {
  await tx
    .insertInto('login_sessions')
    .values({ id_hash: row.idHash, person_id: row.personId, created_at: row.now, last_seen_at: row.now, expires_at: row.expiresAt })
    .execute()
}

export async function touchLoginSession(db: Db, idHash: string, now: number): Promise<void> {
  await db.updateTable('login_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute()
}

export async function deleteLoginSession(db: Db | Tx, idHash: string): Promise<void> {
  await db.deleteFrom('login_sessions').where('id_hash', '=', idHash).execute()
}

export async function deleteLoginSessionsOf(db: Db | Tx, personId: number): Promise<void> {
  await db.deleteFrom('login_sessions').where('person_id', '=', personId).execute()
}
