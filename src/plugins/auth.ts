// Who is asking: the login-session cookie → request.user; and every route's declared access level, enforced.
//
// Each route must say who may use it (config.access); the app refuses to start if one does not,
// so no route can be left open by forgetting a guard.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isAdmin, isCoordinator, isPartner, isVolunteer, type SignedInUser } from '../auth/access.js'
import { resolveSession, SESSION_ABSOLUTE_MS } from '../auth/auth.service.js'
import { ForbiddenError, UserError } from '../errors.js'

/**
 * public: anyone. token: anyone holding the token in the URL (feeds, one-click unsubscribe,
 * invitations), checked by the route. The rest need a signed-in person with that role.
 */
export type Access = 'public' | 'token' | 'signed-in' | 'volunteer' | 'coordinator' | 'admin' | 'partner'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyRequest {
    user: SignedInUser | null
  }
  interface FastifyInstance {
    /** Every route with its declared access (for the access and CSRF tests, and for review). */
    routeTable: Array<{ method: string; url: string; access: Access; csrf: boolean }>
  }
  interface FastifyReply {
    startLoginSession(sessionId: string): FastifyReply
    endLoginSession(): FastifyReply
  }
}

export class SignInRequired extends UserError {
  constructor() {
    super({ key: 'auth.refusal.signIn' }, 'sign-in')
  }
}

const ALLOWED: Record<Exclude<Access, 'public' | 'token'>, { test: (u: SignedInUser) => boolean; refusal: string }> = {
  'signed-in': { test: () => true, refusal: 'auth.refusal.forSignedIn' },
  volunteer: { test: isVolunteer, refusal: 'auth.refusal.forVolunteers' },
  coordinator: { test: isCoordinator, refusal: 'auth.refusal.forCoordinators' },
  admin: { test: isAdmin, refusal: 'auth.refusal.forAdmins' },
  partner: { test: isPartner, refusal: 'auth.refusal.forPartners' },
}

export function checkAccess(access: Access, user: SignedInUser | null): void {
  if (access === 'public' || access === 'token') return
  if (!user) throw new SignInRequired()
  const rule = ALLOWED[access]
  if (!rule.test(user)) throw new ForbiddenError({ key: rule.refusal })
}

export default fp(
  async function auth(app) {
    const cookieName = app.config.isProduction ? '__Host-rota_session' : 'rota_session'
    const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: app.config.isProduction }
    // The CSRF secret's cookie (set by the security plugin). It is dropped whenever the login
    // session starts or ends, so a form token obtained before (or by someone else on a shared
    // machine) does not carry over: the next page gets a fresh secret.
    const csrfCookieName = app.config.isProduction ? '__Host-rota_csrf' : 'rota_csrf'

    const routeTable: FastifyInstance['routeTable'] = []
    app.decorate('routeTable', routeTable)
    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/static/') || route.prefix?.startsWith('/static')) return
      const config = route.config as { access?: Access; csrf?: boolean } | undefined
      const access = config?.access
      if (!access) throw new Error(`route ${String(route.method)} ${route.url} must declare config.access`)
      for (const method of [route.method].flat()) {
        routeTable.push({ method: String(method), url: route.url, access, csrf: config?.csrf !== false })
      }
    })

    app.decorateRequest('user', null)
    app.addHook('onRequest', async (request) => {
      request.user = null
      if (request.url.startsWith('/static/') || request.url === '/healthz') return
      const sessionId = request.cookies[cookieName]
      if (sessionId) request.user = await resolveSession(app.ctx, sessionId)
    })

    // Before body validation, so a stranger learns nothing from validation messages.
    app.addHook('preValidation', async (request) => {
      const access = request.routeOptions.config?.access
      if (access) checkAccess(access, request.user)
    })

    app.decorateReply('startLoginSession', function (this: FastifyReply, sessionId: string) {
      return this.clearCookie(csrfCookieName, cookieOptions).setCookie(cookieName, sessionId, { ...cookieOptions, maxAge: SESSION_ABSOLUTE_MS / 1000 })
    })
    app.decorateReply('endLoginSession', function (this: FastifyReply) {
      return this.clearCookie(csrfCookieName, cookieOptions).clearCookie(cookieName, cookieOptions)
    })
  },
  { name: 'auth', dependencies: ['config', 'db', 'context'] },
)

/** The signed-in user in a guarded handler. */
export function userOf(request: FastifyRequest): SignedInUser {
  if (!request.user) throw new SignInRequired()
  return request.user
}
