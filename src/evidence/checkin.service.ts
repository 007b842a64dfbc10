// Check-in at the branch: the printable sheet of a day's sessions with a QR code each, and the volunteer's "I'm here" behind the code.
//
// A check-in is the least trusted source of attendance (coordinator > the volunteer's own word >
// check-in): it records "attended" only on a place nobody has marked yet, and it never changes a
// mark made by a coordinator or by the volunteer. It is open from an hour before the session
// starts until it ends, to the volunteer booked on it: signed in behind the session's code (the
// code alone lets nobody in), or through the per-place link in the reminder on the day.
import { languageFor, type PageLanguage } from '../people/reader-language.service.js'
import { withLocalNames } from '../i18n/names.js'
import { randomInt } from 'node:crypto'
import type { AppContext } from '../context.js'
import type { Db, Tx } from '../db/connect.js'
import type { SignedInUser } from '../auth/access.js'
import type { Branch } from '../db/schema.js'
import { inTransaction } from '../db/transaction.js'
import { constantTimeEqual, sign } from '../auth/tokens.js'
import { audit } from '../audit/audit.repository.js'
import { NotFoundError, ValidationError, type Wording } from '../errors.js'
import { lockPlaceInTx, markAttendanceInTx, PLACE_STATES } from '../assignments/places.service.js'
import { branchInScope } from '../coordination/scope.js'
import { instantToLocal, isValidDate, todayIn } from '../time/wall-clock.js'
import { qrSvg } from './qr.js'
import { formatFor } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
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
/** `locale`: the language of the sheet's date, times and the codes' accessible names. */
export async function checkinSheet(ctx: AppContext, user: SignedInUser, branchId: number, dateInput: string | undefined, locale: Locale = 'en'): Promise<CheckinSheet> {
  const fmt = formatFor(locale)
  const branch = await branchInScope(ctx.db, user, branchId)
  const date = dateInput === undefined || dateInput === '' ? todayIn(ctx.clock.now(), branch.timezone) : dateInput
  if (!isValidDate(date)) throw new ValidationError([{ field: 'date', message: 'Enter a real date, like 2026-12-08' }])
  const rows = await repo.sessionsOfDay(ctx.db, branch.id, date)
  const sessions = []
  for (const s of rows) {
    const code = s.checkin_code ?? (await repo.ensureCode(ctx.db, s.id, newCheckinCode()))
    const url = checkinUrl(ctx, code)
    const time = fmt.timeRange(s.start_time, s.end_time)
    sessions.push({ id: s.id, title: s.title, time, url, svg: await qrSvg(url, translator(locale)('coordinator.checkin.qrLabel', { title: s.title, time })) })
  }
  return { branch, date, dateLabel: fmt.longDate(date), sessions }
}

/**
 * What the check-in page can do for this person now:
 * ready (the button), checked-in (done), recorded (a coordinator or they themselves already said),
 * not-booked, too-early, ended, cancelled.
 */
export type CheckinState = 'ready' | 'checked-in' | 'recorded' | 'not-booked' | 'too-early' | 'ended' | 'cancelled'

export interface CheckinView {
  /** Where the page's button posts: the session's code address, or the per-place link. */
  action: string
  title: string
  branchName: string
  when: string
  state: CheckinState
  message: string
}

type CodeSession = repo.CheckinSession

/** Who is checking in: a volunteer (signed in, or named by a per-place link), or someone who is not one. */
type Who = { volunteerId: number; personId: number } | null

function stateOf(session: CodeSession, place: repo.PlaceOnSession | null, now: number, locale: Locale): { state: CheckinState; message: string } {
  const t = translator(locale)
  const fmt = formatFor(locale)
  const localClock = (ms: number) => fmt.clockTime(instantToLocal(ms, session.timezone).time)
  if (session.status === 'cancelled') return { state: 'cancelled', message: t('evidence.checkin.cancelled') }
  if (!place || !PLACE_STATES.includes(place.state)) return { state: 'not-booked', message: t('evidence.checkin.notBooked') }
  if (place.mark_source === 'check_in') {
    return { state: 'checked-in', message: t('evidence.checkin.checkedInAt', { time: localClock(place.marked_at ?? now) }) }
  }
  if (place.mark_source === 'coordinator') {
    return { state: 'recorded', message: t('evidence.checkin.coordinatorRecorded') }
  }
  if (place.mark_source === 'volunteer') {
    return { state: 'recorded', message: t('evidence.checkin.volunteerRecorded') }
  }
  if (now < session.starts_at - OPENS_BEFORE_MS) {
    return { state: 'too-early', message: t('evidence.checkin.tooEarly', { time: localClock(session.starts_at - OPENS_BEFORE_MS), date: fmt.longDate(session.local_date) }) }
  }
  if (now > session.ends_at) {
    return { state: 'ended', message: t('evidence.checkin.ended') }
  }
  return { state: 'ready', message: '' }
}

const UNKNOWN_CODE: Wording = { key: 'evidence.refusal.unknownCode' }
const UNKNOWN_LINK: Wording = { key: 'evidence.refusal.unknownLink' }

/** What a check-in page is about: the session, who is asking, and where its button posts. */
interface Target {
  session: CodeSession
  who: Who
  action: string
}

async function byCode(db: Db | Tx, code: string, user: SignedInUser): Promise<Target> {
  const session = looksLikeCheckinCode(code) ? await repo.checkinSession(db, { code }) : null
  if (!session) throw new NotFoundError(UNKNOWN_CODE)
  return { session, who: user.volunteer ? { volunteerId: user.volunteer.id, personId: user.personId } : null, action: `/checkin/${code}` }
}

