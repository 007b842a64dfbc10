// SQL for the development mailbox (mail kept in the database when no SMTP_URL is set).
import type { Insertable } from 'kysely'
import type { Db } from '../db/connect.js'
import type { MailboxTable } from '../db/schema.js'

export async function listMail(db: Db, limit: number, to?: string) {
  let q = db.selectFrom('mailbox').selectAll().orderBy('id', 'desc').limit(limit)
  if (to) q = q.where('to_address', '=', to)
  return q.execute()
}

export async function findMail(db: Db, id: number) {
  return db.selectFrom('mailbox').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A message "sent" by the database transport. */
export async function keepInMailbox(db: Db, message: Insertable<MailboxTable>): Promise<void> {
  await db.insertInto('mailbox').values(message).execute()
}
