// What people are told when a place changes: calendar invites, updates and cancellations, and coordinator alerts.
//
// Every function here runs inside the caller's transaction and only writes to the outbox (never
// waits on SMTP). Each calendar message bumps the assignment's SEQUENCE first, so SEQUENCE never
// goes backwards, also across withdraw-then-rebook.
import type { AppContext } from '../context.js'
import type { Db, Tx } from '../db/connect.js'
import { buildInvite, type CalendarEvent } from '../calendar/ics.js'
import { coordinatorSessionUrl, sessionLocation, sessionPageUrl, volunteerEvent } from '../calendar/session-event.js'
import { enqueueEmail } from '../mail/outbox.repository.js'
import {
  bumpSequence,
  confirmedAssignmentIds,
  coordinatorsOfBranch,
  currentSequence,
  loadAssignment,
  sessionForAlert,
  type AssignmentContext,
} from './notify.repository.js'
import { formatFor } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { withLocalNames } from '../i18n/names.js'
import { recipientLocales } from '../people/recipient-language.repository.js'

export type ConfirmWording = 'booked' | 'assigned' | 'promoted' | 'accepted'
export type CancelWording = 'withdrew' | 'removed' | 'session-cancelled' | 'cannot-make-it' | 'covered'

export function sessionUrl(ctx: AppContext, sessionId: number): string {
  return sessionPageUrl(ctx.config.baseUrl, sessionId)
}

function location(a: AssignmentContext): string {
  return sessionLocation(a)
}

function eventFor(ctx: AppContext, a: AssignmentContext, sequence: number, cancelled: boolean, now: number, locale: Locale): CalendarEvent {
  return volunteerEvent(
    { baseUrl: ctx.config.baseUrl, organizer: { name: ctx.config.mailFrom.name, email: ctx.config.mailFrom.address } },
    a,
    { volunteerId: a.volunteerId, sequence, stampMs: now, cancelled, attendee: { name: a.volunteerName, email: a.volunteerEmail } },
    locale,
  )
}

const CONFIRM_SUBJECT: Record<ConfirmWording, string> = {
  booked: 'email.notify.confirmBooked',
  assigned: 'email.notify.confirmAssigned',
  promoted: 'email.notify.confirmPromoted',
  accepted: 'email.notify.confirmBooked',
}

const CANCEL_SUBJECT: Record<CancelWording, string> = {
  withdrew: 'email.notify.cancelWithdrew',
  'cannot-make-it': 'email.notify.cancelWithdrew',
  covered: 'email.notify.cancelCovered',
  removed: 'email.notify.cancelRemoved',
  'session-cancelled': 'email.notify.cancelSession',
}

/** A subject of the kind "Cancelled: {title}, {date}" in the recipient's language. */
function subjectFor(key: string, a: AssignmentContext, locale: Locale): string {
  return translator(locale)(key, { title: a.title, date: formatFor(locale).longDate(a.localDate) })
}

/** Words a caller gives for an email: the same in every language, or made for the recipient's. */
export type Wording = string | ((locale: Locale) => string)

export function inLocale(wording: Wording, locale: Locale): string {
  return typeof wording === 'string' ? wording : wording(locale)
}

function mailData(ctx: AppContext, a: AssignmentContext, locale: Locale) {
  const fmt = formatFor(locale)
  return {
    name: a.volunteerName,
    title: a.title,
    date: fmt.longDate(a.localDate),
    time: fmt.timeRange(a.startTime, a.endTime),
    start: fmt.clockTime(a.startTime),
    branch: a.branchName,
    address: location(a),
    arrivalNotes: a.arrivalNotes,
    notes: a.notes,
    sessionUrl: sessionUrl(ctx, a.sessionId),
    mySessionsUrl: `${ctx.config.baseUrl}/my-sessions`,
  }
}

/** The calendar invite (METHOD:REQUEST) for a newly confirmed place. */
export async function queueConfirmation(tx: Tx, ctx: AppContext, assignmentId: number, wording: ConfirmWording): Promise<void> {
  const now = ctx.clock.now()
  const a = await loadAssignment(tx, assignmentId)
  const sequence = await bumpSequence(tx, assignmentId)
  const locale = a.locale
  const mail = ctx.composer.compose('session-confirmed', subjectFor(CONFIRM_SUBJECT[wording], a, locale), { ...mailData(ctx, a, locale), wording }, locale)
  await enqueueEmail(
    tx,
    {
      dedupeKey: `ical:${assignmentId}:${sequence}`,
      kind: 'invite',
      to: { address: a.volunteerEmail, name: a.volunteerName },
      ...mail,
      ical: { method: 'REQUEST', content: buildInvite('REQUEST', eventFor(ctx, a, sequence, false, now, locale)) },
      personId: a.personId,
      sessionId: a.sessionId,
      libraryServiceId: a.libraryServiceId,
    },
    now,
  )
  ctx.outboxQueued(tx)
}

/** The calendar cancellation (METHOD:CANCEL, STATUS:CANCELLED) when a place ends. */
export async function queueCancellation(tx: Tx, ctx: AppContext, assignmentId: number, wording: CancelWording, reason: Wording = ''): Promise<void> {
  const now = ctx.clock.now()
  const a = await loadAssignment(tx, assignmentId)
  const sequence = await bumpSequence(tx, assignmentId)
  const locale = a.locale
  const mail = ctx.composer.compose('session-cancelled', subjectFor(CANCEL_SUBJECT[wording], a, locale), { ...mailData(ctx, a, locale), wording, reason: inLocale(reason, locale) }, locale)
  await enqueueEmail(
    tx,
    {
      dedupeKey: `ical:${assignmentId}:${sequence}`,
      kind: 'cancellation',
      to: { address: a.volunteerEmail, name: a.volunteerName },
      ...mail,
      ical: { method: 'CANCEL', content: buildInvite('CANCEL', eventFor(ctx, a, sequence, true, now, locale)) },
      personId: a.personId,
      sessionId: a.sessionId,
      libraryServiceId: a.libraryServiceId,
    },
    now,
  )
  ctx.outboxQueued(tx)
}

