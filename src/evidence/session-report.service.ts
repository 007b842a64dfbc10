// A session's report: who may record it (its coordinators, the volunteers who had a place), validation, and saving with an audit entry.
import { allWithLocalNames, withLocalNames } from '../i18n/names.js'
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import { canCoordinateBranch, type SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { audit } from '../audit/audit.repository.js'
import { ConflictError, type FieldError, ForbiddenError, NotFoundError, UserError, ValidationError } from '../errors.js'
import * as forms from '../forms/fields.js'
import { translator, type Locale, type Translate } from '../i18n/i18n.js'
import { evidenceSession, type EvidenceSession } from './attendance.repository.js'
import { recordingWindow, type Window } from './attendance.service.js'
import * as repo from './session-report.repository.js'

export const MAX_PEOPLE = 500
export const MAX_NOTE = 500

/** What the form shows: the values as typed (strings), so a refused form comes back as it was sent. */
export interface ReportForm {
  people: string
  newToLibrary: string
  cameBack: string
  note: string
  topics: Record<number, string>
}

export interface ReportPage {
  session: EvidenceSession
  topics: repo.Topic[]
  window: Window
  values: ReportForm
  recorded: boolean
  asCoordinator: boolean
}

async function authorise(ctx: AppContext, user: SignedInUser, sessionId: number): Promise<{ session: EvidenceSession; asCoordinator: boolean }> {
  const session = await evidenceSession(ctx.db, sessionId)
  if (!session) throw new NotFoundError({ key: 'evidence.refusal.noSession' })
  if (canCoordinateBranch(user, { id: session.branch_id, library_service_id: session.library_service_id })) return { session, asCoordinator: true }
  if (user.volunteer && (await repo.holdsPlace(ctx.db, sessionId, user.volunteer.id))) return { session, asCoordinator: false }
  throw new ForbiddenError({ key: 'evidence.refusal.reportWho' })
}

export function formOf(report: repo.StoredReport | null): ReportForm {
  if (!report) return { people: '', newToLibrary: '', cameBack: '', note: '', topics: {} }
  return {
    people: String(report.people_helped),
    newToLibrary: report.new_to_library === null ? '' : String(report.new_to_library),
    cameBack: report.came_back === null ? '' : String(report.came_back),
    note: report.notes,
    topics: Object.fromEntries([...report.topics].map(([id, n]) => [id, String(n)])),
  }
}

export async function reportPage(ctx: AppContext, user: SignedInUser, sessionId: number, locale: Locale = 'en'): Promise<ReportPage> {
  const { session, asCoordinator } = await authorise(ctx, user, sessionId)
  const [topics, report] = await Promise.all([repo.topicsOfService(ctx.db, session.library_service_id), repo.reportOf(ctx.db, sessionId)])
  // Names (branch, topics) in the page's language; the window is worked out from the session as stored.
  return { session: withLocalNames(session, locale), topics: allWithLocalNames(topics, locale), window: recordingWindow(session, ctx.clock.now(), locale), values: formOf(report), recorded: !!report, asCoordinator }
}

/** The form as sent, for showing it again (never trusted). */
export function formFromBody(body: forms.FormBody): ReportForm {
  const topics: Record<number, string> = {}
  for (const [key, value] of Object.entries(body)) {
    const m = /^topic-(\d{1,9})$/.exec(key)
    if (m) topics[Number(m[1])] = forms.text(value).slice(0, 20)
  }
  return {
    people: forms.text(body.people).slice(0, 20),
    newToLibrary: forms.text(body['new-to-library']).slice(0, 20),
    cameBack: forms.text(body['came-back']).slice(0, 20),
    note: forms.text(body.note).slice(0, MAX_NOTE + 100),
    topics,
  }
}

/** The messages of one count on the form (evidence.report.errors.*): `required` only for the people helped. */
type CountWords = { required?: string; whole: string; min: string; max: string }

/** A count of people: a whole number from 0 to 500 (or blank when optional). */
function count(t: Translate, value: string, field: string, words: CountWords, values: Record<string, unknown>, errors: FieldError[]): number | null {
  const say = (key: string) => t(`evidence.report.errors.${key}`, { ...values, max: MAX_PEOPLE })
  if (value === '') {
    if (words.required) errors.push({ field, message: say(words.required) })
    return null
  }
  if (!/^-?\d+$/.test(value)) {
    errors.push({ field, message: say(words.whole) })
    return null
  }
  const n = Number(value)
  if (n < 0) errors.push({ field, message: say(words.min) })
  else if (n > MAX_PEOPLE) errors.push({ field, message: say(words.max) })
  else return n
  return null
}

const PEOPLE: CountWords = { required: 'peopleRequired', whole: 'peopleWhole', min: 'peopleMin', max: 'peopleMax' }
const TOPIC: CountWords = { whole: 'topicWhole', min: 'topicMin', max: 'topicMax' }
const NEW_TO_LIBRARY: CountWords = { whole: 'newWhole', min: 'newMin', max: 'newMax' }
const CAME_BACK: CountWords = { whole: 'backWhole', min: 'backMin', max: 'backMax' }

/** Checks a report against the service's topics: every problem at once, in the order of the form, said in `locale`. */
export function validateReport(form: ReportForm, topics: readonly repo.Topic[], locale: Locale = 'en'): { values: repo.ReportValues } | { errors: FieldError[] } {
  const t = translator(locale)
  const e = (key: string, values?: Record<string, unknown>) => t(`evidence.report.errors.${key}`, values)
  const errors: FieldError[] = []
  const people = count(t, form.people, 'people', PEOPLE, {}, errors)
  const known = new Map(topics.map((t) => [t.id, t]))
  const topicCounts = new Map<number, number>()
  const unknown = Object.keys(form.topics).map(Number).filter((id) => !known.has(id))
  if (unknown.length) errors.push({ field: 'topics', message: e('unknownTopic') })
  for (const topic of topics) {
    const raw = form.topics[topic.id] ?? ''
    const n = count(t, raw, `topic-${topic.id}`, TOPIC, { name: topic.name }, errors)
    if (n !== null && people !== null && n > people) errors.push({ field: `topic-${topic.id}`, message: e('topicTooMany', { name: topic.name, people }) })
    else if (n !== null && n > 0) topicCounts.set(topic.id, n)
  }
  const newToLibrary = count(t, form.newToLibrary, 'new-to-library', NEW_TO_LIBRARY, {}, errors)
  if (newToLibrary !== null && people !== null && newToLibrary > people) errors.push({ field: 'new-to-library', message: e('newTooMany', { people }) })
  const cameBack = count(t, form.cameBack, 'came-back', CAME_BACK, {}, errors)
  if (cameBack !== null && people !== null && cameBack > people) errors.push({ field: 'came-back', message: e('backTooMany', { people }) })
  if (form.note.length > MAX_NOTE) errors.push({ field: 'note', message: e('noteTooLong', { max: MAX_NOTE }) })
  if (errors.length || people === null) return { errors }
  return { values: { peopleHelped: people, newToLibrary, cameBack, notes: form.note, topics: topicCounts } }
}

/** Saves the report (a second one replaces the first), audited. Bad input changes nothing. */
export async function saveReport(ctx: AppContext, user: SignedInUser, sessionId: number, form: ReportForm, locale: Locale = 'en'): Promise<{ session: EvidenceSession; edited: boolean; asCoordinator: boolean }> {
  const { session, asCoordinator } = await authorise(ctx, user, sessionId)
  const values = await checkReport(ctx, session, form, locale)
  return inTransaction(ctx.db, async (tx) => ({ session, ...(await saveReportInTx(tx, ctx, session, values, user.personId)), asCoordinator }))
}

/** The report's rules for one session (its recording window, the service's topics): the values to save, or a ValidationError / ConflictError. */
export async function checkReport(ctx: AppContext, session: EvidenceSession, form: ReportForm, locale: Locale = 'en'): Promise<repo.ReportValues> {
  const window = recordingWindow(session, ctx.clock.now(), locale)
  if (!window.open) throw new ConflictError(window.refusal)
  const topics = await repo.topicsOfService(ctx.db, session.library_service_id)
  const checked = validateReport(form, topics, locale)
  if ('errors' in checked) throw new ValidationError(checked.errors)
  return checked.values
}

/** Writes checked values inside the caller's transaction, with the audit entry (the caller has authorised the person). */
export async function saveReportInTx(tx: Tx, ctx: AppContext, session: EvidenceSession, values: repo.ReportValues, actorPersonId: number): Promise<{ edited: boolean }> {
  const before = await repo.reportOf(tx, session.id)
  const now = ctx.clock.now()
  await repo.saveReport(tx, session.id, values, actorPersonId, now)
  await audit(tx, {
    actorPersonId,
    libraryServiceId: session.library_service_id,
    action: before ? 'session_report.changed' : 'session_report.recorded',
    objectType: 'session',
    objectId: session.id,
    detail: {
      peopleHelped: values.peopleHelped,
      topics: Object.fromEntries(values.topics),
      ...(before ? { previous: { peopleHelped: before.people_helped, topics: Object.fromEntries(before.topics) } } : {}),
    },
    at: now,
  })
  return { edited: !!before }
}
