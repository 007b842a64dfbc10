// Security for every request: cookies, headers (CSP without inline script), CSRF on state changes, rate limits, no-store.
import fp from 'fastify-plugin'
import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import helmet from 'helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyFormbody from '@fastify/formbody'
import { parse as parseQuery } from 'node:querystring'
import type { IncomingMessage, ServerResponse } from 'node:http'

declare module 'fastify' {
  interface FastifyInstance {
    /** The security headers every page gets, for answers written outside the request hooks (errors.ts). */
    applySecurityHeaders(request: IncomingMessage, response: ServerResponse): void
  }
  interface FastifyContextConfig {
    /** false: a state-changing route that authenticates by its own token instead (RFC 8058 one-click unsubscribe). */
    csrf?: boolean
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export default fp(
  async function security(app) {
    const prod = app.config.isProduction
    await app.register(fastifyCookie, { secret: app.config.sessionSecret })
    // Forms arrive url-encoded; repeated keys (checkboxes) become arrays. Bodies are small.
    await app.register(fastifyFormbody, { bodyLimit: 64 * 1024, parser: (body) => parseQuery(body, '&', '=', { maxKeys: 500 }) })

    // Helmet's middleware, built once. (@fastify/helmet builds a new one for every request, parsing
    // the policy again each time: 8 µs a request, a sixth of what answering /healthz costs.)
    const securityHeaders = helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
          ...(prod ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: prod ? { maxAge: 31536000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'same-origin' },
    })
    app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)))
    // A page reached by a token in its URL (sign-in, invitation, feed, reminders links): the URL is
    // a credential, so it never goes out in a Referer and no cache keeps the page.
    app.addHook('onRequest', (request, reply, done) => {
      const route = request.routeOptions
      if (route.config?.access === 'token' || route.url?.includes(':token')) {
        reply.header('Referrer-Policy', 'no-referrer').header('Cache-Control', 'no-store')
      }
      done()
    })
    // Helmet only sets headers and calls back at once, so this is synchronous.
    app.decorate('applySecurityHeaders', (request: IncomingMessage, response: ServerResponse) => securityHeaders(request, response, () => {}))

    await app.register(fastifyCsrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: prod ? '__Host-rota_csrf' : 'rota_csrf',
      cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: prod, signed: true },
    })

    // After the body is parsed (so the _csrf field is there) and before any validation or handler.
    app.addHook('preValidation', (request, reply, done) => {
      if (SAFE_METHODS.has(request.method) || request.routeOptions.config?.csrf === false) return done()
      app.csrfProtection(request, reply, done)
    })

    await app.register(fastifyRateLimit, { global: false })

    app.addHook('onSend', async (request, reply, payload) => {
      if (!reply.hasHeader('cache-control') && !request.url.startsWith('/static/')) {
        reply.header('Cache-Control', request.user ? 'no-store' : 'no-cache')
      }
      return payload
    })
  },
  { name: 'security', dependencies: ['config'] },
)