/** Someone waiting for a place on a session that is now cancelled: a plain email (they had no calendar entry). */
export async function queueWaitlistCancelled(tx: Tx, ctx: AppContext, assignmentId: number, reason: Wording = ''): Promise<void> {
  const now = ctx.clock.now()
  const a = await loadAssignment(tx, assignmentId)
  const locale = a.locale
  const mail = ctx.composer.compose(
    'waitlist-cancelled',
    subjectFor('email.waitlistCancelled.subject', a, locale),
    { ...mailData(ctx, a, locale), reason: inLocale(reason, locale), findUrl: `${ctx.config.baseUrl}/sessions` },
    locale,
  )
  const queued = await enqueueEmail(
    tx,
    {
      dedupeKey: `waitlist-cancelled:${assignmentId}`,
      kind: 'waitlist-cancelled',
      to: { address: a.volunteerEmail, name: a.volunteerName },
      ...mail,
      personId: a.personId,
      sessionId: a.sessionId,
      libraryServiceId: a.libraryServiceId,
    },
    now,
  )
  if (queued) ctx.outboxQueued(tx)
}

/**
 * An update (same UID, higher SEQUENCE) to everyone confirmed, after a change of time, place or
 * details. If the change is that the session is now cancelled, each gets the cancellation
 * (METHOD:CANCEL) instead: a REQUEST would put a cancelled session back in their calendar.
 */
export async function queueSessionUpdate(tx: Tx, ctx: AppContext, sessionId: number, whatChanged: Wording): Promise<number> {
  const now = ctx.clock.now()
  const confirmed = await confirmedAssignmentIds(tx, sessionId)
  for (const id of confirmed) {
    const a = await loadAssignment(tx, id)
    const sequence = await bumpSequence(tx, id)
    const cancelled = a.sessionStatus === 'cancelled'
    const locale = a.locale
    const changed = inLocale(whatChanged, locale)
    const mail = cancelled
      ? ctx.composer.compose('session-cancelled', subjectFor(CANCEL_SUBJECT['session-cancelled'], a, locale), { ...mailData(ctx, a, locale), wording: 'session-cancelled', reason: changed }, locale)
      : ctx.composer.compose('session-updated', subjectFor('email.notify.changed', a, locale), { ...mailData(ctx, a, locale), whatChanged: changed }, locale)
    const method = cancelled ? 'CANCEL' : 'REQUEST'
    await enqueueEmail(
      tx,
      {
        dedupeKey: `ical:${id}:${sequence}`,
        kind: cancelled ? 'cancellation' : 'update',
        to: { address: a.volunteerEmail, name: a.volunteerName },
        ...mail,
        ical: { method, content: buildInvite(method, eventFor(ctx, a, sequence, cancelled, now, locale)) },
        personId: a.personId,
        sessionId: a.sessionId,
        libraryServiceId: a.libraryServiceId,
      },
      now,
    )
  }
  if (confirmed.length) ctx.outboxQueued(tx)
  return confirmed.length
}

/** An alert to every coordinator of the session's branch (e.g. a late "I can't make it"). */
export async function queueCoordinatorAlert(
  tx: Tx,
  ctx: AppContext,
  input: { sessionId: number; dedupeKey: string; subject: Wording; message: Wording },
): Promise<number> {
  const now = ctx.clock.now()
  const session = await sessionForAlert(tx, input.sessionId)
  const coordinators = await coordinatorsOfBranch(tx, session.library_service_id, session.branch_id)
  const locales = await recipientLocales(tx, coordinators.map((c) => c.id))
  for (const c of coordinators) {
    const locale = locales.get(c.id) ?? 'en'
    const fmt = formatFor(locale)
    const mail = ctx.composer.compose(
      'coordinator-alert',
      inLocale(input.subject, locale),
      {
        name: c.name,
        message: inLocale(input.message, locale),
        title: session.title,
        branch: withLocalNames(session, locale).branch_name,
        date: fmt.longDate(session.local_date),
        time: fmt.timeRange(session.start_time, session.end_time),
        sessionUrl: coordinatorSessionUrl(ctx.config.baseUrl, session.id),
      },
      locale,
    )
    await enqueueEmail(
      tx,
      { dedupeKey: `${input.dedupeKey}:to:${c.id}`, kind: 'coordinator-alert', to: { address: c.email, name: c.name }, ...mail, personId: c.id, sessionId: session.id, libraryServiceId: session.library_service_id },
      now,
    )
  }
  if (coordinators.length) ctx.outboxQueued(tx)
  return coordinators.length
}

/**
 * A volunteer's "add to calendar" download for a place they hold: the event exactly as last
 * emailed (same UID and SEQUENCE), so importing it updates the invite rather than adding a twin.
 */
export async function calendarFileFor(db: Db | Tx, ctx: AppContext, assignmentId: number): Promise<string> {
  const a = await loadAssignment(db, assignmentId)
  return buildInvite('REQUEST', eventFor(ctx, a, await currentSequence(db, assignmentId), false, ctx.clock.now(), a.locale))
}
