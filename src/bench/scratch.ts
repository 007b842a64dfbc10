import { SmtpPeer } from '../../tests/helpers/smtp-peer.js'
import { createSmtpTransport } from '../mail/transport.js'
import { buildInvite } from '../calendar/ics.js'
const peer = new SmtpPeer(); await peer.start()
const tr = createSmtpTransport(peer.url)
const ics = buildInvite('REQUEST', { uid: 'u@x', sequence: 1, summary: 'S', description: 'D', location: 'L', timezone: 'Europe/London', localDate: '2026-12-01', startTime: '10:00', endTime: '12:00', stampMs: 0, url: 'https://x', cancelled: false, organizer: { name: 'R', email: 'r@x.org' }, attendee: { name: 'V', email: 'v@x.org' } })
await tr.send({ from: {name:'a',address:'a@b.c'}, to: {name:'x',address:'x@y.z'}, subject: 's', text: 't', html: '<p>h</p>', headers: { 'List-Unsubscribe': '<https://x/u>' }, ical: { method: 'REQUEST', content: ics }, outboxId: 1 })
console.log(peer.received[0]!.raw.replace(/\r\n([A-Za-z0-9+/=]{60,}\r\n)+/g, '\r\n[base64]\r\n').slice(0, 3000))
const p = await peer.parsed(0)
console.log(Object.keys(p), p.attachments.map(a => ({ ct: a.contentType, fn: a.filename, cd: a.contentDisposition, h: [...a.headers.entries()], related: a.related })))
await tr.close(); await peer.stop()
