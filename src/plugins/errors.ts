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
import { translator, type Translate } from '../i18n/i18n.js'

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

/** The answers given before any request's hooks ran (rendered at start, in English): status → keys. */
const PLAIN: Record<number, { title: string; message: string }> = {
  400: { title: 'errors.answer.invalid', message: 'errors.answer.badAddress' },
  414: { title: 'errors.answer.longAddressTitle', message: 'errors.answer.longAddressMessage' },
  408: { title: 'errors.answer.invalid', message: 'errors.answer.slowRequest' },
  431: { title: 'errors.answer.invalid', message: 'errors.answer.headersTooLarge' },
}

function plain(status: number, t: Translate = translator('en')): Shown {
  const keys = PLAIN[status]!
  return { status, title: t(keys.title), message: t(keys.message), translated: true }
}

/** A header value Node will refuse to write (control characters, or beyond Latin-1). */
const UNWRITABLE_HEADER = /[^\t\x20-\x7e\x80-\xff]/

/** The one place a domain error's kind becomes an HTTP answer (its title, a catalogue key). */
const ANSWERS: Record<ErrorKind, { status: number; title: string }> = {
  invalid: { status: 400, title: 'errors.answer.invalid' },
  'sign-in': { status: 401, title: 'errors.answer.signIn' },
  forbidden: { status: 403, title: 'errors.answer.forbidden' },
  'not-found': { status: 404, title: 'errors.answer.notFound' },
  conflict: { status: 409, title: 'errors.answer.conflict' },
}

/** What to show for an error, in the language of `t`. Only a service's own plain-English sentence stays English. */
function explain(error: FastifyError, t: Translate = translator('en')): Shown {
  const said = (status: number, title: string, message: string): Shown => ({ status, title: t(title), message: t(message), translated: true })
  if (error instanceof UserError) {
    const answer = ANSWERS[error.kind]
    // A sentence without a catalogue key is English: the whole page then says so (lang="en").
    const language = error.wording ? t : translator('en')
    return { status: answer.status, title: language(answer.title), message: error.wordedIn(language), translated: error.wording !== undefined }
  }
  if (error instanceof DatabaseUnavailableError) return said(503, 'errors.answer.busyTitle', 'errors.answer.busyMessage')
  const code = error.code ?? ''
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') return said(403, 'errors.answer.expiredTitle', 'errors.answer.expiredMessage')
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return said(413, 'errors.answer.tooLargeTitle', 'errors.answer.tooLargeMessage')
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return said(415, 'errors.answer.invalid', 'errors.answer.unreadableForm')
  if (code === 'FST_ERR_BAD_URL') return plain(400, t)
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return plain(414, t)
  if (error.validation) return said(400, 'errors.answer.invalid', 'errors.answer.badInput')
  const status = error.statusCode ?? 500
  if (status === 429) return said(status, 'errors.answer.tooManyTitle', 'errors.answer.tooManyMessage')
  if (status >= 400 && status < 500) return said(status, 'errors.answer.invalid', 'errors.answer.badRequest')
  return said(500, 'errors.answer.failedTitle', 'errors.answer.failedMessage')
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
  // A service's own plain-English sentence is shown on an English page (lang="en"), everything else in the reader's language.
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
  sendReadyPage(reply.server, reply, shown.status >= 500 ? plain(400) : shown, fragment)
}

/** Fastify's `clientErrorHandler`: Node's parser refused the request itself (431 headers too large, 400 otherwise). */
export function clientErrorPage(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'
  const shown = plain(status)
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
      for (const status of Object.keys(PLAIN).map(Number)) {
        const shown = plain(status)
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
      const shown = explain(error, request.t)
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
