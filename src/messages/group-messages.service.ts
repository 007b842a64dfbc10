// Messages from a coordinator to a group of volunteers: choosing the audience within scope, the preview, the send (one outbox row each), the daily limit, the sent list, and the volunteer's one-click switch.
//
// The count shown on the preview is recomputed inside the send's transaction and the rows queued
// are exactly that list; if it changed since the preview, nothing is sent and the coordinator is
// told. Each copy's dedupe key ('group-message:<message>:<volunteer>') makes a retried send, or a
// worker killed mid-batch, queue and deliver each copy once.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import type { GroupAudienceKind } from '../db/schema.js'
import type { Db, Tx } from '../db/connect.js'
import { inTransaction } from '../db/transaction.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Wording } from '../errors.js'
import { FormReader, sayIn, type FormBody } from '../forms/fields.js'
import { audit } from '../audit/audit.repository.js'
import { enqueueEmail } from '../mail/outbox.repository.js'
import { switchUrl, unsubscribeHeaders } from '../mail/switches.js'
import { sessionPageUrl } from '../calendar/session-event.js'
import { assertSessionInScope, branchInScope, scopeOf, type Scope } from '../coordination/scope.js'
import { serviceForMail } from '../coordination/volunteers.repository.js'
import { formatFor } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { withLocalNames } from '../i18n/names.js'
import { recipientLocales } from '../people/recipient-language.repository.js'
import { localName } from '../i18n/names.js'
import { audienceLabel, namesOf, storedAudience, type AudienceDetail } from './audience-wording.js'
import * as repo from './group-messages.repository.js'

export const SUBJECT_MAX = 150
export const BODY_MAX = 5000
/** Group messages one coordinator may send to one library service in any 24 hours. */
export const DAILY_LIMIT = 5
const DAY = 86_400_000
const KINDS: readonly GroupAudienceKind[] = ['session', 'branch', 'skill']

export function dedupeKeyFor(messageId: number, volunteerId: number): string {
  return `group-message:${messageId}:${volunteerId}`
}

// ── The audience ─────────────────────────────────────────────────────────────

export interface Audience {
  kind: GroupAudienceKind
  id: number
  /** Who it is, as data: worded in each reader's language (audience-wording.ts), and stored with the message. */
  detail: AudienceDetail
  /** The same in English ("Volunteers at Central Library"), stored beside it as it read when sent. */
  label: string
  libraryServiceId: number
  timezone: string
  /** Why a volunteer gets it, after "You are getting this because", in the volunteer's language. */
  why: (locale: Locale) => string
  sessionId: number | null
  recipients: repo.Recipient[]
}

/** 'session:12' → { kind, id }; anything else null. */
export function parseAudience(value: unknown): { kind: GroupAudienceKind; id: number } | null {
  const m = typeof value === 'string' ? /^(session|branch|skill):([1-9][0-9]{0,8})$/.exec(value.trim()) : null
  if (!m || !KINDS.includes(m[1] as GroupAudienceKind)) return null
  return { kind: m[1] as GroupAudienceKind, id: Number(m[2]) }
}

/** Who an audience reaches, refused (403/404) when it is outside the coordinator's branches. */
export async function resolveAudience(db: Db | Tx, user: SignedInUser, scope: Scope, kind: GroupAudienceKind, id: number): Promise<Audience> {
  if (kind === 'session') {
    const { branch } = await assertSessionInScope(db, user, id)
    const s = await repo.sessionForAudience(db, id)
    if (!s) throw new NotFoundError({ key: 'messages.refusal.noSession' })
    const detail: AudienceDetail = { kind: 'session', title: s.title, date: s.local_date, start: s.start_time, end: s.end_time, branch: namesOf({ name: s.branchName, name_cy: s.branchNameCy }) }
    return {
      kind,
      id,
      detail,
      label: audienceLabel(detail, 'en'),
      libraryServiceId: branch.library_service_id,
      timezone: branch.timezone,
      why: (locale) => {
        const fmt = formatFor(locale)
        return translator(locale)('email.groupMessage.whySession', { title: s.title, branch: withLocalNames(s, locale).branchName, date: fmt.longDate(s.local_date), time: fmt.timeRange(s.start_time, s.end_time) })
      },
      sessionId: s.id,
      recipients: await repo.sessionRecipients(db, id),
    }
  }
  if (kind === 'branch') {
    const branch = await branchInScope(db, user, id)
    const detail: AudienceDetail = { kind: 'branch', branch: namesOf(branch) }
    return { kind, id, detail, label: audienceLabel(detail, 'en'), libraryServiceId: branch.library_service_id, timezone: branch.timezone, why: (locale) => translator(locale)('email.groupMessage.whyBranch', { branch: branch.name }), sessionId: null, recipients: await repo.branchRecipients(db, id) }
  }
  const skill = await repo.findSkill(db, id)
  if (!skill) throw new NotFoundError({ key: 'messages.refusal.noSkill' })
  // Only the coordinator's own branches of the skill's service: a branch coordinator reaches their branches' volunteers, no one else's.
  const branches = scope.branches.filter((b) => b.library_service_id === skill.library_service_id)
  if (!branches.length) throw new ForbiddenError({ key: 'messages.refusal.notYourService' })
  const detail: AudienceDetail = { kind: 'skill', skill: namesOf(skill), skillKind: skill.kind === 'language' ? 'language' : 'topic', branch: branches.length === 1 ? namesOf(branches[0]!) : null }
  return {
    kind,
    id,
    detail,
    label: audienceLabel(detail, 'en'),
    libraryServiceId: skill.library_service_id,
    timezone: branches[0]!.timezone,
    why: (locale) => translator(locale)(skill.kind === 'language' ? 'email.groupMessage.whyLanguage' : 'email.groupMessage.whySkill', { skill: withLocalNames(skill, locale).name }),
    sessionId: null,
    recipients: await repo.skillRecipients(db, id, branches.map((b) => b.id)),
  }
}

