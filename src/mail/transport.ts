// Where sent mail goes: SMTP through nodemailer (SMTP_URL set), or kept in the database for /dev/mail.
import { randomUUID } from 'node:crypto'
import nodemailer, { type SendMailOptions, type TransportOptions } from 'nodemailer'
import type { Db } from '../db/connect.js'
import { keepInMailbox } from '../devmail/devmail.repository.js'

export interface OutgoingMail {
  from: { name: string; address: string }
  to: { name: string; address: string }
  subject: string
  text: string
  html: string
  headers: Record<string, string>
  /** Where replies go, if not to From. */
  replyTo?: { name: string; address: string } | null
  /** A calendar invite: sent as a text/calendar alternative with method=… and as invite.ics. */
  ical: { method: string; content: string } | null
  outboxId: number | null
}

export interface MailTransport {
  readonly kind: 'smtp' | 'database'
  send(mail: OutgoingMail): Promise<{ messageId: string }>
  close(): Promise<void>
}

/** The message as nodemailer takes it (also what the database transport records). */
export function toNodemailerMessage(mail: OutgoingMail, messageId: string): SendMailOptions {
  return {
    from: { name: mail.from.name, address: mail.from.address },
    to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    ...(mail.replyTo ? { replyTo: mail.replyTo.name ? { name: mail.replyTo.name, address: mail.replyTo.address } : mail.replyTo.address } : {}),
    messageId,
    ...(mail.ical
      ? { icalEvent: { method: mail.ical.method, content: mail.ical.content, filename: 'invite.ics' } }
      : {}),
  }
}

function messageIdFor(mail: OutgoingMail): string {
  // Stable per outbox row, so a resend after a crash is recognisable as the same message.
  const domain = mail.from.address.split('@')[1] ?? 'localhost'
  return `<${mail.outboxId !== null ? `outbox-${mail.outboxId}` : randomUUID()}@${domain}>`
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])

/**
 * nodemailer's options from SMTP_URL. smtp:// upgrades with STARTTLS when the peer offers it and
 * verifies the certificate; smtps:// is TLS from the start. A peer on this machine (a local relay,
 * a test peer) cannot have a certificate issued for 127.0.0.1, and its traffic never leaves the
 * machine, so there the certificate is not verified. Query parameters: ignoreTLS=true (never
 * STARTTLS), requireTLS=true (refuse to send without TLS), tlsInsecure=true (do not verify),
 * pool=false, maxConnections=N.
 */
export function smtpOptionsFromUrl(smtpUrl: string, options: { pool?: boolean; maxConnections?: number } = {}): TransportOptions {
  const url = new URL(smtpUrl)
  const q = url.searchParams
  const loopback = LOOPBACK.has(url.hostname) || url.hostname.startsWith('127.')
  const maxConnections = Number(q.get('maxConnections') ?? options.maxConnections ?? 5)
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    pool: q.get('pool') === 'false' ? false : (options.pool ?? true),
    maxConnections: Number.isInteger(maxConnections) && maxConnections > 0 ? maxConnections : 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ignoreTLS: q.get('ignoreTLS') === 'true',
    requireTLS: q.get('requireTLS') === 'true',
    tls: q.get('tlsInsecure') === 'true' || loopback ? { rejectUnauthorized: false } : undefined,
  } as TransportOptions
}

export function createSmtpTransport(smtpUrl: string, options: { pool?: boolean; maxConnections?: number } = {}): MailTransport {
  const transporter = nodemailer.createTransport(smtpOptionsFromUrl(smtpUrl, options))
  return {
    kind: 'smtp',
    async send(mail) {
      const messageId = messageIdFor(mail)
      await transporter.sendMail(toNodemailerMessage(mail, messageId))
      return { messageId }
    },
    async close() {
      transporter.close()
    },
  }
}

/** No SMTP_URL: mail is "sent" into the mailbox table and browsable at /dev/mail outside production. */
export function createDatabaseTransport(db: Db, now: () => number): MailTransport {
  return {
    kind: 'database',
    async send(mail) {
      const messageId = messageIdFor(mail)
      await keepInMailbox(db, {
        outbox_id: mail.outboxId,
        message_id: messageId,
        from_address: `${mail.from.name} <${mail.from.address}>`,
        to_address: mail.to.address,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
        // The mailbox keeps Reply-To among the headers, as a mail client would show it.
        headers: JSON.stringify(mail.replyTo ? { ...mail.headers, 'Reply-To': mail.replyTo.name ? `${mail.replyTo.name} <${mail.replyTo.address}>` : mail.replyTo.address } : mail.headers),
        ical: mail.ical?.content ?? null,
        ical_method: mail.ical?.method ?? null,
        attachments: JSON.stringify(mail.ical ? [{ filename: 'invite.ics', contentType: 'application/ics', content: mail.ical.content }] : []),
        created_at: now(),
      })
      return { messageId }
    },
    async close() {},
  }
}
