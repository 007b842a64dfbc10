// HTTP for sign-in by emailed link, confirming it with a POST, and signing out.
import type { FastifyInstance } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { normaliseEmail } from './email-address.js'
import { clientKeyFor, confirmSignIn, isSignInLinkUsable, requestSignInLink, signOut } from './auth.service.js'
import { userOf } from '../plugins/auth.js'
import { safeRedirectPath } from './safe-redirect.js'


export default async function authRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const safeNext = (next: unknown) => safeRedirectPath(next, app.config.baseUrl, '/dashboard')

  r.get(
    '/sign-in',
    { config: { access: 'public' }, schema: { querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }) } },
    async (request, reply) => {
      if (request.user) return reply.redirect(safeNext(request.query.next), 303)
      return reply.page('auth/sign-in', { title: request.t('auth.signIn.title'), next: safeNext(request.query.next), values: {}, errors: [] })
    },
  )

  r.post(
    '/sign-in',
    {
      schema: {
        body: Type.Object({
          email: Type.Optional(Type.String({ maxLength: 1000 })),
          next: Type.Optional(Type.String({ maxLength: 1000 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
      config: { access: 'public', rateLimit: { max: 20, timeWindow: '10 minutes' } },
    },
    async (request, reply) => {
      const email = normaliseEmail(request.body.email)
      const next = safeNext(request.body.next)
      if (!email) {
        const message =
          (request.body.email ?? '').trim() === '' ? request.t('auth.signIn.errorEmpty') : request.t('auth.signIn.errorFormat')
        return reply.page(
          'auth/sign-in',
          { title: request.t('common.errorTitle', { title: request.t('auth.signIn.title') }), next, values: { email: request.body.email ?? '' }, errors: [{ field: 'email', message }] },
          { status: 400 },
        )
      }
      await requestSignInLink(app.ctx, email, clientKeyFor(request.ip), request.locale())
      return reply.flash(email).redirect('/sign-in/check-email', 303)
    },
  )

  r.get('/sign-in/check-email', { config: { access: 'public' } }, async (request, reply) => {
    return reply.page('auth/check-email', { title: request.t('auth.checkEmail.title') })
  })

  r.get(
    '/sign-in/confirm/:token',
    { config: { access: 'public' }, schema: { params: Type.Object({ token: Type.String({ maxLength: 200 }) }) } },
    async (request, reply) => {
      // Viewing this page spends nothing: only the button's POST does.
      if (!(await isSignInLinkUsable(app.ctx, request.params.token))) {
        return reply.page('auth/link-expired', { title: request.t('auth.linkExpired.title') }, { status: 410 })
      }
      return reply.page('auth/confirm', { title: request.t('auth.confirm.title'), token: request.params.token })
    },
  )

  r.post(
    '/sign-in/confirm',
    {
      schema: { body: Type.Object({ token: Type.String({ maxLength: 200 }), _csrf: Type.Optional(Type.String()) }) },
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '10 minutes' } },
    },
    async (request, reply) => {
      const result = await confirmSignIn(app.ctx, request.body.token)
      if (!result) return reply.page('auth/link-expired', { title: request.t('auth.linkExpired.title') }, { status: 410 })
      return reply.startLoginSession(result.sessionId).redirect('/dashboard', 303)
    },
  )

  r.post('/sign-out', { config: { access: 'signed-in' } }, async (request, reply) => {
    await signOut(app.ctx, userOf(request).sessionIdHash)
    return reply.endLoginSession().flash('You have signed out.').redirect('/', 303)
  })
}