/** What the audience list offers: sessions to come, branches and skills, all within scope, worded in `locale`. */
export async function messageForm(ctx: AppContext, user: SignedInUser, sessionId: number | null, locale: Locale = 'en') {
  const t = translator(locale)
  const fmt = formatFor(locale)
  const scope = await scopeOf(ctx, user)
  const sessions = await repo.upcomingSessionsIn(ctx.db, scope.branchIds, ctx.clock.now())
  const options = {
    sessions: sessions.map((s) => ({
      value: `session:${s.id}`,
      label: t('messages.audience.sessionOption', { title: s.title, date: fmt.shortDate(s.local_date), time: fmt.timeRange(s.start_time, s.end_time), branch: localName({ name: s.branchName, name_cy: s.branchNameCy }, locale) }),
    })),
    branches: scope.branches.filter((b) => b.active === 1).map((b) => ({ value: `branch:${b.id}`, label: audienceLabel({ kind: 'branch', branch: namesOf(b) }, locale) })),
    skills: (await repo.skillsOfServices(ctx.db, scope.serviceIds)).map((s) => ({ value: `skill:${s.id}`, label: t(s.kind === 'language' ? 'messages.audience.language' : 'messages.audience.topicOption', { skill: localName(s, locale) }) })),
  }
  let chosen = ''
  if (sessionId !== null) {
    // Linked from a session's page: that session, even if it has already started.
    const audience = await resolveAudience(ctx.db, user, scope, 'session', sessionId)
    chosen = `session:${sessionId}`
    if (!options.sessions.some((o) => o.value === chosen)) options.sessions.unshift({ value: chosen, label: audienceLabel(audience.detail, locale) })
  }
  return { options, values: { audience: chosen, subject: '', body: '' }, subjectMax: SUBJECT_MAX, bodyMax: BODY_MAX }
}

interface Draft {
  audience: Audience
  subject: string
  body: string
}

/** Reads the form: an audience in scope (403/404 otherwise), a subject and a body; its errors in `locale`. */
async function readDraft(db: Db | Tx, user: SignedInUser, scope: Scope, body: FormBody, locale: Locale): Promise<Draft> {
  const t = translator(locale)
  const form = new FormReader(body, sayIn(t))
  const chosen = parseAudience(body.audience)
  if (!chosen) form.fail('audience', t('messages.errors.audience'))
  const subject = form.line('subject', { label: t('messages.errors.subject'), what: t('messages.errors.aSubject'), max: SUBJECT_MAX, required: true })
  // Plain text: no more than one empty line between paragraphs, no spaces at line ends.
  const text = form.paragraph('body', { label: t('messages.errors.message'), what: t('messages.errors.theMessage'), max: BODY_MAX, required: true }).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n')
  form.done()
  const audience = await resolveAudience(db, user, scope, chosen!.kind, chosen!.id)
  if (audience.recipients.length === 0) throw new ValidationError([{ field: 'audience', message: t('messages.errors.nobody') }])
  return { audience, subject, body: text }
}

/** The refusal once a coordinator has sent DAILY_LIMIT messages to this service in 24 hours (its time written in `locale`), or null. */
function limitReached(times: readonly number[], zone: string, locale: Locale): Wording | null {
  if (times.length < DAILY_LIMIT) return null
  const from = times[times.length - DAILY_LIMIT]! + DAY
  return { key: 'messages.errors.limit', values: { count: DAILY_LIMIT, time: formatFor(locale).instant(from, zone) } }
}