// --- The per-place link (in the reminder on the day): who it is for is in the link itself ------

/** A stateless token for one place's check-in link: its assignment id and an HMAC of it under SESSION_SECRET. */
export function placeCheckinToken(secret: string, assignmentId: number): string {
  return `${assignmentId}-${sign(secret, `checkin:${assignmentId}`)}`
}

export function placeCheckinUrl(ctx: AppContext, assignmentId: number): string {
  return `${ctx.config.baseUrl}/checkin/place/${placeCheckinToken(ctx.config.sessionSecret, assignmentId)}`
}

function assignmentOfToken(secret: string, token: string): number | null {
  const m = /^(\d{1,12})-([A-Za-z0-9_-]{43})$/.exec(token)
  if (!m) return null
  const assignmentId = Number(m[1])
  return constantTimeEqual(sign(secret, `checkin:${assignmentId}`), m[2]!) ? assignmentId : null
}

async function byPlaceToken(ctx: AppContext, db: Db | Tx, token: string): Promise<Target> {
  const assignmentId = assignmentOfToken(ctx.config.sessionSecret, token)
  const holder = assignmentId === null ? null : await repo.placeHolder(db, assignmentId)
  const session = holder ? await repo.checkinSession(db, { id: holder.sessionId }) : null
  if (!holder || !session) throw new NotFoundError(UNKNOWN_LINK)
  return { session, who: { volunteerId: holder.volunteerId, personId: holder.personId }, action: `/checkin/place/${token}` }
}

// --- The page and the button, whichever way the volunteer came -----------------------------------

async function viewOf(db: Db | Tx, now: number, target: Target, locale: Locale): Promise<CheckinView> {
  const fmt = formatFor(locale)
  const { session, who } = target
  const place = who ? await repo.placeOnSession(db, session.id, who.volunteerId) : null
  return {
    action: target.action,
    title: session.title,
    branchName: withLocalNames(session, locale).branch_name,
    when: translator(locale)('evidence.checkin.whenValue', { date: fmt.longDate(session.local_date), time: fmt.timeRange(session.start_time, session.end_time) }),
    ...stateOf(session, place, now, locale),
  }
}

/** NotFoundError unless the code is a session's (checked before a stranger is asked to sign in). */
export async function assertCheckinCode(ctx: AppContext, code: string): Promise<void> {
  if (!looksLikeCheckinCode(code) || !(await repo.checkinSession(ctx.db, { code }))) throw new NotFoundError(UNKNOWN_CODE)
}

/** The check-in page behind a session's code, for a signed-in person (its words in `locale`). */
export async function checkinView(ctx: AppContext, user: SignedInUser, code: string, locale: Locale = 'en'): Promise<CheckinView> {
  return viewOf(ctx.db, ctx.clock.now(), await byCode(ctx.db, code, user), locale)
}

/** The check-in page behind a per-place link (no sign-in: the link names the place). */
/** `language`: the page's, or the language of the volunteer the link was sent to (src/people/reader-language.service.ts). */
export async function placeCheckinView(ctx: AppContext, token: string, language: PageLanguage = 'en'): Promise<CheckinView> {
  const target = await byPlaceToken(ctx, ctx.db, token)
  return viewOf(ctx.db, ctx.clock.now(), target, await languageFor(language, { personId: target.who!.personId }))
}

export type CheckInResult = { recorded: true; message: string } | { recorded: false; view: CheckinView }

/** "I'm here" behind a session's code, signed in. */
export async function checkIn(ctx: AppContext, user: SignedInUser, code: string, locale: Locale = 'en'): Promise<CheckInResult> {
  return record(ctx, (db) => byCode(db, code, user), locale)
}

/** "I'm here" behind a per-place link. */
export async function checkInByPlace(ctx: AppContext, token: string, language: PageLanguage = 'en'): Promise<CheckInResult> {
  return record(ctx, (db) => byPlaceToken(ctx, db, token), language)
}

/** Records attendance from check-in if the page's state is still ready; otherwise the page to show, with why nothing was recorded. */
async function record(ctx: AppContext, resolve: (db: Db | Tx) => Promise<Target>, language: PageLanguage): Promise<CheckInResult> {
  const first = await resolve(ctx.db)
  // Before the transaction (it may read the person's language): a per-place link always names its holder.
  const locale = typeof language === 'string' ? language : await language({ personId: first.who!.personId })
  return inTransaction(ctx.db, async (tx) => {
    // Locked as every change of a place is (volunteer, then session), so two presses, or a
    // coordinator's mark arriving at once, are decided one after the other.
    if (first.who) await lockPlaceInTx(tx, first.session.id, first.who.volunteerId)
    const target = await resolve(tx)
    const now = ctx.clock.now()
    const view = await viewOf(tx, now, target, locale)
    const { session, who } = target
    if (view.state !== 'ready' || !who) return { recorded: false, view }
    const result = await markAttendanceInTx(tx, ctx, { sessionId: session.id, volunteerId: who.volunteerId, to: 'attended', actorPersonId: who.personId, note: 'Checked in at the branch' })
    await writeMark(tx, { assignmentId: result.assignmentId, outcome: 'attended', source: 'check_in', personId: who.personId, at: now })
    await audit(tx, {
      actorPersonId: who.personId,
      libraryServiceId: session.library_service_id,
      action: 'attendance.marked',
      objectType: 'assignment',
      objectId: result.assignmentId,
      detail: { sessionId: session.id, volunteerId: who.volunteerId, from: result.from, to: 'attended', previousSource: null, source: 'check_in' },
      at: now,
    })
    return { recorded: true, message: translator(locale)('evidence.checkin.done', { title: session.title }) }
  })
}
