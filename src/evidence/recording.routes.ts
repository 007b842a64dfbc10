// HTTP behind the link in the email sent when a session ends: one short form (attendance and report), no sign-in; only the POST acts.
import { linkLanguage } from '../people/reader-language.service.js'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FieldError } from '../errors.js'
import { RecordingBody } from '../forms/schemas.js'
import { MAX_NOTE, MAX_PEOPLE, type ReportForm } from './session-report.service.js'
import { recordFromLink, recordingFormFromBody, recordingPage, RECORDING_LINK_DAYS, type RecordingPage } from './recording-links.service.js'

export default async function recordingRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctx = app.ctx
  const params = Type.Object({ token: Type.String({ maxLength: 200 }) })

  /** The link is the key: keep it out of Referer headers and shared caches. */
  const secret = (reply: FastifyReply) => reply.header('Referrer-Policy', 'no-referrer').header('Cache-Control', 'no-store')

  function show(request: FastifyRequest, reply: FastifyReply, token: string, page: RecordingPage, form: { outcome: string; report: ReportForm } | null, errors: FieldError[], status = 200) {
    const t = request.t
    secret(reply)
    if (page.status === 'used') return reply.page('record/ended', { title: t('evidence.record.usedTitle'), used: true, days: RECORDING_LINK_DAYS }, { status: 410 })
    if (page.status === 'expired') return reply.page('record/ended', { title: t('evidence.record.expiredTitle'), used: false, days: RECORDING_LINK_DAYS }, { status: 410 })
    if (page.status === 'closed') return reply.page('record/closed', { title: t('evidence.record.closedTitle', { title: page.session.title }), page }, { status: 409 })
    const outcome = form ? form.outcome : (page.outcome ?? '')
    const title = t('evidence.record.title', { title: page.session.title })
    return reply.page(
      'record/form',
      { title: errors.length ? t('common.errorTitle', { title }) : title, page, token, outcome, values: form ? form.report : page.values, errors, maxPeople: MAX_PEOPLE, maxNote: MAX_NOTE },
      { status },
    )
  }

  r.get('/record/:token', { config: { access: 'token', rateLimit: { max: 60, timeWindow: '10 minutes' } }, schema: { params } }, async (request, reply) => {
    return show(request, reply, request.params.token, await recordingPage(ctx, request.params.token, linkLanguage(ctx, (l) => request.readAs(l))), null, [])
  })

  r.post(
    '/record/:token',
    { config: { access: 'token', rateLimit: { max: 30, timeWindow: '10 minutes' } }, schema: { params, body: RecordingBody } },
    async (request, reply) => {
      const token = request.params.token
      const form = recordingFormFromBody(request.body as Record<string, unknown>)
      const result = await recordFromLink(ctx, token, form, linkLanguage(ctx, (l) => request.readAs(l)))
      if ('kind' in result && result.kind === 'refused') return show(request, reply, token, result.page, form, result.errors, 400)
      if ('kind' in result) {
        secret(reply)
        return reply.page('record/done', { title: request.t('evidence.record.doneTitle'), result })
      }
      return show(request, reply, token, result, null, [])
    },
  )
}
