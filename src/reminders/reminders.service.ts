// Fills the outbox with reminders and alerts when they are due, and keeps each volunteer's "reminder emails" switch.
//
// Each run is idempotent: every message has a dedupe key (the outbox refuses a second copy), and
// keys already queued are skipped before anything is rendered. Reminder emails carry
// List-Unsubscribe (an https URL from BASE_URL) and List-Unsubscribe-Post (RFC 8058); invites and
// cancellations never do, and always go.
import type { AppContext } from '../context.js'
import { inTransaction } from '../db/transaction.js'
import { enqueueEmail } from '../mail/outbox.repository.js'
import { queueEach } from '../mail/queue.js'
import { queueCoordinatorAlert } from '../notifications/notify.js'
import { sessionLocation, sessionPageUrl, coordinatorSessionUrl } from '../calendar/session-event.js'
import { audit } from '../audit/audit.repository.js'
import { switchUrl, unsubscribeHeaders } from '../mail/switches.js'
import { DEFAULT_ZONE, todayIn, addDays } from '../time/wall-clock.js'
import { clockTime, formatFor } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { withLocalNames } from '../i18n/names.js'
import { recipientLocales } from '../people/recipient-language.repository.js'
import { unreportedAtBranches } from '../evidence/reports.service.js'
import * as repo from './reminders.repository.js'
import { placeCheckinUrl } from '../evidence/checkin.service.js'
import {
  describeOffsets,
  MAX_OFFSET_DAYS,
  digestDue,
  dueReminder,
  expiryReminderInstant,
  EXPIRY_NOTICE_DAYS,
  offsetsOrDefault,
  shortAlertInstant,
  type ReminderOffset,
} from './schedule.js'

const DAY = 86_400_000
export const DIGEST_AHEAD_DAYS = 14
/** Sessions without a report listed in the digest (the rest are counted and linked). */
const DIGEST_UNREPORTED_LINES = 10

// --- Session reminders -----------------------------------------------------------------------

function largestLeadDays(settings: readonly string[]): number {
  let days = 0
  for (const s of settings) {
    for (const o of offsetsOrDefault(s)) days = Math.max(days, o.kind === 'hours-before' ? Math.ceil(o.hours / 24) : o.days)
  }
  return Math.min(days, MAX_OFFSET_DAYS)
}

/** Queues every session reminder due now. Returns how many were queued. */
export async function queueSessionReminders(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now()
  const lead = largestLeadDays(await repo.reminderOffsetSettings(ctx.db))
  // Sessions far enough ahead for the earliest offset (plus a day for clock changes and "08:00 on the day").
  const places = await repo.placesStartingBetween(ctx.db, now, now + (lead + 1) * DAY + DAY)
  const offsetsBySetting = new Map<string, ReminderOffset[]>()
  const due: Array<{ place: (typeof places)[number]; reminder: NonNullable<ReturnType<typeof dueReminder>> }> = []
  for (const p of places) {
    let offsets = offsetsBySetting.get(p.reminderOffsets)
    if (!offsets) offsetsBySetting.set(p.reminderOffsets, (offsets = offsetsOrDefault(p.reminderOffsets)))
    const reminder = dueReminder({ ...p, confirmedAt: p.confirmedAt ?? p.placeUpdatedAt }, offsets, now)
    if (reminder) due.push({ place: p, reminder })
  }
  if (!due.length) return 0
  const already = await repo.existingKeys(ctx.db, due.map((d) => d.reminder.dedupeKey))
  const locales = await recipientLocales(ctx.db, due.map((d) => d.place.personId))
  return queueEach(ctx, due, async (tx, { place: p, reminder }) => {
    if (already.has(reminder.dedupeKey)) return false
    const today = todayIn(now, p.timezone) === p.localDate
    const locale = locales.get(p.personId) ?? 'en'
    const t = translator(locale)
    const fmt = formatFor(locale)
    const branch = withLocalNames(p, locale).branchName
    const words = { title: p.title, branch, time: fmt.timeRange(p.startTime, p.endTime), date: fmt.longDate(p.localDate) }
    const subject = t(today ? 'email.reminder.subjectToday' : 'email.reminder.subject', words)
    const mail = ctx.composer.compose(
      'session-reminder',
      subject,
      {
        name: p.volunteerName,
        today,
        title: p.title,
        date: words.date,
        time: words.time,
        branch,
        address: sessionLocation(p),
        arrivalNotes: p.arrivalNotes,
        notes: p.notes,
        sessionUrl: sessionPageUrl(ctx.config.baseUrl, p.sessionId),
        mySessionsUrl: `${ctx.config.baseUrl}/my-sessions`,
        remindersUrl: switchUrl(ctx, 'reminders', p.volunteerId),
        // Only on the day: the link works from an hour before the start until the end.
        checkinUrl: today ? placeCheckinUrl(ctx, p.assignmentId) : null,
      },
      locale,
    )
    return enqueueEmail(
      tx,
      {
        dedupeKey: reminder.dedupeKey,
        kind: 'reminder',
        to: { address: p.volunteerEmail, name: p.volunteerName },
        ...mail,
        headers: unsubscribeHeaders(ctx, 'reminders', p.volunteerId),
        personId: p.personId,
        sessionId: p.sessionId,
        libraryServiceId: p.libraryServiceId,
      },
      now,
    )
  })
}

