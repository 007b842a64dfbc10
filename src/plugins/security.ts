// Security for every request: cookies, headers (CSP without inline script), CSRF on state changes, rate limits, no-store.
import fp from 'fastify-plugin'
import fastifyCookie, { Signer, type UnsignResult } from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import helmet from 'helmet'
import fastifyRateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import fastifyFormbody from '@fastify/formbody'
import { parse as parseQuery } from 'node:querystring'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sharedRateLimitStore } from '../security/rate-limits.service.js'

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

/**
 * The cookie signer, remembering the signed values it has found genuine. Every page checks the
 * CSRF cookie's signature to make its form token, and every form post checks it again: an HMAC
 * each time for a value that a browser sends back unchanged for as long as it keeps the cookie
 * (a profile of the find page and of bookings: a few per cent of each request). Verifying is a
 * pure function of the signed value and the secret, so a value once found genuine stays so; only
 * genuine values are kept (a forged one is checked, and refused, every time), a bounded number.
 */
export function rememberingSigner(secret: string, limit = 10_000): { sign(value: string): string; unsign(signed: string): UnsignResult } {
  const signer = new Signer(secret)
  const genuine = new Map<string, string>()
  return {
    sign: (value: string) => signer.sign(value),
    unsign(signed: string): UnsignResult {
      const value = genuine.get(signed)
      if (value !== undefined) return { valid: true, renew: false, value }
      const result = signer.unsign(signed)
      if (result.valid && result.value !== null) {
        if (genuine.size >= limit) genuine.clear()
        genuine.set(signed, result.value)
      }
      return result
    },
  }
}

export default fp(
  async function security(app) {
    const prod = app.config.isProduction
    await app.register(fastifyCookie, { secret: rememberingSigner(app.config.sessionSecret) })
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

    // Limits are per route (config.rateLimit), keyed on request.ip. On PostgreSQL the counts live in the
    // database, shared by every instance, so N instances do not allow N times the limit (issue 15); on
    // SQLite there is one process, and the in-process store counts without a write per request.
    const store =
      app.dialect === 'postgres'
        ? sharedRateLimitStore({
            db: app.db,
            clock: app.clock,
            onError: (err) => app.log.warn({ err }, 'rate limit not counted: the database did not answer; the request was let through'),
          })
        : undefined
    // The plugin's types leave out incr's window and max arguments, which the shared store needs.
    await app.register(fastifyRateLimit, { global: false, ...(store ? { store: store as unknown as FastifyRateLimitStoreCtor } : {}) })

    app.addHook('onSend', async (request, reply, payload) => {
      if (!reply.hasHeader('cache-control') && !request.url.startsWith('/static/')) {
        reply.header('Cache-Control', request.user ? 'no-store' : 'no-cache')
      }
      return payload
    })
  },
  { name: 'security', dependencies: ['config', 'db'] },
)
