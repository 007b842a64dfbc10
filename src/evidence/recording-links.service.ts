// Prompted recording: when a session ends each volunteer on it is emailed a link to one short form (were you there, and the report), usable once, for 14 days.
//
// The token is 256 random bits; only its SHA-256 is stored, one link per place. The form is
// checked by the same rules as My sessions and the report page (markOwnInTx, checkReport), and
// the mark, the report and the link's use are written in one transaction, so a refused form
// saves nothing and leaves the link usable. No sign-in: holding the link is the proof, so the
// page shows only the session and what was recorded for it, nothing about anyone else.
import { languageFor, type PageLanguage } from '../people/reader-language.service.js'
import type { AppContext } from '../context.js'
import type { AttendanceOutcome } from '../db/schema.js'
import { inTransaction } from '../db/transaction.js'
import { audit } from '../audit/audit.repository.js'
import { hashToken, looksLikeToken, randomToken } from '../auth/tokens.js'
import { enqueueEmail } from '../mail/outbox.repository.js'
import { queueEach } from '../mail/queue.js'
import { PLACE_STATES } from '../assignments/transitions.js'
import { ConflictError, NotFoundError, UserError, ValidationError, type FieldError, type Wording } from '../errors.js'
import * as forms from '../forms/fields.js'
import { formatFor, longDate, timeRange } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { allWithLocalNames, withLocalNames } from '../i18n/names.js'
import { recipientLocales } from '../people/recipient-language.repository.js'
import { evidenceSession, type EvidenceSession } from './attendance.repository.js'
import { markOwnInTx, parseOutcome, recordingWindow } from './attendance.service.js'
import { checkReport, formFromBody, formOf, saveReportInTx, type ReportForm } from './session-report.service.js'
import { reportOf, topicsOfService, type ReportValues, type Topic } from './session-report.repository.js'
import * as repo from './recording-links.repository.js'

export const RECORDING_LINK_DAYS = 14
const DAY = 86_400_000
/** Sessions that ended longer ago than this get no prompt: a fresh deployment does not email about old history. */
const PROMPT_LOOKBACK_MS = 2 * DAY

export function recordingUrl(ctx: AppContext, token: string): string {
  return `${ctx.config.baseUrl}/record/${token}`
}

/**
 * Queues the "how did it go?" email for every place on a session that has ended, with its link
 * created in the same transaction. A place gets one link ever (and the dedupe key
 * `recording-prompt:<assignment>`), so running twice, or on two instances, sends one email.
 * Skipped: places whose attendance is recorded on a session that already has a report (nothing
 * left to ask), and places a coordinator marked "did not come".
 */
export async function queueRecordingPrompts(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now()
  const places = (await repo.placesToPrompt(ctx.db, now - PROMPT_LOOKBACK_MS, now)).filter(
    (p) => !(p.markSource && p.reportedSessionId !== null) && !(p.markSource === 'coordinator' && p.markOutcome === 'no_show'),
  )
  if (!places.length) return 0
  // Tokens and emails are made before the transaction (rendering is the slow part, and on SQLite an
  // open transaction holds up every other request); inside it only the rows are written.
  const locales = await recipientLocales(ctx.db, places.map((p) => p.personId))
  const prompts = places.map((p) => {
    const token = randomToken()
    const locale = locales.get(p.personId) ?? 'en'
    const fmt = formatFor(locale)
    const mail = ctx.composer.compose('recording-prompt', translator(locale)('email.recordingPrompt.subject', { title: p.title }), {
      name: p.volunteerName,
      title: p.title,
      date: fmt.longDate(p.localDate),
      time: fmt.timeRange(p.startTime, p.endTime),
      branch: withLocalNames(p, locale).branchName,
      recordUrl: recordingUrl(ctx, token),
      days: RECORDING_LINK_DAYS,
    }, locale)
    return { p, token, mail }
  })
  return queueEach(ctx, prompts, async (tx, { p, token, mail }) => {
    const linkId = await repo.insertLink(tx, { assignmentId: p.assignmentId, tokenHash: hashToken(token), expiresAt: now + RECORDING_LINK_DAYS * DAY, now })
    if (linkId === null) return false
    return enqueueEmail(
      tx,
      {
        dedupeKey: `recording-prompt:${p.assignmentId}`,
        kind: 'recording-prompt',
        to: { address: p.volunteerEmail, name: p.volunteerName },
        ...mail,
        personId: p.personId,
        sessionId: p.sessionId,
        libraryServiceId: p.libraryServiceId,
      },
      now,
    )
  })
}

