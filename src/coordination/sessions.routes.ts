// HTTP for coordinators' sessions: list, create (one-off or weekly), the session page with candidates and invitations, edit, cancel, assign, remove (after a confirmation page).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Locale, Translate } from '../i18n/i18n.js'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { UserError, ValidationError } from '../errors.js'
import { WEEKDAYS } from '../time/weekdays.js'
import { scopeOf } from './scope.js'
import * as forms from '../forms/fields.js'
import {
  AssignBody,
  CancelSessionBody,
  CancelSessionQuery,
  EditSessionBody,
  EditSessionQuery,
  IdParams,
  InviteBody,
  NewSessionBody,
  NewSessionQuery,
  RangeQuery,
  RemoveVolunteerBody,
  RemoveVolunteerQuery,
  SessionPageQuery,
  WithdrawInvitationBody,
} from '../forms/schemas.js'
import { formCatalogue, sessionToEdit } from './session-lookup.service.js'
import { SESSION_KINDS } from '../sessions/kinds.js'
import { formValues, type SessionForm } from './session-form.js'
import { createSessions } from './session-create.service.js'
import { editFormValues, editSessions } from './session-edit.service.js'
import { cancelSessions } from './session-cancel.service.js'
import { assignVolunteer, invitationRows, MAX_REMOVAL_REASON, removalView, removeVolunteer, sessionPage } from './staffing.service.js'
import { inviteVolunteers, withdrawInvitation } from './invitations.service.js'
import { attendanceSection, CORRECTION_DAYS, OUTCOME_LABELS, type AttendanceSection } from '../evidence/attendance.service.js'
import { WEEK_CHOICES, parseRange, queryString, sessionList, todayHere } from './gaps.service.js'
import { plural } from '../views/format.js'

export { IdParams } from '../forms/schemas.js'

const coordinator = { access: 'coordinator' as const }

/**
 * The who-came section's words in the page's language: attendance.service words them in English.
 * The section exists only for a session that has ended and was not cancelled, so when it is closed
 * it is because the correction period is over.
 */
function attendanceInWords(section: AttendanceSection | null, t: Translate): AttendanceSection | null {
  if (!section) return null
  return {
    ...section,
    window: section.window.open
      ? section.window
      : { ...section.window, reason: t('coordinator.session.attendanceClosed', { days: CORRECTION_DAYS }) },
    places: section.places.map((p) => ({ ...p, markedBy: p.mark_source ? t(`coordinator.session.markedBy.${p.mark_source}`) : t('coordinator.session.notMarkedYet') })),
  }
}

