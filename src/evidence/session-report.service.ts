// A session's report: who may record it (its coordinators, the volunteers who had a place), validation, and saving with an audit entry.
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import { canCoordinateBranch, type SignedInUser } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { audit } from '../audit/audit.repository.js'
import { ConflictError, type FieldError, ForbiddenError, NotFoundError, UserError, ValidationError } from '../errors.js'
import * as forms from '../forms/fields.js'
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
  if (!session) throw new NotFoundError('There is no such session')
  if (canCoordinateBranch(user, { id: session.branch_id, library_service_id: session.library_service_id })) return { session, asCoordinator: true }
  if (user.volunteer && (await repo.holdsPlace(ctx.db, sessionId, user.volunteer.id))) return { session, asCoordinator: false }
  throw new ForbiddenError('Only the volunteers on this session and its coordinators can record its report')
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

export async function reportPage(ctx: AppContext, user: SignedInUser, sessionId: number): Promise<ReportPage> {
  const { session, asCoordinator } = await authorise(ctx, user, sessionId)
  const [topics, report] = await Promise.all([repo.topicsOfService(ctx.db, session.library_service_id), repo.reportOf(ctx.db, sessionId)])
  return { session, topics, window: recordingWindow(session, ctx.clock.now()), values: formOf(report), recorded: !!report, asCoordinator }
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

/** A count of people: a whole number from 0 to 500 (or blank when optional). */
function count(value: string, field: string, what: string, errors: FieldError[], required: boolean): number | null {
  if (value === '') {
    if (required) errors.push({ field, message: `Enter ${what}, as a number like 6` })
    return null
  }
  if (!/^-?\d+$/.test(value)) {
    errors.push({ field, message: `${capitalise(what)} must be a whole number, like 6` })
    return null
  }
  const n = Number(value)
  if (n < 0) errors.push({ field, message: `${capitalise(what)} must be 0 or more` })
  else if (n > MAX_PEOPLE) errors.push({ field, message: `${capitalise(what)} must be ${MAX_PEOPLE} or fewer` })
  else return n
  return null
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** Checks a report against the service's topics: every problem at once, in the order of the form. */
export function validateReport(form: ReportForm, topics: readonly repo.Topic[]): { values: repo.ReportValues } | { errors: FieldError[] } {
  const errors: FieldError[] = []
  const people = count(form.people, 'people', 'how many people you helped', errors, true)
  const known = new Map(topics.map((t) => [t.id, t]))
  const topicCounts = new Map<number, number>()
  const unknown = Object.keys(form.topics).map(Number).filter((id) => !known.has(id))
  if (unknown.length) errors.push({ field: 'topics', message: 'Choose topics from the list: one of those sent is not a topic of this library service' })
  for (const t of topics) {
    const raw = form.topics[t.id] ?? ''
    const n = count(raw, `topic-${t.id}`, `the number helped with ${t.name}`, errors, false)
    if (n !== null && people !== null && n > people) errors.push({ field: `topic-${t.id}`, message: `The number helped with ${t.name} cannot be more than the ${people} people helped` })
    else if (n !== null && n > 0) topicCounts.set(t.id, n)
  }
  const newToLibrary = count(form.newToLibrary, 'new-to-library', 'how many were new to the library', errors, false)
  if (newToLibrary !== null && people !== null && newToLibrary > people) errors.push({ field: 'new-to-library', message: `The number new to the library cannot be more than the ${people} people helped` })
  const cameBack = count(form.cameBack, 'came-back', 'how many came back', errors, false)
  if (cameBack !== null && people !== null && cameBack > people) errors.push({ field: 'came-back', message: `The number who came back cannot be more than the ${people} people helped` })
  if (form.note.length > MAX_NOTE) errors.push({ field: 'note', message: `The note must be ${MAX_NOTE} characters or fewer` })
  if (errors.length || people === null) return { errors }
  return { values: { peopleHelped: people, newToLibrary, cameBack, notes: form.note, topics: topicCounts } }
}

/** Saves the report (a second one replaces the first), audited. Bad input changes nothing. */
export async function saveReport(ctx: AppContext, user: SignedInUser, sessionId: number, form: ReportForm): Promise<{ session: EvidenceSession; edited: boolean; asCoordinator: boolean }> {
  const { session, asCoordinator } = await authorise(ctx, user, sessionId)
  const values = await checkReport(ctx, session, form)
  return inTransaction(ctx.db, async (tx) => ({ session, ...(await saveReportInTx(tx, ctx, session, values, user.personId)), asCoordinator }))
}

/** The report's rules for one session (its recording window, the service's topics): the values to save, or a ValidationError / ConflictError. */
export async function checkReport(ctx: AppContext, session: EvidenceSession, form: ReportForm): Promise<repo.ReportValues> {
  const window = recordingWindow(session, ctx.clock.now())
  if (!window.open) throw new ConflictError(window.reason)
  const topics = await repo.topicsOfService(ctx.db, session.library_service_id)
  const checked = validateReport(form, topics)
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
