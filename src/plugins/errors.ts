// Every failure becomes a page a person can act on: 4xx with a plain message, 5xx logged and never detailed.
//
// Three ways out bypass the error handler, and each gets the same page, never Fastify's raw JSON:
// the router's own refusals (a malformed %-escape, a path parameter too long: `frameworkErrors`),
// and what Node's HTTP parser refuses before Fastify sees a request (headers too large, a broken
// request line: `clientErrorHandler`). Those pages are rendered once at start, since no request exists.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Socket } from 'node:net'
import { UserError, type ErrorKind } from '../errors.js'
import { SignInRequired } from './auth.js'
import { DatabaseUnavailableError } from '../db/connect.js'
import { languageContext } from './views.js'

interface Shown {
  status: number
  title: string
  message: string
  /** The title and message came from the message catalogue, in the request's language. */
  translated?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The error pages for answers given outside any request's hooks, rendered at start (status → HTML). */
    readyErrorPages: Map<string, string>
  }
}

const PLAIN: Record<number, Shown> = {
  400: { status: 400, title: 'There is a problem', message: 'That web address or request could not be understood. Check it and try again.' },
  414: { status: 414, title: 'That web address is too long', message: 'If you pasted the address, check you copied only the link.' },
  408: { status: 408, title: 'There is a problem', message: 'The request took too long to arrive. Try again.' },
  431: { status: 431, title: 'There is a problem', message: 'Your browser sent more than we accept. Clear the cookies for this site and try again.' },
}

/** A header value Node will refuse to write (control characters, or beyond Latin-1). */
const UNWRITABLE_HEADER = /[^\t\x20-\x7e\x80-\xff]/

/** The one place a domain error's kind becomes an HTTP answer. */
const ANSWERS: Record<ErrorKind, { status: number; title: string }> = {
  invalid: { status: 400, title: 'There is a problem' },
  'sign-in': { status: 401, title: 'Sign in to continue' },
  forbidden: { status: 403, title: 'You cannot do that' },
  'not-found': { status: 404, title: 'Page not found' },
  conflict: { status: 409, title: 'That could not be done' },
}

function explain(error: FastifyError): Shown {
  if (error instanceof UserError) return { ...ANSWERS[error.kind], message: error.message }
  if (error instanceof DatabaseUnavailableError) {
    return {
      status: 503,
      title: 'Sorry, the service is busy',
      message: 'Nothing has been saved. Wait a moment, then go back and try again.',
    }
  }
  const code = error.code ?? ''
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') {
    return {
      status: 403,
      title: 'This form has expired',
      message: 'For your security this form could not be sent. Go back, reload the page and try again.',
    }
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, title: 'That was too much to send', message: 'What you sent was too large. Try again with less.' }
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return { status: 415, title: 'There is a problem', message: 'The form could not be read. Go back and try again.' }
  }
  if (code === 'FST_ERR_BAD_URL') return PLAIN[400]!
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return PLAIN[414]!
  if (error.validation) {
    return { status: 400, title: 'There is a problem', message: 'Something in the form or address was not right. Go back and check it.' }
  }
  const status = error.statusCode ?? 500
  if (status === 429) {
    return { status, title: 'Too many attempts', message: 'You have tried this too many times. Wait a few minutes and try again.' }
  }
  if (status >= 400 && status < 500) {
    return { status, title: 'There is a problem', message: 'That request could not be understood. Go back and try again.' }
  }
  return {
    status: 500,
    title: 'Sorry, there is a problem with the service',
    message: 'Try again later. Nothing you entered has been saved.',
  }
}

function wantsJson(request: FastifyRequest): boolean {
  return request.url.endsWith('.json') || request.url.startsWith('/healthz')
}

