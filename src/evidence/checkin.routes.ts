// HTTP for check-in at the branch: the coordinator's printable sheet of QR codes, and the volunteer's page behind each code.
import { linkLanguage } from '../people/reader-language.service.js'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { SignInRequired, userOf } from '../plugins/auth.js'
import { ValidationError } from '../errors.js'
import { IdParams } from '../forms/schemas.js'
import { assertCheckinCode, checkIn, checkInByPlace, checkinSheet, checkinView, placeCheckinView, type CheckinState, type CheckinView } from './checkin.service.js'

/** How each state of the check-in page answers: only "ready" and "done" are plain successes. */
const STATUS: Record<CheckinState, number> = { ready: 200, 'checked-in': 200, recorded: 409, 'not-booked': 403, 'too-early': 409, ended: 409, cancelled: 409 }

export default async function checkinRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctx = app.ctx
  const CodeParams = Type.Object({ code: Type.String({ maxLength: 100 }) })

  r.get(
    '/coordinate/branches/:id/checkin',
    { config: { access: 'coordinator' }, schema: { params: IdParams, querystring: Type.Object({ date: Type.Optional(Type.String({ maxLength: 30 })) }) } },
    async (request, reply) => {
      const user = userOf(request)
      const branchId = Number(request.params.id)
      try {
        const sheet = await checkinSheet(ctx, user, branchId, request.query.date, request.locale())
        return reply.page('checkin/sheet', { title: request.t('coordinator.checkin.title', { branch: sheet.branch.name, date: sheet.dateLabel }), sheet, errors: [], dateValue: sheet.date })
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err
        const sheet = await checkinSheet(ctx, user, branchId, undefined, request.locale())
        // The one error is the date's (the service's words are English): said in the reader's language.
        const errors = err.errors.map((e) => (e.field === 'date' ? { field: 'date', message: request.t('coordinator.checkin.dateError') } : e))
        return reply.page('checkin/sheet', { title: request.t('common.errorTitle', { title: request.t('coordinator.checkin.errorTitle', { branch: sheet.branch.name }) }), sheet, errors, dateValue: request.query.date ?? '' }, { status: 400 })
      }
    },
  )

  function checkinPage(request: FastifyRequest, reply: FastifyReply, view: CheckinView, status = STATUS[view.state]) {
    // The code is the key to the page: keep it out of Referer headers and shared caches.
    reply.header('Referrer-Policy', 'no-referrer').header('Cache-Control', 'no-store')
    const title = request.t('evidence.checkin.title', { title: view.title })
    return reply.page('checkin/checkin', { title: status >= 400 ? request.t('common.errorTitle', { title }) : title, view }, { status })
  }

  // 'token': the code in the address is checked first (an unknown one is a 404 for anyone);
  // then only a signed-in volunteer booked on the session gets further.
  r.get('/checkin/:code', { config: { access: 'token' }, schema: { params: CodeParams } }, async (request, reply) => {
    await assertCheckinCode(ctx, request.params.code)
    if (!request.user) throw new SignInRequired()
    return checkinPage(request, reply, await checkinView(ctx, request.user, request.params.code, request.locale()))
  })

  r.post(
    '/checkin/:code',
    { config: { access: 'token', rateLimit: { max: 30, timeWindow: '10 minutes' } }, schema: { params: CodeParams, body: Type.Object({ _csrf: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      await assertCheckinCode(ctx, request.params.code)
      if (!request.user) throw new SignInRequired()
      const result = await checkIn(ctx, request.user, request.params.code, request.locale())
      if (!result.recorded) return checkinPage(request, reply, result.view)
      return reply.flash(result.message).redirect(`/checkin/${request.params.code}`, 303)
    },
  )

  // The per-place link from the reminder email: the link names the place, so no sign-in is asked
  // (as invitation links); it can only record that this volunteer arrived, during the session.
  const PlaceParams = Type.Object({ token: Type.String({ maxLength: 100 }) })
  r.get('/checkin/place/:token', { config: { access: 'token' }, schema: { params: PlaceParams } }, async (request, reply) => {
    return checkinPage(request, reply, await placeCheckinView(ctx, request.params.token, linkLanguage(ctx, (l) => request.readAs(l))))
  })

  r.post(
    '/checkin/place/:token',
    { config: { access: 'token', rateLimit: { max: 30, timeWindow: '10 minutes' } }, schema: { params: PlaceParams, body: Type.Object({ _csrf: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      const result = await checkInByPlace(ctx, request.params.token, linkLanguage(ctx, (l) => request.readAs(l)))
      if (!result.recorded) return checkinPage(request, reply, result.view)
      return reply.flash(result.message).redirect(`/checkin/place/${request.params.token}`, 303)
    },
  )
}