export default async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  /** The kinds of session with their names and hints in the page's language (planning.kinds.*). */
  const kindsIn = (t: Translate) =>
    SESSION_KINDS.map((k) => {
      const key = k.value.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
      return { value: k.value, label: t(`planning.kinds.${key}.label`), hint: t(`planning.kinds.${key}.hint`) }
    })

  async function formPage(reply: FastifyReply, user: ReturnType<typeof userOf>, values: SessionForm, errors: Array<{ field: string; message: string }>, status = 200) {
    const t = reply.request.t
    const scope = await scopeOf(app.ctx, user, reply.request.locale())
    const cat = await formCatalogue(app.ctx, scope.serviceIds, reply.request.locale())
    const title = t('planning.newSession.title')
    return reply.page(
      'coordinate/session-new',
      {
        title: errors.length ? t('common.errorTitle', { title }) : title,
        values,
        errors,
        branches: scope.branches,
        kinds: kindsIn(t),
        weekdays: WEEKDAYS.map((d) => ({ value: d, label: t(`planning.days.${d}`) })),
        skills: cat.skills,
        trainings: cat.trainings,
        manyServices: scope.serviceIds.length > 1,
      },
      { status },
    )
  }

  r.get('/coordinate/sessions', { config: coordinator, schema: { querystring: RangeQuery } }, async (request, reply) => {
    const user = userOf(request)
    const filters = parseRange(forms.query(request.query), await todayHere(app.ctx, user))
    const list = await sessionList(app.ctx, user, filters, request.locale())
    return reply.page('coordinate/sessions', { title: request.t('coordinator.sessions.title'), ...list, weekChoices: WEEK_CHOICES, qs: queryString(filters) }, { fragment: 'coordinate/_session-list' })
  })

  r.get('/coordinate/sessions/new', { config: coordinator, schema: { querystring: NewSessionQuery } }, async (request, reply) => {
    const user = userOf(request)
    const query = forms.query(request.query)
    const today = await todayHere(app.ctx, user)
    return formPage(reply, user, { branch: query.branch ?? '', repeat: 'weekly', kind: 'drop_in', from: today, min: '1', max: '2', days: [] }, [])
  })

  r.post('/coordinate/sessions/new', { config: coordinator, schema: { body: NewSessionBody } }, async (request, reply) => {
    const user = userOf(request)
    try {
      const created = await createSessions(app.ctx, user, request.body, request.locale())
      const n = created.sessionIds.length
      reply.flash(created.seriesId ? request.t('planning.newSession.seriesCreated', { sessions: request.t('planning.count.sessions', { count: n }) }) : request.t('planning.newSession.created'))
      return reply.redirect(`/coordinate/sessions/${created.sessionIds[0]}`, 303)
    } catch (err) {
      if (err instanceof ValidationError) return formPage(reply, user, formValues(request.body), err.errors, 400)
      throw err
    }
  })

  // Mistakes in a form posted from the session page come back here after a redirect (so a reload
  // never re-posts); only these known ones, never text from the address bar.
  const SESSION_PAGE_PROBLEMS: Record<string, string> = { 'nobody-selected': 'coordinator.actions.nobodySelected' }

  r.get('/coordinate/sessions/:id', { config: coordinator, schema: { params: IdParams, querystring: SessionPageQuery } }, async (request, reply) => {
    const user = userOf(request)
    const page = await sessionPage(app.ctx, user, Number(request.params.id), request.locale())
    const code = request.query.problem ?? ''
    const problem = Object.hasOwn(SESSION_PAGE_PROBLEMS, code) ? request.t(SESSION_PAGE_PROBLEMS[code]!) : null
    const attendance = page.past ? attendanceInWords(await attendanceSection(app.ctx, user, page.session.id), request.t) : null
    const title = `${page.session.title}, ${page.session.branch_name}`
    const labels = { attended: request.t('coordinator.attendance.attended'), no_show: request.t('coordinator.attendance.noShow') } satisfies typeof OUTCOME_LABELS
    return reply.page('coordinate/session', { title: problem ? request.t('common.errorTitle', { title }) : title, page, problem, attendance, labels })
  })

  // The invitations section alone: htmx polls it so states update while the page is open.
  r.get('/coordinate/sessions/:id/invitations', { config: coordinator, schema: { params: IdParams } }, async (request, reply) => {
    const user = userOf(request)
    const invitations = await invitationRows(app.ctx, user, Number(request.params.id))
    if (!request.isHtmx()) return reply.redirect(`/coordinate/sessions/${Number(request.params.id)}#invitations`, 303)
    return reply.page('coordinate/_invitations', { invitations, sessionId: Number(request.params.id), poll: true })
  })

  async function sessionWithProblem(reply: FastifyReply, user: ReturnType<typeof userOf>, sessionId: number, problem: string) {
    const page = await sessionPage(app.ctx, user, sessionId, reply.request.locale())
    return reply.page('coordinate/session', { title: reply.request.t('common.errorTitle', { title: page.session.title }), page, problem }, { status: 409 })
  }

  r.post('/coordinate/sessions/:id/invitations', { config: coordinator, schema: { params: IdParams, body: InviteBody } }, async (request, reply) => {
    const user = userOf(request)
    const id = Number(request.params.id)
    const chosen = forms.list(request.body.invite).map(forms.parseId).filter((id): id is number => id !== null)
    if (chosen.length === 0) return reply.redirect(`/coordinate/sessions/${id}?problem=nobody-selected#candidates`, 303)
    const t = request.t
    const outcomes = await inviteVolunteers(app.ctx, user, id, chosen, request.locale())
    const sent = outcomes.filter((o) => o.kind === 'invited')
    const refused = outcomes.filter((o) => o.kind === 'refused')
    const refusals = refused.map((o) => o.message).join(t('coordinator.actions.refusedJoin'))
    if (sent.length === 0) return sessionWithProblem(reply, user, id, refusals)
    const sentTo = t('coordinator.actions.invitationsSent', { count: sent.length, names: sent.map((o) => o.name).join(t('coordinator.actions.listJoin')) })
    const message = refused.length ? t('coordinator.actions.notSent', { sent: sentTo, refused: refusals }) : sentTo
    return reply.flash(message).redirect(`/coordinate/sessions/${id}#invitations`, 303)
  })

  /** Adding one volunteer: a flash on success, the session page with the reason on a refusal. */
  r.post('/coordinate/sessions/:id/assign', { config: coordinator, schema: { params: IdParams, body: AssignBody } }, async (request, reply) => {
    const user = userOf(request)
    const sessionId = Number(request.params.id)
    const volunteerId = forms.parseId(request.body.assign)
    if (volunteerId === null) return sessionWithProblem(reply, user, sessionId, request.t('coordinator.actions.chooseWho'))
    try {
      return reply.flash(await assignVolunteer(app.ctx, user, sessionId, volunteerId, 'coordinator', request.locale())).redirect(`/coordinate/sessions/${sessionId}`, 303)
    } catch (err) {
      if (err instanceof UserError && err.kind === 'conflict') return sessionWithProblem(reply, user, sessionId, err.wordedIn(request.t))
      throw err
    }
  })

  // Taking someone off emails them, so it is asked first, as a volunteer's own withdrawal is: this
  // page (a plain GET, nothing changes) and its "Yes" button (the POST below).
  const CHOOSE_WHO = 'coordinator.actions.chooseWhoOff'
  async function removalPage(reply: FastifyReply, user: ReturnType<typeof userOf>, sessionId: number, volunteerId: number, values: { reason?: string | undefined }, errors: Array<{ field: string; message: string }>, status = 200) {
    const view = await removalView(app.ctx, user, sessionId, volunteerId, reply.request.locale())
    const t = reply.request.t.bind(reply.request)
    const title = t('coordinator.remove.title', { name: view.name })
    // A reason too long (the one error this form has; FormReader's words are English), in the page's language.
    const tooLong = forms.say.tooLong('Reason', MAX_REMOVAL_REASON)
    const said = errors.map((e) => (e.field === 'reason' && e.message === tooLong ? { field: e.field, message: t('coordinator.remove.reasonTooLong', { max: MAX_REMOVAL_REASON.toLocaleString('en-GB') }) } : e))
    return reply.page('coordinate/session-remove', { title: said.length ? t('common.errorTitle', { title }) : title, ...view, values, errors: said }, { status })
  }

  r.get('/coordinate/sessions/:id/remove', { config: coordinator, schema: { params: IdParams, querystring: RemoveVolunteerQuery } }, async (request, reply) => {
    const user = userOf(request)
    const sessionId = Number(request.params.id)
    const volunteerId = forms.parseId(request.query.volunteer)
    if (volunteerId === null) return sessionWithProblem(reply, user, sessionId, request.t(CHOOSE_WHO))
    try {
      return await removalPage(reply, user, sessionId, volunteerId, {}, [])
    } catch (err) {
      // Not (or no longer) on it, or the session is over or off: the session page says which.
      if (err instanceof UserError && err.kind === 'conflict') return sessionWithProblem(reply, user, sessionId, err.wordedIn(request.t))
      throw err
    }
  })

  r.post('/coordinate/sessions/:id/remove', { config: coordinator, schema: { params: IdParams, body: RemoveVolunteerBody } }, async (request, reply) => {
    const user = userOf(request)
    const sessionId = Number(request.params.id)
    const volunteerId = forms.parseId(request.body.volunteer)
    if (volunteerId === null) return sessionWithProblem(reply, user, sessionId, request.t(CHOOSE_WHO))
    try {
      return reply.flash(await removeVolunteer(app.ctx, user, sessionId, volunteerId, request.body.reason, request.locale())).redirect(`/coordinate/sessions/${sessionId}`, 303)
    } catch (err) {
      if (err instanceof ValidationError) {
        try {
          return await removalPage(reply, user, sessionId, volunteerId, { reason: request.body.reason }, err.errors, 400)
        } catch (viewErr) {
          // Changed meanwhile (taken off in another tab, the session started): say that instead.
          if (viewErr instanceof UserError && viewErr.kind === 'conflict') return sessionWithProblem(reply, user, sessionId, viewErr.wordedIn(request.t))
          throw viewErr
        }
      }
      if (err instanceof UserError && err.kind === 'conflict') return sessionWithProblem(reply, user, sessionId, err.wordedIn(request.t))
      throw err
    }
  })

  r.post('/coordinate/invitations/:id/withdraw', { config: coordinator, schema: { params: IdParams, body: WithdrawInvitationBody } }, async (request, reply) => {
    const user = userOf(request)
    let sessionId: number
    let message: string
    try {
      const done = await withdrawInvitation(app.ctx, user, Number(request.params.id))
      sessionId = done.sessionId
      message = request.t('coordinator.actions.withdrawn', { name: done.name })
    } catch (err) {
      const sid = forms.parseId(request.body.session)
      if (!(err instanceof UserError) || err.kind !== 'conflict' || sid === null) throw err
      sessionId = sid
      message = err.wordedIn(request.t)
    }
    if (request.isHtmx()) {
      const invitations = await invitationRows(app.ctx, user, sessionId)
      return reply.page('coordinate/_invitations', { invitations, sessionId, poll: true, notice: message })
    }
    return reply.flash(message).redirect(`/coordinate/sessions/${sessionId}#invitations`, 303)
  })


  async function editPage(reply: FastifyReply, user: ReturnType<typeof userOf>, sessionId: number, scope: 'one' | 'future', values: SessionForm, errors: Array<{ field: string; message: string }>, status = 200, problem: string | null = null) {
    const session = await sessionToEdit(app.ctx, user, sessionId, 'one', reply.request.locale())
    const closed = session.status === 'cancelled' || session.starts_at <= app.ctx.clock.now()
    const cat = await formCatalogue(app.ctx, [session.library_service_id], reply.request.locale())
    const t = reply.request.t
    const heading = t(scope === 'one' ? 'planning.edit.one' : 'planning.edit.future')
    return reply.page(
      'coordinate/session-edit',
      { title: errors.length || problem ? t('common.errorTitle', { title: heading }) : heading, heading, session, scope, values, errors, problem, closed, kinds: kindsIn(t), skills: cat.skills, trainings: cat.trainings },
      { status },
    )
  }

  r.get('/coordinate/sessions/:id/edit', { config: coordinator, schema: { params: IdParams, querystring: EditSessionQuery } }, async (request, reply) => {
    const user = userOf(request)
    const scope = request.query.scope ?? 'one'
    // Scope, existence and "part of a series" only: the staffing page (people, candidates) is not needed here.
    await sessionToEdit(app.ctx, user, Number(request.params.id), scope)
    return editPage(reply, user, Number(request.params.id), scope, await editFormValues(app.ctx, Number(request.params.id)), [])
  })

  r.post('/coordinate/sessions/:id/edit', { config: coordinator, schema: { params: IdParams, querystring: EditSessionQuery, body: EditSessionBody } }, async (request, reply) => {
    const user = userOf(request)
    const scope = forms.text(request.body.scope) === 'future' ? 'future' : 'one'
    try {
      const done = await editSessions(app.ctx, user, Number(request.params.id), scope, request.body, request.locale())
      const t = request.t
      const parts = [t('planning.edit.changed', { sessions: t('planning.count.sessions', { count: done.sessions }) })]
      if (done.added) parts.push(t('planning.edit.added', { count: done.added }))
      if (done.cancelled) parts.push(t('planning.edit.cancelled', { count: done.cancelled }))
      parts.push(done.emailed ? t('planning.edit.emailed', { count: done.emailed, emails: t('planning.count.emails', { count: done.emailed }) }) : t('planning.edit.nobodyEmailed'))
      return reply.flash(parts.join(t('planning.edit.join'))).redirect(`/coordinate/sessions/${Number(request.params.id)}`, 303)
    } catch (err) {
      if (err instanceof ValidationError) return editPage(reply, user, Number(request.params.id), scope, formValues(request.body), err.errors, 400)
      if (err instanceof UserError && err.kind === 'conflict') {
        return editPage(reply, user, Number(request.params.id), scope, formValues(request.body), [], 409, err.wordedIn(request.t))
      }
      throw err
    }
  })


  r.get('/coordinate/sessions/:id/cancel', { config: coordinator, schema: { params: IdParams, querystring: CancelSessionQuery } }, async (request, reply) => {
    const user = userOf(request)
    const page = await sessionPage(app.ctx, user, Number(request.params.id), request.locale())
    const scope = request.query.scope ?? 'one'
    return reply.page('coordinate/session-cancel', { title: request.t(scope === 'one' ? 'coordinator.cancel.one' : 'coordinator.cancel.rest'), page, scope, errors: [] })
  })

  r.post('/coordinate/sessions/:id/cancel', { config: coordinator, schema: { params: IdParams, body: CancelSessionBody } }, async (request, reply) => {
    const user = userOf(request)
    const scope = forms.text(request.body.scope) === 'rest' ? 'rest' : 'one'
    const done = await cancelSessions(app.ctx, user, Number(request.params.id), scope, request.body.reason)
    const t = request.t
    const emailed = done.emailed ? t('coordinator.actions.emailedCancellation', { count: done.emailed }) : t('coordinator.actions.nobodyEmailed')
    reply.flash(t('coordinator.actions.sessionsCancelled', { count: done.sessions, emailed }))
    return reply.redirect(`/coordinate/sessions/${Number(request.params.id)}`, 303)
  })
}