// --- Coordinator alerts and digest -----------------------------------------------------------

export function shortAlertKey(sessionId: number, localDate: string, startTime: string): string {
  return `short:${sessionId}:${localDate}T${startTime}`
}

/** Alerts coordinators to sessions still below their minimum `short_alert_days` ahead (08:00 local that day). */
export async function queueShortSessionAlerts(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now()
  const days = await repo.maxShortAlertDays(ctx.db)
  const sessions = await repo.shortSessionsBetween(ctx.db, now, now + (days + 2) * DAY)
  const due = sessions.filter((s) => now >= shortAlertInstant(s.localDate, s.timezone, s.alertDays))
  if (!due.length) return 0
  // The same people queueCoordinatorAlert writes to: coordinators of the session's branch.
  const grants = await repo.coordinatorsForDigest(ctx.db)
  const keysOf = (s: (typeof due)[number]) => {
    const prefix = shortAlertKey(s.sessionId, s.localDate, s.startTime)
    const people = new Set(grants.filter((g) => g.libraryServiceId === s.libraryServiceId && (g.branchId === null || g.branchId === s.branchId)).map((g) => g.personId))
    return [...people].map((id) => `${prefix}:to:${id}`)
  }
  const already = await repo.existingKeys(ctx.db, due.flatMap(keysOf))
  const todo = due.filter((s) => keysOf(s).some((k) => !already.has(k)))
  if (!todo.length) return 0
  let queued = 0
  await inTransaction(ctx.db, async (tx) => {
    for (const s of todo) {
      const needed = s.min - s.confirmed
      queued += await queueCoordinatorAlert(tx, ctx, {
        sessionId: s.sessionId,
        dedupeKey: shortAlertKey(s.sessionId, s.localDate, s.startTime),
        subject: (locale) => translator(locale)('email.alerts.shortSubject', { count: needed, title: s.title, date: formatFor(locale).shortDate(s.localDate), branch: withLocalNames(s, locale).branchName }),
        message: (locale) => {
          const fmt = formatFor(locale)
          const t = translator(locale)
          return t('email.alerts.shortMessage', { volunteers: t('email.alerts.volunteerCount', { count: s.confirmed }), min: s.min, date: fmt.longDate(s.localDate), time: fmt.timeRange(s.startTime, s.endTime) })
        },
      })
    }
  })
  return queued
}