// --- The page behind the link ------------------------------------------------------------------

const NOT_RIGHT: Wording = { key: 'evidence.refusal.recordingLink' }

export type RecordingPage =
  | { status: 'used' }
  | { status: 'expired' }
  | { status: 'closed'; reason: string; session: EvidenceSession }
  | {
      status: 'open'
      session: EvidenceSession
      topics: Topic[]
      /** The report as stored (or blank), for prefilling. */
      values: ReportForm
      recorded: boolean
      /** The place's mark: the volunteer's own can be changed here; a coordinator's stands. */
      outcome: AttendanceOutcome | null
      coordinatorMarked: boolean
    }

interface Found {
  link: repo.RecordingLink
  session: EvidenceSession
}

/** The link and its session, or a 404 for anything that is not a live link of a current volunteer. */
async function lookup(ctx: AppContext, token: unknown): Promise<Found> {
  if (!looksLikeToken(token)) throw new NotFoundError(NOT_RIGHT)
  const link = await repo.linkByTokenHash(ctx.db, hashToken(token))
  if (!link || link.volunteer_status === 'left' || link.anonymised_at !== null) throw new NotFoundError(NOT_RIGHT)
  const session = await evidenceSession(ctx.db, link.session_id)
  if (!session) throw new NotFoundError(NOT_RIGHT)
  return { link, session }
}

function stateOf(ctx: AppContext, { link, session }: Found, locale: Locale): RecordingPage | null {
  if (link.used_at !== null) return { status: 'used' }
  if (ctx.clock.now() >= link.expires_at) return { status: 'expired' }
  if (!PLACE_STATES.includes(link.assignment_state)) return { status: 'closed', reason: translator(locale)('evidence.window.noPlace'), session }
  const window = recordingWindow(session, ctx.clock.now(), locale)
  if (!window.open) return { status: 'closed', reason: window.reason, session }
  return null
}

/**
 * What the link shows now: the form (prefilled with what is recorded), or why it no longer works,
 * said in `language`: the page's, or the language of the volunteer the link was sent to (src/people/reader-language.service.ts).
 */
export async function recordingPage(ctx: AppContext, token: unknown, language: PageLanguage = 'en'): Promise<RecordingPage> {
  return (await pageAndLanguage(ctx, token, language)).page
}

/** The link's page and the language it is worded in (looked up once, for the form's answer too). */
async function pageAndLanguage(ctx: AppContext, token: unknown, language: PageLanguage): Promise<{ page: RecordingPage; locale: Locale }> {
  const found = await lookup(ctx, token)
  const locale = await languageFor(language, { personId: found.link.person_id })
  return { page: await pageOf(ctx, found, locale), locale }
}

async function pageOf(ctx: AppContext, found: Found, locale: Locale): Promise<RecordingPage> {
  const shut = stateOf(ctx, found, locale)
  if (shut) return shut
  const { link, session } = found
  const [topics, report] = await Promise.all([topicsOfService(ctx.db, session.library_service_id), reportOf(ctx.db, session.id)])
  return {
    status: 'open',
    session: withLocalNames(session, locale),
    topics: allWithLocalNames(topics, locale),
    values: formOf(report),
    recorded: !!report,
    outcome: link.mark_outcome,
    coordinatorMarked: link.mark_source === 'coordinator',
  }
}

export interface RecordingForm {
  outcome: string
  report: ReportForm
}

export function recordingFormFromBody(body: forms.FormBody): RecordingForm {
  return { outcome: forms.text(body.outcome).slice(0, 20), report: formFromBody(body) }
}