async function render(request: FastifyRequest, reply: FastifyReply, shown: Shown): Promise<FastifyReply> {
  if (wantsJson(request)) return reply.code(shown.status).send({ error: shown.title, message: shown.message })
  if (request.isHtmx()) {
    // htmx swaps this into the page's error region (see views/layouts/main.eta).
    reply.header('HX-Retarget', '#htmx-error').header('HX-Reswap', 'innerHTML')
  }
  // Only messages from the catalogue are shown in Welsh; the others (a service's own wording) are not translated yet.
  return reply.page('errors/error', { title: shown.title, message: shown.message }, { status: shown.status, fragment: 'errors/_error', translated: shown.translated ?? false })
}

const pageKey = (status: number, fragment: boolean) => `${status}${fragment ? ':fragment' : ''}`

/** The page for an answer given before any hook ran, with the security headers every page gets. */
function sendReadyPage(app: FastifyInstance, reply: FastifyReply, shown: Shown, fragment: boolean): FastifyReply {
  const html = app.readyErrorPages.get(pageKey(shown.status, fragment)) ?? `${shown.title}\n${shown.message}\n`
  app.applySecurityHeaders(reply.request.raw, reply.raw)
  reply.code(shown.status).header('Cache-Control', 'no-store').header('Vary', 'HX-Request')
  if (fragment) reply.header('HX-Retarget', '#htmx-error').header('HX-Reswap', 'innerHTML')
  return reply.type(html.startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8').send(html)
}

/** Fastify's `frameworkErrors`: the router refused the URL (bad %-escape, parameter too long) before any hook ran. */
export function frameworkErrorPage(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const shown = explain(error)
  const fragment = request.headers['hx-request'] === 'true'
  sendReadyPage(reply.server, reply, shown.status >= 500 ? { ...PLAIN[400]! } : shown, fragment)
}

/** Fastify's `clientErrorHandler`: Node's parser refused the request itself (431 headers too large, 400 otherwise). */
export function clientErrorPage(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'
  const shown = PLAIN[status]!
  const html = this.readyErrorPages?.get(pageKey(status, false)) ?? `${shown.title}\n${shown.message}\n`
  const type = html.startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8'
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(html)}\r\n` +
        `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: default-src 'self'; frame-ancestors 'none'\r\n` +
        `Connection: close\r\n\r\n${html}`,
    )
  }
  socket.destroy(error)
}

export default fp(
  async function errors(app) {
    app.decorate('readyErrorPages', new Map<string, string>())
    app.addHook('onReady', async () => {
      for (const shown of Object.values(PLAIN)) {
        const status = shown.status
        // Rendered once at start-up, for when nothing else can answer: in English, the default.
        const context = { ...languageContext('en'), ...shown, user: null, nav: [], csrfToken: '', currentPath: '/', errors: [], flash: null }
        app.readyErrorPages.set(pageKey(status, false), await app.view('errors/error', context))
        app.readyErrorPages.set(pageKey(status, true), await app.view('errors/_error', context))
      }
    })

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (error instanceof SignInRequired && request.method === 'GET' && !request.isHtmx()) {
        return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303)
      }
      // A header Node refused to write (it throws at writeHead, after the handler's work is done):
      // drop it, or the error page would fail the same way and Fastify would answer with raw JSON.
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (UNWRITABLE_HEADER.test([value].flat().join(''))) reply.removeHeader(name)
      }
      const shown = explain(error)
      if (shown.status >= 500) request.log.error({ err: error }, 'request failed')
      if (shown.status === 503) reply.header('Retry-After', '5')
      try {
        return await render(request, reply, shown)
      } catch (renderError) {
        request.log.error({ err: renderError }, 'error page failed')
        return reply.code(shown.status).type('text/plain; charset=utf-8').send(`${shown.title}\n${shown.message}\n`)
      }
    })

    app.setNotFoundHandler(async (request, reply) => {
      return render(request, reply, {
        status: 404,
        title: request.t('errors.notFound.title'),
        message: request.t('errors.notFound.message'),
        translated: true,
      })
    })
  },
  { name: 'errors', dependencies: ['views'] },
)