/** The weekly digest of gaps, Monday 08:00 in the coordinator's branches' zone: sessions below minimum in the next two weeks. */
export async function queueGapsDigests(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now()
  const grants = await repo.coordinatorsForDigest(ctx.db)
  if (!grants.length) return 0
  const branches = await repo.activeBranchZones(ctx.db)
  const settings = await repo.digestSettings(ctx.db)
  const byPerson = new Map<number, { name: string; email: string; grants: Array<{ libraryServiceId: number; branchId: number | null }> }>()
  for (const g of grants) {
    const entry = byPerson.get(g.personId) ?? { name: g.name, email: g.email, grants: [] }
    entry.grants.push({ libraryServiceId: g.libraryServiceId, branchId: g.branchId })
    byPerson.set(g.personId, entry)
  }
  const covers = (gs: Array<{ libraryServiceId: number; branchId: number | null }>, b: { id: number; library_service_id: number }) =>
    gs.some((g) => g.libraryServiceId === b.library_service_id && (g.branchId === null || g.branchId === b.id))
  let gaps: Awaited<ReturnType<typeof repo.shortSessionsBetween>> | null = null
  let queued = 0
  const locales = await recipientLocales(ctx.db, [...byPerson.keys()])
  for (const [personId, person] of byPerson) {
    const theirs = branches.filter((b) => covers(person.grants, b))
    const zone = theirs[0]?.timezone ?? DEFAULT_ZONE
    const when = settings.get(person.grants[0]!.libraryServiceId)
    const due = digestDue(now, zone, when?.day, when?.time)
    if (!due) continue
    const key = `digest:${personId}:${due.monday}`
    if ((await repo.existingKeys(ctx.db, [key])).size) continue
    gaps ??= await repo.shortSessionsBetween(ctx.db, now, now + DIGEST_AHEAD_DAYS * DAY)
    const ids = new Set(theirs.map((b) => b.id))
    const mine = gaps.filter((s) => ids.has(s.branchId))
    const unreported = await unreportedAtBranches(ctx, [...ids], DIGEST_UNREPORTED_LINES)
    // No gaps and nothing to report, no email: the digest is there to prompt action.
    if (!mine.length && !unreported.count) continue
    const locale = locales.get(personId) ?? 'en'
    const t = translator(locale)
    const fmt = formatFor(locale)
    const subject = mine.length ? t('email.gapsDigest.subjectGaps', { count: mine.length }) : t('email.gapsDigest.subjectUnreported', { count: unreported.count })
    const summary = t('email.gapsDigest.unreported', { count: unreported.count })
    const mail = ctx.composer.compose('gaps-digest', subject, {
      name: person.name,
      count: mine.length,
      sessions: mine.map((s) => ({
        title: s.title,
        branch: withLocalNames(s, locale).branchName,
        date: fmt.longDate(s.localDate),
        time: fmt.timeRange(s.startTime, s.endTime),
        needed: s.min - s.confirmed,
        staffing: t('common.count.staffing', { confirmed: s.confirmed, count: s.max }),
        url: coordinatorSessionUrl(ctx.config.baseUrl, s.sessionId),
      })),
      gapsUrl: `${ctx.config.baseUrl}/coordinate`,
      unreported: {
        count: unreported.count,
        summary: unreported.count > unreported.sessions.length ? t('email.gapsDigest.latestListed', { summary, listed: unreported.sessions.length }) : summary,
        sessions: unreported.sessions.map((s) => ({ title: s.title, branch: withLocalNames(s, locale).branch_name, date: fmt.longDate(s.local_date), url: `${ctx.config.baseUrl}/sessions/${s.id}/report` })),
        allUrl: `${ctx.config.baseUrl}/reports/unreported`,
      },
    }, locale)
    const added = await inTransaction(ctx.db, (tx) =>
      enqueueEmail(
        tx,
        { dedupeKey: key, kind: 'gaps-digest', to: { address: person.email, name: person.name }, ...mail, headers: { 'Auto-Submitted': 'auto-generated' }, personId, libraryServiceId: person.grants[0]!.libraryServiceId },
        now,
      ),
    )
    if (added) queued++
  }
  if (queued) ctx.outboxQueued(ctx.db)
  return queued
}

