// HTTP for messages to a group: write, preview and send (coordinators), the sent list with each message's recipients, and the volunteer's one-click switch (RFC 8058).
import { linkLanguage } from '../people/reader-language.service.js'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { NotFoundError, UserError, ValidationError } from '../errors.js'
import * as forms from '../forms/fields.js'
import { GroupMessageBody, GroupMessageQuery, IdParams } from '../forms/schemas.js'
import type { SignedInUser } from '../auth/access.js'
import {
  messageForm,
  previewMessage,
  sendMessage,
  sentMessage,
  sentMessages,
  type Preview,
} from './group-messages.service.js'
import { setSwitch, switchState, volunteerFromSwitchToken } from '../mail/switches.js'

const tokenParams = Type.Object({ token: Type.String({ maxLength: 120 }) })

export default async function groupMessageRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const coordinator = { access: 'coordinator' as const }

  const formPage = async (reply: FastifyReply, user: SignedInUser, values: Record<string, string>, errors: Array<{ field: string; message: string }>, status = 200, refusal: string | null = null) => {
    const request = reply.request
    const form = await messageForm(app.ctx, user, null, request.locale())
    const title = request.t('messages.form.title')
    return reply.page('messages/new', { title: errors.length || refusal ? request.t('common.errorTitle', { title }) : title, ...form, values: { ...form.values, ...values }, errors, refusal }, { status })
  }
  const typed = (body: Record<string, unknown>) => ({ audience: forms.text(body.audience), subject: forms.text(body.subject), body: typeof body.body === 'string' ? body.body : '' })
  const previewPage = (reply: FastifyReply, preview: Preview, extra: { changedFrom?: number; status?: number } = {}) => {
    const title = reply.request.t('messages.preview.title')
    return reply.page('messages/preview', { title: preview.refusal ? reply.request.t('common.errorTitle', { title }) : title, preview, changedFrom: extra.changedFrom ?? null }, { status: extra.status ?? (preview.refusal ? 409 : 200) })
  }

  r.get('/coordinate/messages', { config: coordinator }, async (request, reply) => {
    return reply.page('messages/list', { title: request.t('coordinator.messages.listTitle'), messages: await sentMessages(app.ctx, userOf(request), request.locale()) })
  })

  r.get('/coordinate/messages/new', { config: coordinator, schema: { querystring: GroupMessageQuery } }, async (request, reply) => {
    const session = forms.parseId(request.query.session)
    if (request.query.session !== undefined && session === null) throw new NotFoundError({ key: 'messages.refusal.noSession' })
    const form = await messageForm(app.ctx, userOf(request), session, request.locale())
    return reply.page('messages/new', { title: request.t('messages.form.title'), ...form, errors: [], refusal: null })
  })

  // "Change the message" from the preview: the form again, as typed.
  r.post('/coordinate/messages/new', { config: coordinator, schema: { body: GroupMessageBody } }, async (request, reply) => {
    return formPage(reply, userOf(request), typed(request.body), [])
  })

  r.post('/coordinate/messages/preview', { config: coordinator, schema: { body: GroupMessageBody } }, async (request, reply) => {
    const user = userOf(request)
    try {
      return previewPage(reply, await previewMessage(app.ctx, user, request.body, request.locale()))
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return formPage(reply, user, typed(request.body), err.errors, 400)
    }
  })

  r.post('/coordinate/messages/send', { config: coordinator, schema: { body: GroupMessageBody } }, async (request, reply) => {
    const user = userOf(request)
    try {
      const result = await sendMessage(app.ctx, user, request.body, request.locale())
      if (result.kind === 'changed') return previewPage(reply, result.preview, { changedFrom: result.previous, status: 409 })
      return reply.flash(request.t('coordinator.messages.onItsWay', { volunteers: request.t('coordinator.count.volunteers', { count: result.count }) })).redirect(`/coordinate/messages/${result.messageId}`, 303)
    } catch (err) {
      if (err instanceof ValidationError) return formPage(reply, user, typed(request.body), err.errors, 400)
      // The daily limit: said plainly on the form, nothing queued.
      if (err instanceof UserError && err.kind === 'conflict') return formPage(reply, user, typed(request.body), [], 409, err.wordedIn(request.t))
      throw err
    }
  })

  r.get('/coordinate/messages/:id', { config: coordinator, schema: { params: IdParams } }, async (request, reply) => {
    const message = await sentMessage(app.ctx, userOf(request), Number(request.params.id), request.locale())
    return reply.page('messages/message', { title: message.subject, message })
  })

  // ── The volunteer's switch ────────────────────────────────────────────────

  // RFC 8058: mail providers POST multipart/form-data (or url-encoded) carrying only
  // "List-Unsubscribe=One-Click"; the token in the URL decides. Scoped to this plugin.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, { oneClick: /List-Unsubscribe/i.test(String(body)) })
  })

  const volunteerOf = (token: string): number => {
    const volunteerId = volunteerFromSwitchToken(app.config.sessionSecret, 'group-messages', token)
    if (volunteerId === null) throw new NotFoundError({ key: 'messages.refusal.linkSignIn' })
    return volunteerId
  }
  /** The page and its messages in the language of the volunteer the link was sent to (src/people/reader-language.service.ts). */
  const readAsOwner = (request: FastifyRequest, volunteerId: number) => linkLanguage(app.ctx, (l) => request.readAs(l))({ volunteerId })

  r.get('/group-messages/:token', { config: { access: 'token' }, logLevel: 'warn', schema: { params: tokenParams } }, async (request, reply) => {
    const volunteerId = volunteerOf(request.params.token)
    const state = await switchState(app.ctx, 'group-messages', volunteerId)
    if (!state) throw new NotFoundError({ key: 'messages.refusal.linkGone' })
    await readAsOwner(request, volunteerId)
    return reply.header('Referrer-Policy', 'no-referrer').page('messages/switch', { title: request.t('account.groupMessages.title'), state, action: `/group-messages/${request.params.token}` })
  })

  // The one-click POST (no cookies, no CSRF token: the URL's token is the credential), and the page's own button.
  r.post('/group-messages/:token', { config: { access: 'token', csrf: false }, logLevel: 'warn', schema: { params: tokenParams } }, async (request, reply) => {
    const volunteerId = volunteerOf(request.params.token)
    const choice = (request.body as { groupMessages?: unknown } | undefined)?.groupMessages
    const fromPage = choice === 'on' || choice === 'off'
    const state = await setSwitch(app.ctx, 'group-messages', volunteerId, choice === 'on', fromPage ? 'link' : 'one-click')
    if (!state) throw new NotFoundError({ key: 'messages.refusal.linkGone' })
    await readAsOwner(request, volunteerId)
    if (!fromPage) return reply.code(200).type('text/plain; charset=utf-8').send('Messages from coordinators are off.\n')
    return reply.flash(request.t(state.enabled ? 'account.groupMessages.backOn' : 'account.groupMessages.nowOff')).redirect(`/group-messages/${request.params.token}`, 303)
  })
}
