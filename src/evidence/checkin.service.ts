// Check-in at the branch: the printable sheet of a day's sessions with a QR code each, and the volunteer's "I'm here" behind the code.
//
// A check-in is the least trusted source of attendance (coordinator > the volunteer's own word >
// check-in): it records "attended" only on a place nobody has marked yet, and it never changes a
// mark made by a coordinator or by the volunteer. It is open from an hour before the session
// starts until it ends, to the volunteer booked on it, signed in; the code alone lets nobody in.
import { randomInt } from 'node:crypto'
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import type { Branch } from '../db/schema.js'
import { inTransaction } from '../db/transaction.js'
import { audit } from '../audit/audit.repository.js'
import { NotFoundError, ValidationError } from '../errors.js'
import { lockPlaceInTx, markAttendanceInTx, PLACE_STATES } from '../assignments/places.service.js'
import { branchInScope } from '../coordination/scope.js'
import { instantToLocal, isValidDate, todayIn } from '../time/wall-clock.js'
import { clockTime, longDate, timeRange } from '../views/format.js'
import { qrSvg } from './qr.js'
import * as repo from './checkin.repository.js'
import { writeMark } from './attendance.repository.js'

/** Check-in opens this long before a session starts (volunteers arrive early to set up). */
export const OPENS_BEFORE_MS = 60 * 60_000

/** Letters and digits that cannot be misread on paper (no 0/o, 1/l/i). */
const CODE_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz'
const CODE_LENGTH = 12 // 31^12 ≈ 2^59 codes: not guessable, still short enough to type from the sheet

export function newCheckinCode(): string {
  let code = ''
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return code
}

/** A code as made above; anything else is refused before touching the database. */
export function looksLikeCheckinCode(value: unknown): value is string {
  return typeof value === 'string' && value.length === CODE_LENGTH && [...value].every((c) => CODE_ALPHABET.includes(c))
}

export function checkinUrl(ctx: AppContext, code: string): string {
  return `${ctx.config.baseUrl}/checkin/${code}`
}

export interface CheckinSheet {
  branch: Branch
  date: string
  dateLabel: string
  sessions: Array<{ id: number; title: string; time: string; url: string; svg: string }>
}

/** The printable sheet: a branch's scheduled sessions on one day (default: today in the branch's zone), each with its QR code. */
export async function checkinSheet(ctx: AppContext, user: SignedInUser, branchId: number, dateInput: string | undefined): Promise<CheckinSheet> {
  const branch = await branchInScope(ctx.db, user, branchId)
  const date = dateInput === undefined || dateInput === '' ? todayIn(ctx.clock.now(), branch.timezone) : dateInput
  if (!isValidDate(date)) throw new ValidationError([{ field: 'date', message: 'Enter a real date, like 2026-12-08' }])
  const rows = await repo.sessionsOfDay(ctx.db, branch.id, date)
  const sessions = []
  for (const s of rows) {
    const code = s.checkin_code ?? (await repo.ensureCode(ctx.db, s.id, newCheckinCode()))
    const url = checkinUrl(ctx, code)
    const time = timeRange(s.start_time, s.end_time)
    sessions.push({ id: s.id, title: s.title, time, url, svg: await qrSvg(url, `QR code to check in to ${s.title}, ${time}`) })
  }
  return { branch, date, dateLabel: longDate(date), sessions }
}

/**
 * What the check-in page can do for this person now:
 * ready (the button), checked-in (done), recorded (a coordinator or they themselves already said),
 * not-booked, too-early, ended, cancelled.
 */
export type CheckinState = 'ready' | 'checked-in' | 'recorded' | 'not-booked' | 'too-early' | 'ended' | 'cancelled'

export interface CheckinView {
  code: string
  title: string
  branchName: string
  when: string
  state: CheckinState
  message: string
}

type CodeSession = NonNullable<Awaited<ReturnType<typeof repo.sessionByCode>>>

function localClock(ms: number, zone: string): string {
  return clockTime(instantToLocal(ms, zone).time)
}

