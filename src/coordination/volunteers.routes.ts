// HTTP for coordinators' volunteers: search, one volunteer's record, approve, pause, resume, reject or mark as left (each confirmed first), record a training or check.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { ValidationError, type FieldError } from '../errors.js'
import * as forms from '../forms/fields.js'
import { REASON_MAX, STATUSES, changeVolunteerStatus, listVolunteers, parseSearch, recordTraining, statusChangeConfirmation, trainingForm, volunteerRecord } from './volunteers.service.js'
import { IdParams, TrainingBody, VolunteerActionBody, VolunteerSearchQuery, VolunteerStatusBody } from '../forms/schemas.js'

export default async function volunteerRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const coordinator = { access: 'coordinator' as const }

  r.get('/coordinate/volunteers', { config: coordinator, schema: { querystring: VolunteerSearchQuery } }, async (request, reply) => {
    const list = await listVolunteers(app.ctx, userOf(request), parseSearch(forms.query(request.query)), request.locale())
    const qs = (page: number) => {
      const p = new URLSearchParams()
      if (list.search.q) p.set('q', list.search.q)
      if (list.search.skill !== null) p.set('skill', String(list.search.skill))
      if (list.search.branch !== null) p.set('branch', String(list.search.branch))
      if (list.search.status !== null) p.set('status', list.search.status)
      if (page > 1) p.set('page', String(page))
      return p.toString()
    }
    return reply.page('coordinate/volunteers', { title: request.t('coordinator.volunteers.title'), list, statuses: STATUSES, qs }, { fragment: 'coordinate/_volunteer-list' })
  })

  r.get('/coordinate/volunteers/:id', { config: coordinator, schema: { params: IdParams } }, async (request, reply) => {
    const record = await volunteerRecord(app.ctx, userOf(request), Number(request.params.id), request.locale())
    return reply.page('coordinate/volunteer', { title: record.volunteer.name, record })
  })

  const actionParams = Type.Object({ id: IdParams.properties.id, action: Type.Union([Type.Literal('approve'), Type.Literal('pause'), Type.Literal('resume')]) })
  r.post('/coordinate/volunteers/:id/:action', { config: coordinator, schema: { params: actionParams, body: VolunteerActionBody } }, async (request, reply) => {
    const message = await changeVolunteerStatus(app.ctx, userOf(request), Number(request.params.id), request.params.action, {}, request.locale())
    return reply.flash(message).redirect(`/coordinate/volunteers/${Number(request.params.id)}`, 303)
  })

  // Rejecting an applicant and marking someone as left cannot be undone by a click: an "Are you sure?" page first, a plain form (no JavaScript needed).
  const CONFIRM_TITLES = { reject: 'coordinator.statusChange.rejectTitle', leave: 'coordinator.statusChange.leaveTitle' } as const
  for (const action of ['reject', 'leave'] as const) {
    const confirmPage = async (request: FastifyRequest, volunteerId: number, values: { reason: string }, errors: FieldError[]) => {
      const confirm = await statusChangeConfirmation(app.ctx, userOf(request), volunteerId, action)
      const title = request.t(CONFIRM_TITLES[action], { name: confirm.volunteer.name })
      // A reason too long (the one error this form has; FormReader's words are English), in the page's language.
      const tooLong = forms.say.tooLong('Reason', REASON_MAX)
      const said = errors.map((e) => (e.field === 'reason' && e.message === tooLong ? { field: e.field, message: request.t('coordinator.statusChange.reasonTooLong', { max: REASON_MAX.toLocaleString('en-GB') }) } : e))
      return { title: said.length ? request.t('common.errorTitle', { title }) : title, action, ...confirm, values, errors: said }
    }
    r.get(`/coordinate/volunteers/:id/${action}`, { config: coordinator, schema: { params: IdParams } }, async (request, reply) => {
      return reply.page('coordinate/volunteer-status', await confirmPage(request, Number(request.params.id), { reason: '' }, []))
    })
    r.post(`/coordinate/volunteers/:id/${action}`, { config: coordinator, schema: { params: IdParams, body: VolunteerStatusBody } }, async (request, reply) => {
      try {
        const message = await changeVolunteerStatus(app.ctx, userOf(request), Number(request.params.id), action, request.body, request.locale())
        return reply.flash(message).redirect(`/coordinate/volunteers/${Number(request.params.id)}`, 303)
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err
        return reply.page('coordinate/volunteer-status', await confirmPage(request, Number(request.params.id), { reason: forms.text(request.body.reason) }, err.errors), { status: 400 })
      }
    })
  }

  r.get('/coordinate/volunteers/:id/trainings/new', { config: coordinator, schema: { params: IdParams } }, async (request, reply) => {
    const form = await trainingForm(app.ctx, userOf(request), Number(request.params.id))
    return reply.page('coordinate/training-new', { title: request.t('planning.training.title', { name: form.volunteer.name }), ...form, values: {}, errors: [] })
  })

  r.post('/coordinate/volunteers/:id/trainings/new', { config: coordinator, schema: { params: IdParams, body: TrainingBody } }, async (request, reply) => {
    const user = userOf(request)
    try {
      const message = await recordTraining(app.ctx, user, Number(request.params.id), request.body, request.locale())
      return reply.flash(message).redirect(`/coordinate/volunteers/${Number(request.params.id)}#trainings`, 303)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      const form = await trainingForm(app.ctx, user, Number(request.params.id))
      const values = { kind: forms.text(request.body.kind), completed: forms.text(request.body.completed), expires: forms.text(request.body.expires) }
      const title = request.t('planning.training.title', { name: form.volunteer.name })
      return reply.page('coordinate/training-new', { title: request.t('common.errorTitle', { title }), ...form, values, errors: err.errors }, { status: 400 })
    }
  })
}
