// The development mailbox as pages read it: the latest messages, or one message (NotFoundError when it is not there).
import type { Db } from '../db/connect.js'
import { NotFoundError } from '../errors.js'
import { findMail, listMail } from './devmail.repository.js'

export type MailboxMessage = Awaited<ReturnType<typeof listMail>>[number]

export async function latestMail(db: Db, limit: number, to?: string): Promise<MailboxMessage[]> {
  return listMail(db, limit, to)
}

export async function mailboxMessage(db: Db, id: number): Promise<MailboxMessage> {
  const row = await findMail(db, id)
  if (!row) throw new NotFoundError({ key: 'admin.refusal.notInMailbox' })
  return row
}