function compose(ctx: AppContext, draft: Draft, sender: SignedInUser, service: string, name: string, volunteerId: number | null, locale: Locale = 'en') {
  const unsubscribable = draft.audience.kind !== 'session'
  return ctx.composer.compose('group-message', draft.subject, {
    name,
    coordinator: sender.name,
    service,
    message: draft.body,
    paragraphs: draft.body.split(/\n\n/).map((p) => p.split('\n')),
    why: draft.audience.why(locale),
    sessionUrl: draft.audience.sessionId !== null ? sessionPageUrl(ctx.config.baseUrl, draft.audience.sessionId) : null,
    stopUrl: unsubscribable ? (volunteerId !== null ? switchUrl(ctx, 'group-messages', volunteerId) : translator(locale)('messages.preview.theirLink')) : null,
  }, locale)
}

export interface Preview {
  audience: { value: string; label: string }
  count: number
  subject: string
  body: string
  email: { subject: string; text: string; html: string }
  replyTo: string
  unsubscribable: boolean
  /** Set when the limit is reached: the preview shows it and offers no Send button. */
  refusal: string | null
}

async function previewOf(ctx: AppContext, user: SignedInUser, draft: Draft, locale: Locale): Promise<Preview> {
  const service = await serviceForMail(ctx.db, draft.audience.libraryServiceId)
  const times = await repo.sentTimesSince(ctx.db, user.personId, draft.audience.libraryServiceId, ctx.clock.now() - DAY)
  const limit = limitReached(times, draft.audience.timezone, locale)
  return {
    audience: { value: `${draft.audience.kind}:${draft.audience.id}`, label: audienceLabel(draft.audience.detail, locale) },
    count: draft.audience.recipients.length,
    subject: draft.subject,
    body: draft.body,
    // As it will look, in the page's language (each volunteer gets it in their own).
    email: compose(ctx, draft, user, service.name, translator(locale)('messages.preview.theirName'), null, locale),
    replyTo: user.email,
    unsubscribable: draft.audience.kind !== 'session',
    refusal: limit && translator(locale)(limit.key, limit.values),
  }
}

/** The "Preview" step: how many will receive it, and the email as it will look, worded in `locale`. */
export async function previewMessage(ctx: AppContext, user: SignedInUser, body: FormBody, locale: Locale = 'en'): Promise<Preview> {
  return previewOf(ctx, user, await readDraft(ctx.db, user, await scopeOf(ctx, user), body, locale), locale)
}

export type SendResult = { kind: 'sent'; messageId: number; count: number } | { kind: 'changed'; previous: number; preview: Preview }

/**
 * The "Send" step. `count` is what the preview showed: if the audience has changed since, nothing
 * is queued and the new preview says so. Otherwise one outbox row per recipient, in one transaction
 * with the message, its recipients and the audit entry.
 */
export async function sendMessage(ctx: AppContext, user: SignedInUser, body: FormBody, locale: Locale = 'en'): Promise<SendResult> {
  const shown = Number(typeof body.count === 'string' ? body.count : NaN)
  // Read before the transaction: on SQLite a query outside it would wait for it to end.
  const scope = await scopeOf(ctx, user)
  const result = await inTransaction(ctx.db, async (tx): Promise<SendResult | { kind: 'recount'; draft: Draft }> => {
    await repo.lockSender(tx, user.personId, ctx.dialect === 'postgres')
    const draft = await readDraft(tx, user, scope, body, locale)
    const now = ctx.clock.now()
    const refusal = limitReached(await repo.sentTimesSince(tx, user.personId, draft.audience.libraryServiceId, now - DAY), draft.audience.timezone, locale)
    if (refusal) throw new ConflictError(refusal)
    const recipients = draft.audience.recipients
    if (!Number.isInteger(shown) || shown !== recipients.length) return { kind: 'recount', draft }
    const service = await serviceForMail(tx, draft.audience.libraryServiceId)
    const messageId = await repo.insertGroupMessage(tx, {
      libraryServiceId: draft.audience.libraryServiceId,
      senderPersonId: user.personId,
      audienceKind: draft.audience.kind,
      audienceId: draft.audience.id,
      audienceLabel: draft.audience.label,
      audienceDetail: JSON.stringify(draft.audience.detail),
      subject: draft.subject,
      body: draft.body,
      recipientCount: recipients.length,
      now,
    })
    const locales = await recipientLocales(tx, recipients.map((r) => r.personId))
    for (const r of recipients) {
      const mail = compose(ctx, draft, user, service.name, r.name, r.volunteerId, locales.get(r.personId))
      await enqueueEmail(
        tx,
        {
          dedupeKey: dedupeKeyFor(messageId, r.volunteerId),
          kind: 'group-message',
          to: { address: r.email, name: r.name },
          ...mail,
          replyTo: { address: user.email, name: user.name },
          headers: draft.audience.kind === 'session' ? {} : unsubscribeHeaders(ctx, 'group-messages', r.volunteerId),
          personId: r.personId,
          sessionId: draft.audience.sessionId,
          libraryServiceId: draft.audience.libraryServiceId,
        },
        now,
      )
    }
    await repo.insertRecipients(tx, recipients.map((r) => ({ messageId, volunteerId: r.volunteerId, dedupeKey: dedupeKeyFor(messageId, r.volunteerId) })))
    // The audit keeps who was written to and how many, never the words.
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: draft.audience.libraryServiceId, action: 'message.sent', objectType: 'group_message', objectId: messageId, detail: { audienceKind: draft.audience.kind, audienceId: draft.audience.id, count: recipients.length }, at: now })
    ctx.outboxQueued(tx)
    return { kind: 'sent', messageId, count: recipients.length }
  })
  if (result.kind === 'recount') return { kind: 'changed', previous: shown, preview: await previewOf(ctx, user, result.draft, locale) }
  return result
}