function reportIsBlank(form: ReportForm): boolean {
  return form.people === '' && form.newToLibrary === '' && form.cameBack === '' && form.note.trim() === '' && Object.values(form.topics).every((v) => v === '')
}

function sameReport(a: ReportValues, stored: Awaited<ReturnType<typeof reportOf>>): boolean {
  if (!stored) return false
  if (a.peopleHelped !== stored.people_helped || a.newToLibrary !== stored.new_to_library || a.cameBack !== stored.came_back || a.notes !== stored.notes) return false
  if (a.topics.size !== stored.topics.size) return false
  for (const [id, n] of a.topics) if (stored.topics.get(id) !== n) return false
  return true
}

export type RecordingResult =
  | { kind: 'saved'; session: EvidenceSession; attended: boolean; reportSaved: boolean }
  | { kind: 'refused'; page: Extract<RecordingPage, { status: 'open' }>; errors: FieldError[] }
  | Exclude<RecordingPage, { status: 'open' }>

/**
 * Records what the form says, as the volunteer (source "volunteer", as on My sessions). The
 * report is asked of those who were there; someone who could not go may leave it blank.
 * Every problem is shown at once; nothing is saved and the link stays usable until it succeeds.
 */
export async function recordFromLink(ctx: AppContext, token: unknown, form: RecordingForm, language: PageLanguage = 'en'): Promise<RecordingResult> {
  const { page, locale } = await pageAndLanguage(ctx, token, language)
  if (page.status !== 'open') return page
  const { session } = page
  const errors: FieldError[] = []
  const outcome = page.coordinatorMarked ? null : parseOutcome(form.outcome)
  if (!page.coordinatorMarked && !outcome) errors.push({ field: 'outcome', message: translator(locale)('evidence.record.chooseOutcome') })
  const attended = page.coordinatorMarked ? page.outcome === 'attended' : outcome === 'attended'
  // Someone who could not go is not asked for the report; if they give one anyway, it is checked.
  const wantsReport = attended || (outcome === null && !page.coordinatorMarked) || !reportIsBlank(form.report)
  let values: ReportValues | null = null
  if (wantsReport) {
    try {
      values = await checkReport(ctx, session, form.report, locale)
    } catch (err) {
      if (err instanceof ValidationError) errors.push(...err.errors)
      else if (err instanceof UserError && err.kind === 'conflict') errors.push({ field: 'people', message: err.wordedIn(translator(locale)) })
      else throw err
    }
  }
  if (errors.length) return { kind: 'refused', page, errors }

  const found = await lookup(ctx, token)
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const now = ctx.clock.now()
      if (!(await repo.useLink(tx, found.link.id, now))) return { status: 'used' as const }
      const by = { personId: found.link.person_id, volunteerId: found.link.volunteer_id }
      if (outcome && outcome !== found.link.mark_outcome) await markOwnInTx(tx, ctx, by, found.link.assignment_id, outcome, locale)
      let reportSaved = false
      if (values && !sameReport(values, await reportOf(tx, session.id))) {
        await saveReportInTx(tx, ctx, session, values, by.personId)
        reportSaved = true
      }
      await audit(tx, {
        actorPersonId: by.personId,
        libraryServiceId: session.library_service_id,
        action: 'recording_link.used',
        objectType: 'assignment',
        objectId: found.link.assignment_id,
        detail: { sessionId: session.id, volunteerId: by.volunteerId, outcome, reportSaved },
        at: now,
      })
      return { kind: 'saved' as const, session, attended, reportSaved }
    })
  } catch (err) {
    // A coordinator marked the place between the page and the answer: say so, keep the link.
    if (err instanceof ConflictError) return { kind: 'refused', page: { ...page, ...(await refreshed(ctx, token, locale)) }, errors: [{ field: 'outcome', message: err.wordedIn(translator(locale)) }] }
    throw err
  }
}

async function refreshed(ctx: AppContext, token: unknown, locale: Locale): Promise<Partial<Extract<RecordingPage, { status: 'open' }>>> {
  const again = await recordingPage(ctx, token, locale)
  return again.status === 'open' ? { outcome: again.outcome, coordinatorMarked: again.coordinatorMarked } : {}
}
