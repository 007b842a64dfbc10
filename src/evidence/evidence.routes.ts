// HTTP for recording evidence: coordinators mark attendance, volunteers mark their own, the session report form, /reports and the partners' /network.
//
// Plain POSTs that redirect back with a confirmation; a refusal answers with the page and the
// reason (GOV.UK error summary), having changed nothing.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { ConflictError, UserError, ValidationError, type FieldError } from '../errors.js'
import { AttendanceBody, IdParams, NetworkQuery, OwnAttendanceBody, ReportsQuery, SessionReportBody } from '../forms/schemas.js'
import type { SignedInUser } from '../auth/access.js'
import type { AttendanceOutcome } from '../db/schema.js'
import { attendanceSection, markOwn, markSession, parseOutcome, OUTCOME_LABELS } from './attendance.service.js'
import { csvFilename, csvOf, parseFilters, percent, presets, reportFor, sessionsWithoutReport, TABLES, todayForReports, monthLabel } from './reports.service.js'
import { networkCsv, networkCsvFilename, networkFor, networkPresets, parseNetworkFilters, shownCount, shownRate } from './network.service.js'
import { formFromBody, reportPage, saveReport, MAX_NOTE, MAX_PEOPLE, type ReportForm } from './session-report.service.js'

export default async function evidenceRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctx = app.ctx

  async function attendancePage(reply: FastifyReply, user: SignedInUser, sessionId: number, errors: FieldError[], status: number) {
    const attendance = await attendanceSection(ctx, user, sessionId)
    if (!attendance) throw new ConflictError('You can record who came once the session has ended')
    return reply.page('attendance/session', { title: `${errors.length ? 'Error: ' : ''}Who came to ${attendance.session.title}`, attendance, errors, labels: OUTCOME_LABELS }, { status })
  }

  r.get('/coordinate/sessions/:id/attendance', { config: { access: 'coordinator' }, schema: { params: IdParams } }, async (request, reply) => {
    return attendancePage(reply, userOf(request), Number(request.params.id), [], 200)
  })

  r.post('/coordinate/sessions/:id/attendance', { config: { access: 'coordinator' }, schema: { params: IdParams, body: AttendanceBody } }, async (request, reply) => {
    const user = userOf(request)
    const sessionId = Number(request.params.id)
    const marks = new Map<number, AttendanceOutcome>()
    const errors: FieldError[] = []
    for (const [key, value] of Object.entries(request.body as Record<string, unknown>)) {
      const m = /^attendance-(\d{1,9})$/.exec(key)
      if (!m) continue
      const outcome = parseOutcome(Array.isArray(value) ? value[0] : value)
      if (outcome) marks.set(Number(m[1]), outcome)
      else if (value !== '') errors.push({ field: key, message: 'Choose "Was there" or "Did not come"' })
    }
    try {
      if (errors.length) throw new ValidationError(errors)
      const changed = await markSession(ctx, user, sessionId, marks)
      return reply.flash(changed ? `Attendance saved for ${changed} ${changed === 1 ? 'volunteer' : 'volunteers'}` : 'Attendance saved: nothing needed changing').redirect(`/coordinate/sessions/${sessionId}#attendance`, 303)
    } catch (err) {
      if (err instanceof ValidationError) return attendancePage(reply, user, sessionId, err.errors, 400)
      if (err instanceof UserError && err.kind === 'conflict') return attendancePage(reply, user, sessionId, [{ field: 'attendance', message: err.message }], 409)
      throw err
    }
  })

  r.post('/my-sessions/:id/attendance', { config: { access: 'volunteer' }, schema: { params: IdParams, body: OwnAttendanceBody } }, async (request, reply) => {
    const user = userOf(request)
    const outcome = parseOutcome(request.body.outcome)
    if (!outcome) throw new UserError('Choose "I was there" or "I couldn\'t go"')
    const message = await markOwn(ctx, user, Number(request.params.id), outcome)
    return reply.flash(message).redirect('/my-sessions', 303)
  })

  async function reportForm(reply: FastifyReply, user: SignedInUser, sessionId: number, values: ReportForm | null, errors: FieldError[], status = 200) {
    const page = await reportPage(ctx, user, sessionId)
    const heading = page.recorded ? 'Change the session report' : 'Record the session report'
    return reply.page('reports/session-report', { title: `${errors.length ? 'Error: ' : ''}${heading}`, heading, page, values: values ?? page.values, errors, maxPeople: MAX_PEOPLE, maxNote: MAX_NOTE }, { status })
  }

  r.get('/sessions/:id/report', { config: { access: 'signed-in' }, schema: { params: IdParams } }, async (request, reply) => {
    return reportForm(reply, userOf(request), Number(request.params.id), null, [])
  })

  r.post('/sessions/:id/report', { config: { access: 'signed-in' }, schema: { params: IdParams, body: SessionReportBody } }, async (request, reply) => {
    const user = userOf(request)
    const sessionId = Number(request.params.id)
    const form = formFromBody(request.body as Record<string, unknown>)
    try {
      const saved = await saveReport(ctx, user, sessionId, form)
      const to = saved.asCoordinator ? `/coordinate/sessions/${sessionId}#report` : '/my-sessions'
      return reply.flash(saved.edited ? 'Session report changed. Thank you.' : 'Session report saved. Thank you.').redirect(to, 303)
    } catch (err) {
      if (err instanceof ValidationError) return reportForm(reply, user, sessionId, form, err.errors, 400)
      if (err instanceof UserError && err.kind === 'conflict') return reportForm(reply, user, sessionId, form, [{ field: 'people', message: err.message }], 409)
      throw err
    }
  })

  r.get('/reports', { config: { access: 'coordinator' }, schema: { querystring: ReportsQuery } }, async (request, reply) => {
    const today = todayForReports(ctx)
    const { filters, errors } = parseFilters(request.query, today)
    const report = await reportFor(ctx, userOf(request), filters)
    return reply.page(
      'reports/index',
      { title: `${errors.length ? 'Error: ' : ''}Reports`, report, errors, percent, monthLabel, presets: presets(today, filters.branch) },
      { fragment: 'reports/_body', status: errors.length ? 400 : 200 },
    )
  })

  r.get('/reports/unreported', { config: { access: 'coordinator' } }, async (request, reply) => {
    return reply.page('reports/unreported', { title: request.t('coordinator.unreportedPage.title'), unreported: await sessionsWithoutReport(ctx, userOf(request), 200) })
  })

  for (const table of TABLES) {
    r.get(`/reports/${table}.csv`, { config: { access: 'coordinator' }, schema: { querystring: ReportsQuery } }, async (request, reply) => {
      const { filters, errors } = parseFilters(request.query, todayForReports(ctx))
      if (errors.length) throw new UserError(errors[0]!.message)
      const report = await reportFor(ctx, userOf(request), filters)
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${csvFilename(table, filters)}"`)
        .send(csvOf(table, report))
    })
  }

  // The network view: partners only, per library service and month, small numbers suppressed.
  r.get('/network', { config: { access: 'partner' }, schema: { querystring: NetworkQuery } }, async (request, reply) => {
    const today = todayForReports(ctx)
    const { filters, errors } = parseNetworkFilters(request.query, today)
    const view = await networkFor(ctx, userOf(request), filters)
    return reply.page(
      'network/index',
      { title: `${errors.length ? 'Error: ' : ''}Network figures`, view, errors, count: shownCount, rate: shownRate, monthLabel, presets: networkPresets(today, filters.service) },
      { fragment: 'network/_body', status: errors.length ? 400 : 200 },
    )
  })

  r.get('/network/services.csv', { config: { access: 'partner' }, schema: { querystring: NetworkQuery } }, async (request, reply) => {
    const { filters, errors } = parseNetworkFilters(request.query, todayForReports(ctx))
    if (errors.length) throw new UserError(errors[0]!.message)
    const view = await networkFor(ctx, userOf(request), filters)
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${networkCsvFilename(filters)}"`)
      .send(networkCsv(view))
  })
}
