// HTTP for a volunteer's sessions: /sessions (find), booking and the waiting list, /sessions/:id, /my-sessions, withdrawing and asking for cover.
//
// Every form works as a plain POST that redirects back with a confirmation (or answers 409 with
// the reason in the page). htmx requests get the one result swapped in place instead, with the
// message focused; a refusal keeps its 409 and static/app.js swaps it in all the same.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { safeRedirectPath } from '../auth/safe-redirect.js'
import { ValidationError } from '../errors.js'
import { formatFor } from '../views/format.js'
import { describeOutcome, withdrawnMessage } from './booking-wording.js'
import { book, waitFor } from './booking.service.js'
import { findSessions } from './find.service.js'
import { mySessions } from './my-sessions.service.js'
import { calendarFile, cardFor, sessionPage, statusFor } from './session-page.service.js'
import { MAX_REASON, withdraw, withdrawalView, type WithdrawOutcome } from './withdrawal.service.js'
import { askForCover, coverMessage, openCoverOf } from './cover.service.js'
import { ownMarks } from '../evidence/attendance.service.js'

const idParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) })
const short = () => Type.Optional(Type.String({ maxLength: 40 }))
const findQuery = Type.Object({ branch: short(), from: short(), to: short(), topic: short(), outside: short(), full: short(), page: short() })
const actionBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), return: Type.Optional(Type.String({ maxLength: 1000 })) })
const withdrawBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), reason: Type.Optional(Type.String({ maxLength: 5000 })) })

/** Where to go back to after booking: only the volunteer's own pages. */
export function returnPath(value: unknown, baseUrl: string): string {
  const path = safeRedirectPath(value, baseUrl, '/sessions')
  return /^\/(sessions|my-sessions)(\/|\?|$)/.test(path) ? path : '/sessions'
}

/** A query string ("?a=1") with one parameter set (and the page reset unless it is the page). */
export function withParam(query: string, key: string, value: string): string {
  const params = new URLSearchParams(query)
  if (key !== 'page') params.delete('page')
  params.set(key, value)
  return `?${params.toString()}`
}

