// /dev/mail and /dev/mail.json: the kept-in-database mailbox, outside production and only without SMTP_URL.
import type { FastifyInstance } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { latestMail, mailboxMessage, type MailboxMessage } from './devmail.service.js'

function toJson(m: MailboxMessage) {
  return {
    id: m.id,
    messageId: m.message_id,
    date: new Date(m.created_at).toISOString(),
    from: m.from_address,
    to: m.to_address,
    subject: m.subject,
    text: m.text_body,
    html: m.html_body,
    headers: JSON.parse(m.headers) as Record<string, string>,
    calendar: m.ical ? { method: m.ical_method, contentType: `text/calendar; charset=utf-8; method=${m.ical_method}`, content: m.ical } : null,
    attachments: JSON.parse(m.attachments) as unknown[],
  }
}

/** Text with its URLs as links: escaped first, so mail content can never inject markup. */
function linkify(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  return escaped.replace(/https?:\/\/[^\s<]+/g, (url) => `<a class="govuk-link" href="${url}">${url}</a>`)
}

export default async function devMailRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const query = Type.Object({ to: Type.Optional(Type.String({ maxLength: 320 })) })

  r.get('/dev/mail.json', { config: { access: 'public' }, schema: { querystring: query } }, async (request, reply) => {
    const rows = await latestMail(app.db, 200, request.query.to?.toLowerCase())
    return reply.header('Cache-Control', 'no-store').send(rows.map(toJson))
  })

  r.get('/dev/mail', { config: { access: 'public' }, schema: { querystring: query } }, async (request, reply) => {
    const rows = await latestMail(app.db, 100, request.query.to?.toLowerCase())
    return reply.page('devmail/list', { title: request.t('admin.devmail.title'), messages: rows.map(toJson), to: request.query.to ?? '' })
  })

  r.get('/dev/mail/:id', { config: { access: 'public' }, schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
    const row = await mailboxMessage(app.db, request.params.id)
    const message = toJson(row)
    return reply.page('devmail/message', { title: message.subject, message, textHtml: linkify(message.text) })
  })

  r.get('/dev/mail/:id/html', { config: { access: 'public' }, schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
    const row = await mailboxMessage(app.db, request.params.id)
    // The email's own HTML, sandboxed: no scripts, no same-origin rights.
    return reply
      .header('Content-Security-Policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
      .type('text/html; charset=utf-8')
      .send(row.html_body)
  })
}
