// A person's rights over their data: download everything held about them, and erase their account.
//
// Erasure is one transaction: future places are released through the places module (so the
// calendar cancellation is queued and the waiting list moves exactly as for a withdrawal),
// coordinators are told about sessions now short, invitations end, access is revoked, and the
// person row is anonymised but kept, so past places, hours and reports stay true. Mail owed to
// them (the cancellations) still goes out; its copies are scrubbed once sent (scrubErasedMail).
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { assertAdminOf } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { audit } from '../audit/audit.repository.js'
import { ConflictError, NotFoundError } from '../errors.js'
import { releasePlaceInTx } from '../assignments/places.service.js'
import { cancelCoverOfAssignmentInTx } from '../coordination/invitations.service.js'
import { queueCoordinatorAlert } from '../notifications/notify.js'
import { formatFor } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { purgeExpiredSignInLinks } from '../auth/auth.service.js'
import * as repo from './privacy.repository.js'

export const EXPORT_FORMAT = 'champion-rota/personal-data/v1'

/** The parts of the download that are described (each a table), in the order they are described. */
const DESCRIBED = [
  'people', 'volunteers', 'role_grants', 'volunteer_skills', 'volunteer_branches', 'availability_windows', 'time_off', 'volunteer_trainings',
  'assignments', 'assignment_events', 'invitations', 'recording_links', 'attendance_marks', 'cover_requests', 'group_message_recipients',
  'outbox', 'mailbox', 'sign_in_tokens', 'login_sessions', 'feed_tokens', 'audit_log',
] as const

/** What each part of the download holds, in a language (account.dataView.fields): printed in the file itself and on the readable page. */
export function exportFields(locale: Locale = 'en'): Record<string, string> {
  const t = translator(locale)
  return Object.fromEntries(DESCRIBED.map((name) => [name, t(`account.dataView.fields.${name}`)]))
}

export const EXPORT_FIELDS: Record<string, string> = exportFields('en')

export interface PersonalData {
  format: string
  generatedAt: string
  about: { personId: number; volunteerId: number | null }
  fields: Record<string, string>
  tables: Record<string, repo.Row[]>
}

async function subjectOrThrow(ctx: AppContext, personId: number): Promise<repo.Subject> {
  const s = await repo.findSubject(ctx.db, personId)
  if (!s || s.anonymisedAt !== null) throw new NotFoundError({ key: 'account.refusal.noAccount' })
  return s
}

/** Everything held about a person; the description of each part (`fields`) in `locale`, the data as stored. */
export async function personalData(ctx: AppContext, personId: number, locale: Locale = 'en'): Promise<PersonalData> {
  const s = await subjectOrThrow(ctx, personId)
  const tables = await repo.exportRows(ctx.db, s)
  for (const row of tables.audit_log ?? []) row.detail = JSON.parse(String(row.detail))
  return {
    format: EXPORT_FORMAT,
    generatedAt: new Date(ctx.clock.now()).toISOString(),
    about: { personId: s.personId, volunteerId: s.volunteer?.id ?? null },
    fields: exportFields(locale),
    tables,
  }
}

/** A volunteer's own data. */
export function myData(ctx: AppContext, user: SignedInUser, locale: Locale = 'en'): Promise<PersonalData> {
  return personalData(ctx, user.personId, locale)
}

/** An admin answering a subject access request for a volunteer of their service (audited). */
export async function volunteerDataForAdmin(ctx: AppContext, admin: SignedInUser, volunteerId: number, locale: Locale = 'en'): Promise<PersonalData> {
  const v = await repo.personOfVolunteer(ctx.db, volunteerId)
  if (!v) throw new NotFoundError({ key: 'account.refusal.noVolunteer' })
  assertAdminOf(admin, v.libraryServiceId)
  const data = await personalData(ctx, v.personId, locale)
  await audit(ctx.db, { actorPersonId: admin.personId, libraryServiceId: v.libraryServiceId, action: 'personal_data.downloaded', objectType: 'volunteer', objectId: volunteerId, at: ctx.clock.now() })
  return data
}

export interface ErasurePreview {
  name: string
  futurePlaces: Array<{ title: string; date: string; state: string }>
}

/** What deleting the account will do, for the confirmation page. */
export async function erasurePreview(ctx: AppContext, personId: number, locale: Locale = 'en'): Promise<ErasurePreview> {
  const s = await subjectOrThrow(ctx, personId)
  const places = s.volunteer
    ? await ctx.db.transaction().execute(async (tx) => {
        const held = await repo.heldPlaces(tx, s.volunteer!.id, ctx.clock.now())
        return Promise.all(held.map(async (h) => ({ ...(await repo.sessionStaffing(tx, h.session_id)), state: h.state })))
      })
    : []
  return { name: s.name, futurePlaces: places.map((p) => ({ title: p.title, date: formatFor(locale).longDate(p.local_date), state: p.state })) }
}

export interface ErasureOutcome {
  released: number
  promoted: number
  coordinatorsAlerted: number
}