function stateOf(session: CodeSession, place: repo.PlaceOnSession | null, now: number): { state: CheckinState; message: string } {
  if (session.status === 'cancelled') return { state: 'cancelled', message: 'This session was cancelled, so there is nothing to check in to' }
  if (!place || !PLACE_STATES.includes(place.state)) return { state: 'not-booked', message: 'You are not booked on this session; ask the coordinator' }
  if (place.mark_source === 'check_in') {
    return { state: 'checked-in', message: `You checked in at ${localClock(place.marked_at ?? now, session.timezone)}` }
  }
  if (place.mark_source === 'coordinator') {
    return { state: 'recorded', message: 'A coordinator has already recorded whether you were there. If it is wrong, ask them to change it' }
  }
  if (place.mark_source === 'volunteer') {
    return { state: 'recorded', message: 'You have already told us whether you were there. You can change it in My sessions' }
  }
  if (now < session.starts_at - OPENS_BEFORE_MS) {
    return { state: 'too-early', message: `Check-in opens at ${localClock(session.starts_at - OPENS_BEFORE_MS, session.timezone)} on ${longDate(session.local_date)}, an hour before the session starts` }
  }
  if (now > session.ends_at) {
    return { state: 'ended', message: 'This session has ended, so check-in has closed. You can still tell us you were there in My sessions' }
  }
  return { state: 'ready', message: '' }
}

async function sessionOf(ctx: AppContext, code: string): Promise<CodeSession> {
  const session = looksLikeCheckinCode(code) ? await repo.sessionByCode(ctx.db, code) : null
  if (!session) throw new NotFoundError('There is no session with this check-in code. Check the address, or scan the code again')
  return session
}

function viewOf(session: CodeSession, code: string, s: { state: CheckinState; message: string }): CheckinView {
  return { code, title: session.title, branchName: session.branch_name, when: `${longDate(session.local_date)}, ${timeRange(session.start_time, session.end_time)}`, ...s }
}

/** NotFoundError unless the code is a session's (checked before a stranger is asked to sign in). */
export async function assertCheckinCode(ctx: AppContext, code: string): Promise<void> {
  await sessionOf(ctx, code)
}

/** The check-in page for a signed-in person. */
export async function checkinView(ctx: AppContext, user: SignedInUser, code: string): Promise<CheckinView> {
  const session = await sessionOf(ctx, code)
  const place = user.volunteer ? await repo.placeOnSession(ctx.db, session.id, user.volunteer.id) : null
  return viewOf(session, code, stateOf(session, place, ctx.clock.now()))
}

/** "I'm here": records attendance from check-in if the page's state is still ready; otherwise the page to show, with why nothing was recorded. */
export async function checkIn(ctx: AppContext, user: SignedInUser, code: string): Promise<{ recorded: true; message: string } | { recorded: false; view: CheckinView }> {
  const found = await sessionOf(ctx, code)
  const volunteer = user.volunteer
  return inTransaction(ctx.db, async (tx) => {
    // Locked as every change of a place is (volunteer, then session), so two presses, or a
    // coordinator's mark arriving at once, are decided one after the other.
    if (volunteer) await lockPlaceInTx(tx, found.id, volunteer.id)
    const session = (await repo.sessionByCode(tx, code)) ?? found
    const now = ctx.clock.now()
    const place = volunteer ? await repo.placeOnSession(tx, session.id, volunteer.id) : null
    const s = stateOf(session, place, now)
    if (s.state !== 'ready' || !volunteer || !place) return { recorded: false, view: viewOf(session, code, s) }
    const result = await markAttendanceInTx(tx, ctx, { sessionId: session.id, volunteerId: volunteer.id, to: 'attended', actorPersonId: user.personId, note: 'Checked in at the branch' })
    await writeMark(tx, { assignmentId: result.assignmentId, outcome: 'attended', source: 'check_in', personId: user.personId, at: now })
    await audit(tx, {
      actorPersonId: user.personId,
      libraryServiceId: session.library_service_id,
      action: 'attendance.marked',
      objectType: 'assignment',
      objectId: result.assignmentId,
      detail: { sessionId: session.id, volunteerId: volunteer.id, from: result.from, to: 'attended', previousSource: null, source: 'check_in' },
      at: now,
    })
    return { recorded: true, message: `You are checked in at ${session.title}. Thank you for coming` }
  })
}
