// HTTP for calendar feeds: the .ics URLs themselves, a volunteer's "Your calendar" page, and coordinators' branch calendars.
import type { FastifyInstance } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { remindersPanel } from '../reminders/reminders.service.js'
import { coordinatorCalendarLinks, matchesEtag, renderFeed, resetBranchCalendar, resetVolunteerCalendar, volunteerCalendarLink } from './feeds.service.js'

export default async function feedsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  // Calendar apps poll this. The token in the path is the only credential: the route logs at warn
  // level, so the per-request lines (which carry the URL) are never written, and the answer is
  // the same 404 for unknown, reset or no-longer-allowed tokens.
  r.get(
    '/feeds/:token.ics',
    { config: { access: 'token' }, schema: { params: Type.Object({ token: Type.String({ maxLength: 200 }) }) }, logLevel: 'warn' },
    async (request, reply) => {
      const feed = await renderFeed(app.ctx, request.params.token)
      reply.header('Cache-Control', 'private, no-cache').header('X-Robots-Tag', 'noindex, nofollow').header('Referrer-Policy', 'no-referrer')
      if (!feed) return reply.code(404).type('text/plain; charset=utf-8').send('This calendar link does not work. It may have been reset: get the new one from Champion Rota.\n')
      reply.header('ETag', feed.etag)
      if (matchesEtag(request.headers['if-none-match'], feed.etag)) return reply.code(304).send()
      return reply
        .type('text/calendar; charset=utf-8')
        .header('Content-Disposition', 'inline; filename="champion-rota.ics"')
        .send(feed.ics)
    },
  )

  r.get('/calendar', { config: { access: 'volunteer' } }, async (request, reply) => {
    const user = userOf(request)
    const link = await volunteerCalendarLink(app.ctx, user)
    const reminders = await remindersPanel(app.ctx, user.volunteer!.id, '/calendar/reminders', request.locale())
    return reply.page('calendar/volunteer', { title: request.t('account.calendar.title'), link, reminders })
  })

  r.post('/calendar/reset', { config: { access: 'volunteer' } }, async (request, reply) => {
    await resetVolunteerCalendar(app.ctx, userOf(request))
    return reply.flash(request.t('account.calendar.resetDone')).redirect('/calendar', 303)
  })

  r.get('/coordinate/calendars', { config: { access: 'coordinator' } }, async (request, reply) => {
    const calendars = await coordinatorCalendarLinks(app.ctx, userOf(request), request.locale())
    return reply.page('calendar/coordinator', { title: request.t('coordinator.calendars.title'), calendars })
  })

  r.post(
    '/coordinate/calendars/:branchId/reset',
    { config: { access: 'coordinator' }, schema: { params: Type.Object({ branchId: Type.Integer({ minimum: 1 }) }) } },
    async (request, reply) => {
      const { branchName } = await resetBranchCalendar(app.ctx, userOf(request), request.params.branchId, request.locale())
      return reply.flash(request.t('coordinator.calendars.resetDone', { branch: branchName })).redirect('/coordinate/calendars', 303)
    },
  )

}
