// HTTP for coordinators' list of emails that could not be delivered, and trying one again.
import type { FastifyInstance } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { retryUndelivered, undeliveredEmails, UNDELIVERED_WINDOW_DAYS } from './outbox.service.js'

export default async function undeliveredRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.get('/coordinate/undelivered', { config: { access: 'coordinator' } }, async (request, reply) => {
    const emails = await undeliveredEmails(app.ctx, userOf(request), request.locale())
    return reply.page('calendar/undelivered', { title: request.t('admin.undelivered.title'), emails, windowDays: UNDELIVERED_WINDOW_DAYS })
  })

  r.post(
    '/coordinate/undelivered/:id/retry',
    { config: { access: 'coordinator' }, schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } },
    async (request, reply) => {
      await retryUndelivered(app.ctx, userOf(request), request.params.id)
      return reply.flash(request.t('admin.undelivered.retried')).redirect('/coordinate/undelivered', 303)
    },
  )
}
