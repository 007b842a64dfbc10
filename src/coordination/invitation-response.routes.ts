// HTTP behind the links in invitation emails: the page shows the session and buttons; only the buttons' POST acts (mail scanners follow links).
import type { FastifyInstance } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { invitationPage, invitationRefusalText, respondToInvitation } from './invitations.service.js'
import { linkLanguage } from '../people/reader-language.service.js'

export default async function invitationResponseRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const params = Type.Object({ token: Type.String({ maxLength: 200 }) })

  r.get(
    '/invitations/:token',
    { config: { access: 'token' }, schema: { params, querystring: Type.Object({ answer: Type.Optional(Type.String({ maxLength: 20 })) }) } },
    async (request, reply) => {
      const page = await invitationPage(app.ctx, request.params.token, linkLanguage(app.ctx, (l) => request.readAs(l)))
      const answer = request.query.answer === 'decline' ? 'decline' : 'accept'
      // The link is the key: keep it out of Referer headers and shared caches.
      reply.header('Referrer-Policy', 'no-referrer').header('Cache-Control', 'no-store')
      return reply.page('invitations/respond', { title: request.t('account.invitation.title', { title: page.view.title }), page, token: request.params.token, answer, refused: null })
    },
  )

  r.post(
    '/invitations/:token',
    {
      config: { access: 'token', rateLimit: { max: 30, timeWindow: '10 minutes' } },
      schema: { params, body: Type.Object({ answer: Type.Union([Type.Literal('accept'), Type.Literal('decline'), Type.Literal('waitlist')]), _csrf: Type.Optional(Type.String()) }) },
    },
    async (request, reply) => {
      const { refused } = await respondToInvitation(app.ctx, request.params.token, request.body.answer)
      if (refused) {
        const page = await invitationPage(app.ctx, request.params.token, linkLanguage(app.ctx, (l) => request.readAs(l)))
        reply.header('Referrer-Policy', 'no-referrer').header('Cache-Control', 'no-store')
        const title = request.t('common.errorTitle', { title: request.t('account.invitation.title', { title: page.view.title }) })
        return reply.page('invitations/respond', { title, page, token: request.params.token, answer: 'accept', refused: invitationRefusalText(refused, page.view, request.locale()) }, { status: 409 })
      }
      return reply.redirect(`/invitations/${request.params.token}`, 303)
    },
  )
}
