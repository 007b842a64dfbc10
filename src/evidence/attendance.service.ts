// Attendance after a session: coordinators mark each place, volunteers mark their own; the coordinator's mark stands; corrections for 30 days, audited.
import { withLocalNames } from '../i18n/names.js'
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import type { SignedInUser } from '../auth/access.js'
import type { AttendanceOutcome, AttendanceSource } from '../db/schema.js'
import { inTransaction } from '../db/transaction.js'
import { audit } from '../audit/audit.repository.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Wording } from '../errors.js'
import { IllegalMoveError, markAttendanceInTx } from '../assignments/places.service.js'
import { assertSessionInScope } from '../coordination/scope.js'
import { formatFor } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import * as repo from './attendance.repository.js'

/** How long after a session ends its attendance (and its report) may still be recorded or corrected. */
export const CORRECTION_DAYS = 30
const CORRECTION_MS = CORRECTION_DAYS * 86_400_000

export const OUTCOME_LABELS: Record<AttendanceOutcome, string> = { attended: 'Was there', no_show: 'Did not come' }

/** The outcomes' names in a language (the coordinator's attendance list). */
export function outcomeLabels(locale: Locale): Record<AttendanceOutcome, string> {
  const t = translator(locale)
  return { attended: t('coordinator.attendance.attended'), no_show: t('coordinator.attendance.noShow') }
}

/** A closed window says why: `reason` in the language asked for, `refusal` as the catalogue has it (for a refusal worded in the reader's language). */
export type Window = { open: true } | { open: false; reason: string; refusal: Wording }

function closed(locale: Locale, key: string, values?: Record<string, unknown>): Window {
  return { open: false, reason: translator(locale)(key, values), refusal: values ? { key, values } : { key } }
}

/** Whether a session's evidence can be recorded now: after it starts, not cancelled, until 30 days after it ends (the reason in `locale`). */
export function recordingWindow(session: Pick<repo.EvidenceSession, 'status' | 'starts_at' | 'ends_at'>, now: number, locale: Locale = 'en'): Window {
  if (session.status === 'cancelled') return closed(locale, 'evidence.window.cancelled')
  if (now < session.starts_at) return closed(locale, 'evidence.window.notStarted')
  if (now > session.ends_at + CORRECTION_MS) return closed(locale, 'evidence.window.tooLate', { days: CORRECTION_DAYS })
  return { open: true }
}

/** Attendance can be marked once the session has ended (a volunteer who left early is still "there"). */
function attendanceWindow(session: repo.EvidenceSession, now: number, locale: Locale = 'en'): Window {
  const w = recordingWindow(session, now, locale)
  if (!w.open) return w
  if (now < session.ends_at) return closed(locale, 'evidence.window.notEnded')
  return w
}

export function parseOutcome(value: unknown): AttendanceOutcome | null {
  return value === 'attended' || value === 'no_show' ? value : null
}

export interface AttendanceSection {
  session: repo.EvidenceSession
  window: Window
  places: Array<repo.PlaceWithMark & { outcome: AttendanceOutcome | null; markedBy: string }>
}

/** What the coordinator's session page shows about attendance (the caller has checked scope), in `locale`. */
export async function attendanceSection(ctx: AppContext, user: SignedInUser, sessionId: number, locale: Locale = 'en'): Promise<AttendanceSection | null> {
  const t = translator(locale)
  await assertSessionInScope(ctx.db, user, sessionId)
  const session = await repo.evidenceSession(ctx.db, sessionId)
  if (!session || session.status === 'cancelled' || ctx.clock.now() < session.ends_at) return null
  const places = await repo.placesWithMarks(ctx.db, sessionId)
  return {
    session: withLocalNames(session, locale),
    window: attendanceWindow(session, ctx.clock.now(), locale),
    places: places.map((p) => ({
      ...p,
      outcome: p.state === 'attended' || p.state === 'no_show' ? p.state : null,
      markedBy: p.mark_source ? t(`evidence.attendance.markedBy.${p.mark_source}`) : t('evidence.attendance.notMarkedYet'),
    })),
  }
}

/**
 * A coordinator marks places on one session: `marks` maps volunteer ids to outcomes (places
 * left out are not changed). Every volunteer must hold a place on it. Returns how many changed.
 */