export default async function bookingRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctx = app.ctx
  const access = { access: 'volunteer' as const }

  r.get('/sessions', { config: access, schema: { querystring: findQuery } }, async (request, reply) => {
    const page = await findSessions(ctx, userOf(request), request.query, request.locale())
    // Paging moves focus to the results; changing a filter leaves it where the person is.
    const trigger = String(request.headers['hx-trigger'] ?? '')
    // The address bar gets the short form of the filters (defaults left out), which loads the same page.
    if (request.isHtmx()) reply.header('HX-Push-Url', `/sessions${page.query}`)
    return reply.page(
      'bookings/find',
      {
        title: page.errors.length ? request.t('common.errorTitle', { title: request.t('volunteer.find.title') }) : request.t('volunteer.find.title'),
        ...page,
        returnTo: `/sessions${page.query}`,
        withParam: (key: string, value: string) => withParam(page.query, key, value),
        htmx: request.isHtmx(),
        focusResults: trigger.startsWith('results-page'),
      },
      { fragment: 'bookings/_results', status: page.errors.length ? 400 : 200 },
    )
  })

  async function answer(request: FastifyRequest, reply: FastifyReply, id: number, result: Awaited<ReturnType<typeof book>>) {
    const user = userOf(request)
    const body = (request.body ?? {}) as { return?: string }
    const returnTo = returnPath(body.return, app.config.baseUrl)
    const { outcome, session } = result
    const message = describeOutcome(outcome, session, request.locale())
    const ok = outcome.kind === 'booked' || outcome.kind === 'waitlisted'
    if (request.isHtmx()) {
      const { card, upcomingCount } = await statusFor(ctx, user, id, outcome, request.locale())
      card.message = message
      card.focus = true
      return reply.page('bookings/_card-swap', { card, returnTo, upcomingCount, ok }, { status: ok ? 200 : 409 })
    }
    if (ok) return reply.flash(message).redirect(returnTo, 303)
    const card = await cardFor(ctx, user, id, undefined, request.locale())
    return reply.page(
      'bookings/refused',
      { title: request.t(outcome.kind === 'full' ? 'volunteer.refused.titleFull' : 'volunteer.refused.titleRefused'), card, message, returnTo },
      { status: 409 },
    )
  }

  r.post('/sessions/:id/book', { config: access, schema: { params: idParams, body: actionBody } }, async (request, reply) => {
    return answer(request, reply, request.params.id, await book(ctx, userOf(request), request.params.id, request.locale()))
  })

  r.post('/sessions/:id/waitlist', { config: access, schema: { params: idParams, body: actionBody } }, async (request, reply) => {
    return answer(request, reply, request.params.id, await waitFor(ctx, userOf(request), request.params.id, request.locale()))
  })

  // Signed in, not only volunteers: the service lets a coordinator of the branch preview the page.
  r.get('/sessions/:id', { config: { access: 'signed-in' as const }, schema: { params: idParams } }, async (request, reply) => {
    const data = await sessionPage(ctx, userOf(request), request.params.id, request.locale())
    return reply.page('bookings/session', { title: `${data.session.title}, ${formatFor(request.locale()).longDate(data.session.local_date)}`, ...data, returnTo: `/sessions/${request.params.id}` })
  })

  r.get('/sessions/:id/calendar.ics', { config: access, schema: { params: idParams } }, async (request, reply) => {
    const file = await calendarFile(ctx, userOf(request), request.params.id)
    return reply
      .type('text/calendar; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${file.filename}"`)
      .send(file.content)
  })

  r.get('/my-sessions', { config: access }, async (request, reply) => {
    const mine = await mySessions(ctx, userOf(request), request.locale())
    return reply.page('bookings/my-sessions', { title: request.t('volunteer.mySessions.title'), ...mine, marks: await ownMarks(ctx, mine.past.map((p) => p.assignment_id)) })
  })

  const withdrawTitles = { withdraw: 'volunteer.withdraw.titleWithdraw', 'cannot-make-it': 'volunteer.withdraw.titleCannotMakeIt', 'leave-waitlist': 'volunteer.withdraw.titleLeaveWaitlist' } as const

  r.get('/my-sessions/:id/withdraw', { config: access, schema: { params: idParams } }, async (request, reply) => {
    const user = userOf(request)
    const view = await withdrawalView(ctx, user, request.params.id, request.locale())
    return reply.page('bookings/withdraw', { title: request.t(withdrawTitles[view.kind]), ...view, cover: await openCoverOf(ctx, user, request.params.id), values: {} })
  })

  // "Ask for cover instead": they keep the place until someone accepts; with nobody to ask, the page says so and still offers withdrawing.
  r.post('/my-sessions/:id/cover', { config: access, schema: { params: idParams, body: actionBody } }, async (request, reply) => {
    const user = userOf(request)
    const outcome = await askForCover(ctx, user, request.params.id)
    if (outcome.kind !== 'no-candidates') return reply.flash(coverMessage(outcome, request.locale())).redirect('/my-sessions', 303)
    const view = await withdrawalView(ctx, user, request.params.id, request.locale())
    return reply.page('bookings/withdraw', { title: request.t(withdrawTitles[view.kind]), ...view, cover: null, noCover: coverMessage(outcome, request.locale()), values: {} })
  })

  r.post('/my-sessions/:id/withdraw', { config: access, schema: { params: idParams, body: withdrawBody } }, async (request, reply) => {
    const user = userOf(request)
    let outcome: WithdrawOutcome
    try {
      outcome = await withdraw(ctx, user, request.params.id, request.body.reason)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      const view = await withdrawalView(ctx, user, request.params.id, request.locale())
      // The one thing a reason can get wrong is its length: said in the page's language.
      const errors = err.errors.map((e) => (e.field === 'reason' ? { ...e, message: request.t('volunteer.withdraw.reasonTooLong', { max: MAX_REASON.toLocaleString('en-GB') }) } : e))
      return reply.page('bookings/withdraw', { title: request.t('common.errorTitle', { title: request.t(withdrawTitles[view.kind]) }), ...view, cover: await openCoverOf(ctx, user, request.params.id), values: request.body, errors }, { status: 400 })
    }
    return reply.flash(withdrawnMessage(outcome, request.locale())).redirect('/my-sessions', 303)
  })
}
