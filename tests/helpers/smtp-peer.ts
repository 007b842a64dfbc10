// A real SMTP server on loopback (smtp-server) that records what it receives, and can refuse or go away for a while.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import type { Teardown } from './app.js'

export interface Received {
  raw: string
  from: string
  to: string[]
  at: number
  messageId: string | null
}

/** accept: 250 for everything. tempfail: 451 to MAIL FROM (try later). reject-rcpt: 550 to these recipients. */
export type PeerMode = { kind: 'accept' } | { kind: 'tempfail' } | { kind: 'reject-rcpt'; addresses: string[] }

export class SmtpPeer {
  readonly received: Received[] = []
  /** Every MAIL FROM the peer saw, accepted or not, with its time: shows the client's retry rhythm. */
  readonly attempts: Array<{ at: number; accepted: boolean }> = []
  mode: PeerMode = { kind: 'accept' }
  /** Called when a whole message has arrived, before the peer answers 250 (the fault tests kill the sender here). */
  onMessage: ((message: Received) => void | Promise<void>) | null = null
  /**
   * Awaited before the peer answers a MAIL FROM (before it is counted in `attempts`): holding it holds
   * that sender before it has handed over anything, so killing the sender then loses no delivered mail.
   */
  beforeMailFrom: (() => void | Promise<void>) | null = null
  #server: SMTPServer | null = null
  #port = 0

  get port(): number {
    return this.#port
  }

  /** For SMTP_URL: plain SMTP on loopback. */
  get url(): string {
    return `smtp://127.0.0.1:${this.#port}`
  }

  #options(): SMTPServerOptions {
    return {
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      hideSTARTTLS: true,
      size: 10 * 1024 * 1024,
      onMailFrom: (_address, _session, callback) => {
        const answer = () => {
          const refuse = this.mode.kind === 'tempfail'
          this.attempts.push({ at: Date.now(), accepted: !refuse })
          if (refuse) return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }))
          callback()
        }
        if (!this.beforeMailFrom) return answer()
        Promise.resolve(this.beforeMailFrom()).then(answer, (err: Error) => callback(err))
      },
      onRcptTo: (address, _session, callback) => {
        const mode = this.mode
        if (mode.kind === 'reject-rcpt' && mode.addresses.includes(address.address.toLowerCase())) {
          return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }))
        }
        callback()
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8')
          const message: Received = {
            raw,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            at: Date.now(),
            messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? null,
          }
          this.received.push(message)
          Promise.resolve(this.onMessage?.(message)).then(
            () => callback(),
            (err: Error) => callback(err),
          )
        })
      },
    }
  }

  /** Listens on loopback (on the same port as before, after stop()). */
  async start(): Promise<void> {
    const server = new SMTPServer(this.#options())
    server.on('error', () => {})
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject)
      server.listen(this.#port, '127.0.0.1', () => resolve())
    })
    this.#port = (server.server.address() as { port: number }).port
    this.#server = server
  }

  /** Goes away: new connections are refused, open ones are dropped. */
  async stop(): Promise<void> {
    const server = this.#server
    this.#server = null
    if (!server) return
    // smtp-server waits for open connections; a peer that "goes down" drops them.
    for (const connection of (server as unknown as { connections: Set<{ close(): void }> }).connections ?? []) connection.close()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  async parsed(index: number): Promise<ParsedMail> {
    return simpleParser(this.received[index]!.raw)
  }

  async parsedAll(): Promise<ParsedMail[]> {
    return Promise.all(this.received.map((m) => simpleParser(m.raw)))
  }
}

export async function startSmtpPeer(t: Teardown): Promise<SmtpPeer> {
  const peer = new SmtpPeer()
  await peer.start()
  t.teardown(() => peer.stop())
  return peer
}

export interface MimePart {
  contentType: string
  params: Record<string, string>
  disposition: string | null
  filename: string | null
  parts: MimePart[]
  /** The decoded body of a leaf part. */
  body: string
}

function headerBlock(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n')
  const head = split === -1 ? raw : raw.slice(0, split)
  const body = split === -1 ? '' : raw.slice(split + 4)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return { headers, body }
}

function parameters(value: string): { value: string; params: Record<string, string> } {
  const [first, ...rest] = value.split(';')
  const params: Record<string, string> = {}
  for (const p of rest) {
    const eq = p.indexOf('=')
    if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '')
  }
  return { value: first!.trim().toLowerCase(), params }
}

/** The MIME tree of a raw message as a mail client walks it (enough for these tests: no nested encodings). */
export function mimeTree(raw: string): MimePart {
  const { headers, body } = headerBlock(raw)
  const type = parameters(headers.get('content-type') ?? 'text/plain')
  const disposition = headers.get('content-disposition') ? parameters(headers.get('content-disposition')!) : null
  const part: MimePart = {
    contentType: type.value,
    params: type.params,
    disposition: disposition?.value ?? null,
    filename: disposition?.params.filename ?? type.params.name ?? null,
    parts: [],
    body: '',
  }
  if (type.value.startsWith('multipart/')) {
    const boundary = `--${type.params.boundary}`
    const sections = body.split(boundary).slice(1)
    for (const section of sections) {
      if (section.startsWith('--')) break
      part.parts.push(mimeTree(section.replace(/^\r\n/, '')))
    }
  } else {
    const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase()
    part.body =
      encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : encoding === 'quoted-printable'
          ? Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
          : body.replace(/\r\n$/, '')
  }
  return part
}