export async function markSession(ctx: AppContext, user: SignedInUser, sessionId: number, marks: ReadonlyMap<number, AttendanceOutcome>, locale: Locale = 'en'): Promise<number> {
  const t = translator(locale)
  const { branch } = await assertSessionInScope(ctx.db, user, sessionId)
  if (marks.size === 0) throw new ValidationError([{ field: 'attendance', message: t('evidence.attendance.chooseAtLeastOne') }])
  return inTransaction(ctx.db, async (tx) => {
    const session = await repo.evidenceSession(tx, sessionId)
    if (!session) throw new NotFoundError({ key: 'evidence.refusal.noSession' })
    const now = ctx.clock.now()
    const window = attendanceWindow(session, now, locale)
    if (!window.open) throw new ConflictError(window.refusal)
    // Every mark already on the session, read once (not once per volunteer inside the transaction).
    const marked = new Map((await repo.placesWithMarks(tx, sessionId)).map((p) => [p.assignment_id, p.mark_source]))
    let changed = 0
    for (const [volunteerId, outcome] of marks) {
      const result = await markOrRefuse(tx, ctx, { sessionId, volunteerId, to: outcome, actorPersonId: user.personId, note: 'Attendance marked by a coordinator' }, { key: 'evidence.attendance.notHeld' })
      const source = marked.get(result.assignmentId) ?? null
      const before = source ? { source } : null
      if (!result.changed && before?.source === 'coordinator') continue
      await repo.writeMark(tx, { assignmentId: result.assignmentId, outcome, source: 'coordinator', personId: user.personId, at: now })
      await audit(tx, {
        actorPersonId: user.personId,
        libraryServiceId: branch.library_service_id,
        action: before ? 'attendance.corrected' : 'attendance.marked',
        objectType: 'assignment',
        objectId: result.assignmentId,
        detail: { sessionId, volunteerId, from: result.from, to: outcome, previousSource: before?.source ?? null, source: 'coordinator' },
        at: now,
      })
      changed++
    }
    return changed
  })
}

/** The places module's move, with "no place held" said to the person as a conflict. */
async function markOrRefuse(tx: Tx, ctx: AppContext, input: Parameters<typeof markAttendanceInTx>[2], notHeld: Wording) {
  try {
    return await markAttendanceInTx(tx, ctx, input)
  } catch (err) {
    if (err instanceof IllegalMoveError) throw new ConflictError(notHeld)
    throw err
  }
}

/** A volunteer says whether they were there. A coordinator's mark stands: the volunteer cannot change it. */
export async function markOwn(ctx: AppContext, user: SignedInUser, assignmentId: number, outcome: AttendanceOutcome, locale: Locale = 'en'): Promise<string> {
  const volunteer = user.volunteer
  if (!volunteer) throw new ForbiddenError({ key: 'auth.refusal.forVolunteers' })
  return inTransaction(ctx.db, (tx) => markOwnInTx(tx, ctx, { personId: user.personId, volunteerId: volunteer.id }, assignmentId, outcome, locale))
}

/**
 * The volunteer's own mark inside the caller's transaction (My sessions, and the link in the
 * email after a session, which records the report in the same transaction). Returns the thanks.
 */
export async function markOwnInTx(tx: Tx, ctx: AppContext, by: { personId: number; volunteerId: number }, assignmentId: number, outcome: AttendanceOutcome, locale: Locale = 'en'): Promise<string> {
  const t = translator(locale)
  const place = await repo.ownPlace(tx, by.volunteerId, assignmentId)
  if (!place) throw new NotFoundError({ key: 'evidence.refusal.notInYourList' })
  const session = await repo.evidenceSession(tx, place.session_id)
  if (!session) throw new NotFoundError({ key: 'evidence.refusal.noSession' })
  const now = ctx.clock.now()
  const window = attendanceWindow(session, now, locale)
  if (!window.open) throw new ConflictError(window.refusal)
  if (place.mark_source === 'coordinator') {
    throw new ConflictError({ key: 'evidence.attendance.ownCoordinatorMarked' })
  }
  const result = await markOrRefuse(tx, ctx, { sessionId: session.id, volunteerId: by.volunteerId, to: outcome, actorPersonId: by.personId, note: 'Marked by the volunteer' }, { key: 'evidence.attendance.ownNotHeld' })
  await repo.writeMark(tx, { assignmentId, outcome, source: 'volunteer', personId: by.personId, at: now })
  await audit(tx, {
    actorPersonId: by.personId,
    libraryServiceId: session.library_service_id,
    action: place.mark_source ? 'attendance.corrected' : 'attendance.marked',
    objectType: 'assignment',
    objectId: assignmentId,
    detail: { sessionId: session.id, volunteerId: by.volunteerId, from: result.from, to: outcome, previousSource: place.mark_source, source: 'volunteer' },
    at: now,
  })
  const said = { title: session.title, date: formatFor(locale).longDate(session.local_date) }
  return outcome === 'attended' ? t('evidence.attendance.ownThanksAttended', said) : t('evidence.attendance.ownThanksNoShow', said)
}

/** For My sessions: which past places the volunteer may still mark, and who marked each. */
export async function ownMarks(ctx: AppContext, assignmentIds: readonly number[]): Promise<Record<number, { source: AttendanceSource; outcome: AttendanceOutcome }>> {
  return Object.fromEntries(await repo.marksOf(ctx.db, assignmentIds))
}