export async function eraseAccount(ctx: AppContext, personId: number, actorPersonId: number | null, via: 'self' | 'admin' | 'retention'): Promise<ErasureOutcome> {
  return inTransaction(ctx.db, async (tx) => {
    const s = await repo.findSubject(tx, personId)
    if (!s || s.anonymisedAt !== null) throw new NotFoundError({ key: 'account.refusal.noAccount' })
    if (s.volunteer === null) throw new ConflictError({ key: 'account.refusal.onlyVolunteer' })
    const now = ctx.clock.now()
    const vid = s.volunteer.id
    const outcome: ErasureOutcome = { released: 0, promoted: 0, coordinatorsAlerted: 0 }

    for (const place of await repo.heldPlaces(tx, vid, now)) {
      const released = await releasePlaceInTx(tx, ctx, { sessionId: place.session_id, volunteerId: vid, toState: 'withdrawn', actorPersonId, reason: 'Left the service', toldReason: (l) => translator(l)('email.reasons.leftTheService'), wording: 'withdrew' })
      if (released.kind === 'released') await cancelCoverOfAssignmentInTx(tx, ctx, released.assignmentId)
      if (released.kind !== 'released' || place.state !== 'confirmed') continue
      outcome.released++
      outcome.promoted += released.promoted.length
      const after = await repo.sessionStaffing(tx, place.session_id)
      if (after.confirmed_count < after.min_volunteers) {
        // No name here: this mail outlives the person's erasure.
        outcome.coordinatorsAlerted += await queueCoordinatorAlert(tx, ctx, {
          sessionId: place.session_id,
          dedupeKey: `volunteer-left:${vid}:${place.session_id}`,
          subject: (locale) => translator(locale)('email.alerts.leftSubject', { title: after.title, date: formatFor(locale).longDate(after.local_date) }),
          message: (locale) => {
            const t = translator(locale)
            return t('email.alerts.leftMessage', { staffed: t('email.alerts.staffed', { confirmed: after.confirmed_count, needed: after.min_volunteers }) })
          },
        })
      }
    }
    await repo.settlePendingInvitations(tx, vid, now)
    await repo.dropQueuedMail(tx, personId, now)
    await repo.scrubMailMentioning(tx, personId, [s.name, s.email, s.phone ?? '', escapeHtml(s.name)].filter((n, i, a) => n && a.indexOf(n) === i), 'a former volunteer')
    await repo.scrubDeliveredMailOf(tx, personId, repo.erasedAddress(personId))
    await repo.scrubAuditFreeText(tx, personId)
    await repo.eraseVolunteerDetails(tx, vid, now)
    await repo.revokeAccess(tx, personId, s.email, now)
    await repo.anonymisePerson(tx, personId, now)
    await audit(tx, {
      actorPersonId: via === 'self' ? null : actorPersonId,
      libraryServiceId: s.volunteer.libraryServiceId,
      action: 'volunteer.erased',
      objectType: 'volunteer',
      objectId: vid,
      detail: { via, placesReleased: outcome.released },
      at: now,
    })
    return outcome
  })
}

/** A volunteer deletes their own account. */
export function eraseMyAccount(ctx: AppContext, user: SignedInUser): Promise<ErasureOutcome> {
  return eraseAccount(ctx, user.personId, user.personId, 'self')
}

/** An admin carries out an erasure request for a volunteer of their service. */
export async function eraseVolunteerForAdmin(ctx: AppContext, admin: SignedInUser, volunteerId: number): Promise<ErasureOutcome> {
  const v = await repo.personOfVolunteer(ctx.db, volunteerId)
  if (!v) throw new NotFoundError({ key: 'account.refusal.noVolunteer' })
  assertAdminOf(admin, v.libraryServiceId)
  if (v.personId === admin.personId) throw new ConflictError({ key: 'account.refusal.ownAccount' })
  return eraseAccount(ctx, v.personId, admin.personId, 'admin')
}

/** After the worker has sent what was owed to erased people, their copies lose address and content. */
export async function scrubErasedMail(ctx: AppContext): Promise<number> {
  let n = 0
  for (const personId of await repo.anonymisedPeopleWithMailToScrub(ctx.db)) n += await repo.scrubDeliveredMailOf(ctx.db, personId, repo.erasedAddress(personId))
  return n
}

/** When someone who left at `leftAt`'s details are due to go: the same day `months` later, UTC. */
export function retentionCutoff(now: number, months: number): number {
  const d = new Date(now)
  d.setUTCMonth(d.getUTCMonth() - months)
  return d.getTime()
}

/**
 * The retention job: volunteers who left longer ago than their service keeps details are
 * anonymised exactly as if they had deleted their account; expired sign-in sessions and links go.
 */
export async function applyRetention(ctx: AppContext): Promise<{ anonymised: number; sessions: number }> {
  const now = ctx.clock.now()
  let anonymised = 0
  for (const service of await repo.retentionPeriods(ctx.db)) {
    for (const personId of await repo.leftLongAgo(ctx.db, service.id, retentionCutoff(now, service.retention_months))) {
      await eraseAccount(ctx, personId, null, 'retention')
      anonymised++
    }
  }
  const sessions = await repo.deleteExpiredLoginSessions(ctx.db, now)
  await purgeExpiredSignInLinks(ctx)
  return { anonymised, sessions }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}
