// HTTP for the reminder emails switch: the one-click unsubscribe URL in List-Unsubscribe (RFC 8058), its page, and the signed-in toggle.
import { linkLanguage } from '../people/reader-language.service.js'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { NotFoundError } from '../errors.js'
import { remindersPanel } from './reminders.service.js'
import { setSwitch, volunteerFromSwitchToken } from '../mail/switches.js'

const tokenParams = Type.Object({ token: Type.String({ maxLength: 120 }) })
const switchBody = Type.Object({ reminders: Type.Optional(Type.Union([Type.Literal('on'), Type.Literal('off')])) }, { additionalProperties: true })

export default async function remindersRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  // RFC 8058 asks mail providers to POST multipart/form-data (or url-encoded). The body carries
  // nothing but "List-Unsubscribe=One-Click"; the token in the URL decides. Scoped to this plugin.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, { oneClick: /List-Unsubscribe/i.test(String(body)) })
  })

  const volunteerOf = (token: string): number => {
    const volunteerId = volunteerFromSwitchToken(app.config.sessionSecret, 'reminders', token)
    if (volunteerId === null) throw new NotFoundError({ key: 'account.refusal.reminderLinkSignIn' })
    return volunteerId
  }
  /** The page and its messages in the language of the volunteer the link was sent to (src/people/reader-language.service.ts). */
  const readAsOwner = (request: FastifyRequest, volunteerId: number) => linkLanguage(app.ctx, (l) => request.readAs(l))({ volunteerId })

  r.get('/reminders/:token', { config: { access: 'token' }, logLevel: 'warn', schema: { params: tokenParams } }, async (request, reply) => {
    const volunteerId = volunteerOf(request.params.token)
    await readAsOwner(request, volunteerId)
    const reminders = await remindersPanel(app.ctx, volunteerId, `/reminders/${request.params.token}`, request.locale())
    if (!reminders) throw new NotFoundError({ key: 'account.refusal.linkGone' })
    return reply.header('Referrer-Policy', 'no-referrer').page('calendar/reminders', { title: request.t('account.reminders.title'), reminders })
  })

  // The one-click POST from a mail client (no cookies, no CSRF token: the URL's token is the
  // credential), and the page's own button. Anything but reminders=on turns reminders off.
  r.post(
    '/reminders/:token',
    { config: { access: 'token', csrf: false }, logLevel: 'warn', schema: { params: tokenParams } },
    async (request, reply) => {
      const volunteerId = volunteerOf(request.params.token)
      // Whatever a mail provider sends (url-encoded, multipart, or nothing) means "off".
      const choice = (request.body as { reminders?: unknown } | undefined)?.reminders
      const fromPage = choice === 'on' || choice === 'off'
      const state = await setSwitch(app.ctx, 'reminders', volunteerId, choice === 'on', fromPage ? 'link' : 'one-click')
      if (!state) throw new NotFoundError({ key: 'account.refusal.linkGone' })
      await readAsOwner(request, volunteerId)
      if (!fromPage) return reply.code(200).type('text/plain; charset=utf-8').send('Reminder emails are off.\n')
      return reply.flash(request.t(state.enabled ? 'account.reminders.backOn' : 'account.reminders.nowOff')).redirect(`/reminders/${request.params.token}`, 303)
    },
  )

  r.post('/calendar/reminders', { config: { access: 'volunteer' }, schema: { body: switchBody } }, async (request, reply) => {
    const user = userOf(request)
    const state = await setSwitch(app.ctx, 'reminders', user.volunteer!.id, request.body.reminders === 'on', 'signed-in')
    return reply.flash(request.t(state?.enabled ? 'account.reminders.backOn' : 'account.reminders.nowOff')).redirect('/calendar', 303)
  })
}