// ── Sent messages ────────────────────────────────────────────────────────────

const AUDIENCE_WORDS: Record<GroupAudienceKind, string> = { session: 'A session', branch: 'A branch', skill: 'A skill or language' }

/** The sender's messages, newest first, each audience worded in `locale` (or as sent, for older ones). */
export async function sentMessages(ctx: AppContext, user: SignedInUser, locale: Locale = 'en') {
  const scope = await scopeOf(ctx, user)
  const rows = await repo.messagesSentBy(ctx.db, user.personId, scope.serviceIds)
  const zone = scope.branches[0]?.timezone
  const fmt = formatFor(locale)
  return rows.map((m) => {
    const audience = storedAudience(m, locale)
    return { id: m.id, subject: m.subject, audience: audience.text, audienceLang: audience.lang, audienceKind: AUDIENCE_WORDS[m.audience_kind], kind: m.audience_kind, count: m.recipient_count, sent: fmt.instant(Number(m.created_at), zone), sentAt: Number(m.created_at), zone }
  })
}

const STATE_WORDS: Record<string, { label: string; colour: string }> = {
  pending: { label: 'Queued', colour: 'blue' },
  sending: { label: 'Sending', colour: 'blue' },
  sent: { label: 'Sent', colour: 'green' },
  failed: { label: 'Failed', colour: 'red' },
}

/** One sent message with its recipients and each copy's delivery state; only its sender sees it. */
export async function sentMessage(ctx: AppContext, user: SignedInUser, messageId: number, locale: Locale = 'en') {
  const m = await repo.findMessage(ctx.db, messageId)
  const scope = await scopeOf(ctx, user)
  // Someone else's message is "not found", so ids reveal nothing.
  if (!m || m.sender_person_id !== user.personId || !scope.serviceIds.includes(m.library_service_id)) throw new NotFoundError({ key: 'messages.refusal.noMessage' })
  const recipients = await repo.recipientsOf(ctx.db, messageId)
  const zone = scope.branches[0]?.timezone
  const audience = storedAudience(m, locale)
  return {
    id: m.id,
    subject: m.subject,
    body: m.body,
    audience: audience.text,
    audienceLang: audience.lang,
    audienceKind: AUDIENCE_WORDS[m.audience_kind],
    kind: m.audience_kind,
    count: m.recipient_count,
    sent: formatFor(locale).instant(Number(m.created_at), zone),
    sentAt: Number(m.created_at),
    zone,
    recipients: recipients.map((r) => ({
      volunteerId: r.volunteerId,
      name: r.anonymisedAt ? 'A former volunteer' : r.name,
      linked: !r.anonymisedAt,
      // A sent copy leaves the outbox after the keeping period: it was sent.
      state: r.status ? STATE_WORDS[r.status]! : { label: 'Sent', colour: 'green' },
      stateKey: r.status ?? 'sent',
    })),
    summary: summarise(recipients.map((r) => r.status ?? 'sent')),
    /** The summary's figures, for pages that say it in their own language. */
    counts: countStates(recipients.map((r) => r.status ?? 'sent')),
  }
}

function countStates(states: readonly string[]): { sent: number; queued: number; failed: number } {
  const n = (s: string) => states.filter((x) => x === s).length
  return { sent: n('sent'), queued: n('pending') + n('sending'), failed: n('failed') }
}

function summarise(states: readonly string[]): string {
  const n = (s: string) => states.filter((x) => x === s).length
  const parts = [`${n('sent')} sent`]
  const queued = n('pending') + n('sending')
  if (queued) parts.push(`${queued} queued`)
  if (n('failed')) parts.push(`${n('failed')} failed`)
  return parts.join(', ')
}
