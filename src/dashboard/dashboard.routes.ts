// HTTP for each role's first page: /dashboard (volunteer), /coordinate (coordinator), /admin (admin).
import { sessionsWithoutReport } from '../evidence/reports.service.js'
import type { FastifyInstance } from 'fastify'
import { userOf } from '../plugins/auth.js'
import { isCoordinator, isAdmin, isPartner } from '../auth/access.js'
import { adminHome, coordinatorHome, volunteerHome } from './dashboard.service.js'
import { coordinatorMailPanel } from '../mail/outbox.service.js'

export default async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  // Where sign-in lands: the volunteer's own page, or the first role page a non-volunteer has.
  app.get('/dashboard', { config: { access: 'signed-in' } }, async (request, reply) => {
    const user = userOf(request)
    if (!user.volunteer) {
      if (isCoordinator(user)) return reply.redirect('/coordinate', 303)
      if (isAdmin(user)) return reply.redirect('/admin', 303)
      if (isPartner(user)) return reply.redirect('/network', 303)
      return reply.page('dashboard/no-role', { title: request.t('admin.noRole.title') })
    }
    return reply.page('dashboard/volunteer', { title: request.t('volunteer.dashboard.title'), home: await volunteerHome(app.ctx, user, request.locale()) })
  })

  app.get('/coordinate', { config: { access: 'coordinator' } }, async (request, reply) => {
    const user = userOf(request)
    return reply.page('dashboard/coordinator', { title: request.t('coordinator.home.title'), home: await coordinatorHome(app.ctx, user, request.locale()), mailPanel: await coordinatorMailPanel(app.ctx, user), unreported: await sessionsWithoutReport(app.ctx, user) })
  })

  app.get('/admin', { config: { access: 'admin' } }, async (request, reply) => {
    return reply.page('dashboard/admin', { title: request.t('admin.dashboard.title'), home: await adminHome(app.ctx, userOf(request), request.locale()) })
  })
}
