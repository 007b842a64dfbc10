// What coordinators see of the outbox: emails that could not be delivered to their volunteers, and trying one again.
import type { Locale } from '../i18n/i18n.js'
import { allWithLocalNames } from '../i18n/names.js'
import type { AppContext } from '../context.js'
import { singleBranchIds, wholeServiceIds, type SignedInUser } from '../auth/access.js'
import { audit } from '../audit/audit.repository.js'
import { NotFoundError } from '../errors.js'
import { purgeMailBefore, retryFailed, undeliveredInScope, type MailScope } from './outbox.repository.js'

const DAY = 86_400_000
/** Shown for this long: older problems are history, not something to act on. */
export const UNDELIVERED_WINDOW_DAYS = 30
/** A message still failing after this many tries is shown as "still trying". */
export const STUCK_AFTER_ATTEMPTS = 3
export const KEEP_MAIL_DAYS = 90

export function mailScope(user: SignedInUser): MailScope {
  return { serviceIds: wholeServiceIds(user), branchIds: singleBranchIds(user) }
}

const KIND_LABELS: Record<string, string> = {
  invite: 'Booking confirmation',
  update: 'Session change',
  cancellation: 'Cancellation',
  reminder: 'Session reminder',
  'expiry-reminder': 'Training reminder',
  'coordinator-alert': 'Alert to a coordinator',
  'gaps-digest': 'Weekly gaps email',
}

function clip(text: string, length = 240): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text
}

/** explainFailure in the catalogue's terms (admin.undelivered.reasons.*), for a page in either language. */
export function failureReason(error: string | null): { key: 'unknown' | 'addressRefused' | 'refused' | 'unreachable' | null; detail: string } {
  if (!error) return { key: 'unknown', detail: '' }
  if (/\b55[0-3]\b/.test(error) && /RCPT|recipient|user|mailbox|address/i.test(error)) return { key: 'addressRefused', detail: clip(error) }
  if (/\b5\d\d\b/.test(error)) return { key: 'refused', detail: clip(error) }
  if (/ECONNREFUSED|ECONNECTION|ETIMEDOUT|ESOCKET|ENOTFOUND|\b4\d\d\b/.test(error)) return { key: 'unreachable', detail: clip(error) }
  return { key: null, detail: clip(error) }
}

/** The kinds of email, as admin.undelivered.kinds.* names them. */
const KIND_KEYS: Record<string, string> = {
  invite: 'invite',
  update: 'update',
  cancellation: 'cancellation',
  reminder: 'reminder',
  'expiry-reminder': 'expiryReminder',
  'coordinator-alert': 'coordinatorAlert',
  'gaps-digest': 'gapsDigest',
}

/** The receiving server's reply in plain words, keeping the code for whoever fixes it. */
export function explainFailure(error: string | null): string {
  if (!error) return 'Unknown reason'
  if (/\b55[0-3]\b/.test(error) && /RCPT|recipient|user|mailbox|address/i.test(error)) return `The email address was refused by the receiving mail server (${clip(error)})`
  if (/\b5\d\d\b/.test(error)) return `The receiving mail server refused the email (${clip(error)})`
  if (/ECONNREFUSED|ECONNECTION|ETIMEDOUT|ESOCKET|ENOTFOUND|\b4\d\d\b/.test(error)) return `The mail server could not be reached or asked us to try later (${clip(error)})`
  return clip(error)
}

export interface UndeliveredEmail {
  id: number
  what: string
  /** `what` as a key under admin.undelivered.kinds. */
  kindKey: string
  to: string
  subject: string
  gaveUp: boolean
  attempts: number
  reason: string
  /** `reason` as a key under admin.undelivered.reasons (null: the server's own words, `detail`). */
  failure: ReturnType<typeof failureReason>
  createdAt: number
  nextAttemptAt: number
  libraryServiceId: number | null
  session: { id: number; title: string; date: string; branch: string } | null
}

/** `locale`: the page's language, for the branches' names (src/i18n/names.ts). */
export async function undeliveredEmails(ctx: AppContext, user: SignedInUser, locale: Locale = 'en'): Promise<UndeliveredEmail[]> {
  const since = ctx.clock.now() - UNDELIVERED_WINDOW_DAYS * DAY
  const rows = allWithLocalNames(await undeliveredInScope(ctx.db, mailScope(user), since, STUCK_AFTER_ATTEMPTS), locale)
  return rows.map((r) => ({
    id: r.id,
    what: KIND_LABELS[r.kind] ?? 'Email',
    kindKey: KIND_KEYS[r.kind] ?? 'other',
    to: r.toName ? `${r.toName} (${r.toAddress})` : r.toAddress,
    subject: r.subject,
    gaveUp: r.status === 'failed',
    attempts: r.attempts,
    reason: explainFailure(r.lastError),
    failure: failureReason(r.lastError),
    createdAt: r.createdAt,
    nextAttemptAt: r.nextAttemptAt,
    libraryServiceId: r.libraryServiceId,
    session: r.sessionId !== null && r.sessionTitle !== null ? { id: r.sessionId, title: r.sessionTitle, date: r.sessionDate ?? '', branch: r.branchName ?? '' } : null,
  }))
}

/** Tries a given-up email again, if it is one this coordinator may see. */
export async function retryUndelivered(ctx: AppContext, user: SignedInUser, outboxId: number): Promise<void> {
  const visible = (await undeliveredEmails(ctx, user)).find((m) => m.id === outboxId && m.gaveUp)
  if (!visible) throw new NotFoundError({ key: 'admin.refusal.notUndelivered' })
  const now = ctx.clock.now()
  if (await retryFailed(ctx.db, outboxId, now)) {
    await audit(ctx.db, { actorPersonId: user.personId, libraryServiceId: visible.libraryServiceId, action: 'email.retry', objectType: 'outbox', objectId: outboxId, at: now })
    ctx.outboxQueued(ctx.db)
  }
}

export async function purgeOldMail(ctx: AppContext): Promise<number> {
  return purgeMailBefore(ctx.db, ctx.clock.now() - KEEP_MAIL_DAYS * DAY)
}

/** For the coordinator's home page: how many emails to their volunteers need a look. */
export async function coordinatorMailPanel(ctx: AppContext, user: SignedInUser): Promise<{ undelivered: number }> {
  return { undelivered: (await undeliveredEmails(ctx, user)).length }
}