// --- Training and check expiry ---------------------------------------------------------------

/** Tells volunteers, 30 days ahead at 08:00 local, that a training or check runs out (unless already renewed). */
export async function queueExpiryReminders(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now()
  const today = todayIn(now, DEFAULT_ZONE)
  const records = await repo.trainingsExpiringBetween(ctx.db, addDays(today, -1), addDays(today, EXPIRY_NOTICE_DAYS + 1))
  const due = records.filter((r) => {
    const zone = r.timezone ?? DEFAULT_ZONE
    const at = expiryReminderInstant(r.expiresOn!, zone)
    // Due, not yet expired, and recorded before the notice time (a record that is already
    // nearly out when entered is the coordinator's news, not a reminder).
    return now >= at && todayIn(now, zone) <= r.expiresOn! && r.createdAt < at
  })
  if (!due.length) return 0
  const keys = due.map((r) => `expiry:${r.recordId}:${r.expiresOn}`)
  const already = await repo.existingKeys(ctx.db, keys)
  const locales = await recipientLocales(ctx.db, due.map((r) => r.personId))
  return queueEach(ctx, [...due.entries()], async (tx, [i, r]) => {
    if (already.has(keys[i]!)) return false
    const what = r.trainingKind === 'check' ? 'check' : 'training'
    const locale = locales.get(r.personId) ?? 'en'
    const expiresOn = formatFor(locale).longDate(r.expiresOn!)
    const { trainingName } = withLocalNames(r, locale)
    const mail = ctx.composer.compose(
      'training-expiry',
      translator(locale)('email.trainingExpiry.subject', { training: trainingName, date: expiresOn }),
      {
        name: r.volunteerName,
        trainingName,
        what,
        expiresOn,
        profileUrl: `${ctx.config.baseUrl}/profile`,
        remindersUrl: switchUrl(ctx, 'reminders', r.volunteerId),
      },
      locale,
    )
    return enqueueEmail(
      tx,
      { dedupeKey: keys[i]!, kind: 'expiry-reminder', to: { address: r.volunteerEmail, name: r.volunteerName }, ...mail, headers: unsubscribeHeaders(ctx, 'reminders', r.volunteerId), personId: r.personId, libraryServiceId: r.libraryServiceId },
      now,
    )
  })
}

/** The reminders section of a page: whether they are on, and when they come. */
export async function remindersPanel(ctx: AppContext, volunteerId: number, action: string, locale: Locale = 'en') {
  const v = await repo.reminderSettingsOf(ctx.db, volunteerId)
  if (!v) return null
  return { name: v.name, enabled: v.reminders_enabled === 1, when: remindersWhen(offsetsOrDefault(v.reminder_offsets), locale), action }
}

/** When reminders come, in words: English keeps describeOffsets' own (with number words), another language the catalogue's (account.reminders.offsets). */
export function remindersWhen(offsets: readonly ReminderOffset[], locale: Locale): string {
  if (locale === 'en') return describeOffsets(offsets, clockTime)
  const t = translator(locale)
  const clock = formatFor(locale).clockTime
  const w = (key: string, values?: Record<string, unknown>) => t(`account.reminders.offsets.${key}`, values)
  const days = (n: number) => (n === 1 ? w('dayBefore') : w('daysBefore', { count: n }))
  const parts = offsets.map((o) => {
    if (o.kind === 'days-before') return o.days === 0 ? w('whenStarts') : days(o.days)
    if (o.kind === 'hours-before') return o.hours === 1 ? w('hourBefore') : w('hoursBefore', { count: o.hours })
    return o.days === 0 ? w('atOnTheDay', { time: clock(o.time) }) : w('atDaysBefore', { time: clock(o.time), days: days(o.days) })
  })
  return parts.length <= 1 ? (parts[0] ?? '') : w('list', { first: parts.slice(0, -1).join(', '), last: parts[parts.length - 1] })
}
