// Every failure becomes a page a person can act on: 4xx with a plain message, 5xx logged and never detailed.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { UserError, type ErrorKind } from '../errors.js'
import { SignInRequired } from './auth.js'

interface Shown {
  status: number
  title: string
  message: string
}

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
  return reply.page('errors/error', { title: shown.title, message: shown.message }, { status: shown.status, fragment: 'errors/_error' })
}

export default fp(
  async function errors(app) {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (error instanceof SignInRequired && request.method === 'GET' && !request.isHtmx()) {
        return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303)
      }
      const shown = explain(error)
      if (shown.status >= 500) request.log.error({ err: error }, 'request failed')
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
        title: 'Page not found',
        message: 'If you typed the web address, check it is correct. If you pasted it, check you copied all of it.',
      })
    })
  },
  { name: 'errors', dependencies: ['views'] },
)
