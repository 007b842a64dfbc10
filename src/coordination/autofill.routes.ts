// HTTP for auto-fill: choose branches and dates (GET, so a proposal is a link), review the proposal, send what is kept (POST).
import type { FastifyInstance } from 'fastify'
import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { ValidationError } from '../errors.js'
import { scopeOf } from './scope.js'
import * as forms from '../forms/fields.js'
import { parseAutofillFilters, proposeAutofill, sendAutofill } from './autofill.service.js'
import { todayHere } from './gaps.service.js'
import { AutofillBody, AutofillQuery } from '../forms/schemas.js'

export default async function autofillRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.get('/coordinate/autofill', { config: { access: 'coordinator' }, schema: { querystring: AutofillQuery } }, async (request, reply) => {
    const user = userOf(request)
    const query = forms.query(request.query)
    const locale = request.locale()
    const { filters, errors } = parseAutofillFilters(query, await todayHere(app.ctx, user), locale)
    const scope = await scopeOf(app.ctx, user)
    const run = query.run === '1' && errors.length === 0
    const proposal = run ? await proposeAutofill(app.ctx, user, filters, locale) : null
    const title = request.t('coordinator.autofill.title')
    return reply.page(
      'coordinate/autofill',
      { title: errors.length ? request.t('common.errorTitle', { title }) : title, filters, errors, branches: scope.branches, proposal, values: query },
      { fragment: 'coordinate/_autofill-proposal', status: errors.length ? 400 : 200 },
    )
  })

  r.post('/coordinate/autofill', { config: { access: 'coordinator' }, schema: { body: AutofillBody } }, async (request, reply) => {
    const user = userOf(request)
    try {
      const report = await sendAutofill(app.ctx, user, request.body, request.locale())
      return reply.page('coordinate/autofill-sent', { title: request.t(report.mode === 'invite' ? 'coordinator.autofillSent.titleInvite' : 'coordinator.autofillSent.titleAssign'), report, back: forms.text(request.body.back) })
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      const query = forms.query(request.body)
      const { filters } = parseAutofillFilters(query, await todayHere(app.ctx, user), request.locale())
      const scope = await scopeOf(app.ctx, user)
      const proposal = await proposeAutofill(app.ctx, user, filters, request.locale())
      return reply.page('coordinate/autofill', { title: request.t('common.errorTitle', { title: request.t('coordinator.autofill.title') }), filters, errors: err.errors, branches: scope.branches, proposal, values: query }, { status: 400 })
    }
  })
}
