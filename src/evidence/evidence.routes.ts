// HTTP for recording evidence: coordinators mark attendance, volunteers mark their own, the session report form, /reports and the partners' /network.
//
// Plain POSTs that redirect back with a confirmation; a refusal answers with the page and the
// reason (GOV.UK error summary), having changed nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { ConflictError, UserError, ValidationError, type FieldError } from '../errors.js'
import { AttendanceBody, IdParams, NetworkQuery, OwnAttendanceBody, ReportsQuery, SessionReportBody } from '../forms/schemas.js'
import type { SignedInUser } from '../auth/access.js'
import type { AttendanceOutcome } from '../db/schema.js'
import { attendanceSection, markOwn, markSession, outcomeLabels, parseOutcome } from './attendance.service.js'
import { csvFilename, csvOf, parseFilters, percent, presets, reportFor, sessionsWithoutReport, TABLES, todayForReports, monthLabel } from './reports.service.js'
import { networkCsv, networkCsvFilename, networkFor, networkPresets, parseNetworkFilters, shownCount, shownRate } from './network.service.js'
import { formFromBody, reportPage, saveReport, MAX_NOTE, MAX_PEOPLE, type ReportForm } from './session-report.service.js'

export default async function evidenceRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctx = app.ctx

  async function attendancePage(request: FastifyRequest, reply: FastifyReply, user: SignedInUser, sessionId: number, errors: FieldError[], status: number) {
    const locale = request.locale()
    const attendance = await attendanceSection(ctx, user, sessionId, locale)
    if (!attendance) throw new ConflictError({ key: 'evidence.window.notEnded' })
    const title = request.t('evidence.attendance.title', { title: attendance.session.title })
    return reply.page('attendance/session', { title: errors.length ? request.t('common.errorTitle', { title }) : title, attendance, errors, labels: outcomeLabels(locale) }, { status })
  }

  r.get('/coordinate/sessions/:id/attendance', { config: { access: 'coordinator' }, schema: { params: IdParams } }, async (request, reply) => {
    return attendancePage(request, reply, userOf(request), Number(request.params.id), [], 200)
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
      else if (value !== '') errors.push({ field: key, message: request.t('evidence.attendance.chooseOne') })
    }
    try {
      if (errors.length) throw new ValidationError(errors)
      const changed = await markSession(ctx, user, sessionId, marks, request.locale())
      return reply.flash(changed ? request.t('evidence.attendance.saved', { count: changed }) : request.t('evidence.attendance.savedNothing')).redirect(`/coordinate/sessions/${sessionId}#attendance`, 303)
    } catch (err) {
      if (err instanceof ValidationError) return attendancePage(request, reply, user, sessionId, err.errors, 400)
      if (err instanceof UserError && err.kind === 'conflict') return attendancePage(request, reply, user, sessionId, [{ field: 'attendance', message: err.wordedIn(request.t) }], 409)
      throw err
    }
  })

  r.post('/my-sessions/:id/attendance', { config: { access: 'volunteer' }, schema: { params: IdParams, body: OwnAttendanceBody } }, async (request, reply) => {
    const user = userOf(request)
    const outcome = parseOutcome(request.body.outcome)
    if (!outcome) throw new UserError({ key: 'evidence.attendance.ownChoose' })
    const message = await markOwn(ctx, user, Number(request.params.id), outcome, request.locale())
    return reply.flash(message).redirect('/my-sessions', 303)
  })

  async function reportForm(request: FastifyRequest, reply: FastifyReply, user: SignedInUser, sessionId: number, values: ReportForm | null, errors: FieldError[], status = 200) {
    const page = await reportPage(ctx, user, sessionId, request.locale())
    const heading = request.t(page.recorded ? 'evidence.report.titleChange' : 'evidence.report.titleNew')
    return reply.page('reports/session-report', { title: errors.length ? request.t('common.errorTitle', { title: heading }) : heading, heading, page, values: values ?? page.values, errors, maxPeople: MAX_PEOPLE, maxNote: MAX_NOTE }, { status })
  }

  r.get('/sessions/:id/report', { config: { access: 'signed-in' }, schema: { params: IdParams } }, async (request, reply) => {
    return reportForm(request, reply, userOf(request), Number(request.params.id), null, [])
  })

  r.post('/sessions/:id/report', { config: { access: 'signed-in' }, schema: { params: IdParams, body: SessionReportBody } }, async (request, reply) => {
    const user = userOf(request)
    const sessionId = Number(request.params.id)
    const form = formFromBody(request.body as Record<string, unknown>)
    try {
      const saved = await saveReport(ctx, user, sessionId, form, request.locale())
      const to = saved.asCoordinator ? `/coordinate/sessions/${sessionId}#report` : '/my-sessions'
      return reply.flash(request.t(saved.edited ? 'evidence.report.changed' : 'evidence.report.saved')).redirect(to, 303)
    } catch (err) {
      if (err instanceof ValidationError) return reportForm(request, reply, user, sessionId, form, err.errors, 400)
      if (err instanceof UserError && err.kind === 'conflict') return reportForm(request, reply, user, sessionId, form, [{ field: 'people', message: err.wordedIn(request.t) }], 409)
      throw err
    }
  })

  r.get('/reports', { config: { access: 'coordinator' }, schema: { querystring: ReportsQuery } }, async (request, reply) => {
    const today = todayForReports(ctx)
    const locale = request.locale()
    const { filters, errors } = parseFilters(request.query, today, locale)
    const report = await reportFor(ctx, userOf(request), filters, locale)
    const title = request.t('evidence.reports.title')
    return reply.page(
      'reports/index',
      {
        title: errors.length ? request.t('common.errorTitle', { title }) : title,
        report,
        errors,
        percent,
        monthLabel: (month: string, long = false) => monthLabel(month, long, locale),
        presets: presets(today, filters.branch, locale),
      },
      { fragment: 'reports/_body', status: errors.length ? 400 : 200 },
    )
  })

  r.get('/reports/unreported', { config: { access: 'coordinator' } }, async (request, reply) => {
    return reply.page('reports/unreported', { title: request.t('coordinator.unreportedPage.title'), unreported: await sessionsWithoutReport(ctx, userOf(request), 200) })
  })

  for (const table of TABLES) {
    r.get(`/reports/${table}.csv`, { config: { access: 'coordinator' }, schema: { querystring: ReportsQuery } }, async (request, reply) => {
      const { filters, errors } = parseFilters(request.query, todayForReports(ctx))
      if (errors.length) throw new UserError(errors[0]!.wording)
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
    const locale = request.locale()
    const { filters, errors } = parseNetworkFilters(request.query, today, locale)
    const view = await networkFor(ctx, userOf(request), filters)
    const title = request.t('evidence.network.title')
    return reply.page(
      'network/index',
      {
        title: errors.length ? request.t('common.errorTitle', { title }) : title,
        view,
        errors,
        count: (c: Parameters<typeof shownCount>[0]) => shownCount(c, locale),
        rate: shownRate,
        monthLabel: (month: string, long = false) => monthLabel(month, long, locale),
        presets: networkPresets(today, filters.service, locale),
      },
      { fragment: 'network/_body', status: errors.length ? 400 : 200 },
    )
  })

  r.get('/network/services.csv', { config: { access: 'partner' }, schema: { querystring: NetworkQuery } }, async (request, reply) => {
    const { filters, errors } = parseNetworkFilters(request.query, todayForReports(ctx))
    if (errors.length) throw new UserError(errors[0]!.wording)
    const view = await networkFor(ctx, userOf(request), filters)
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${networkCsvFilename(filters)}"`)
      .send(networkCsv(view))
  })
}
