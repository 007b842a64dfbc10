// The outbox worker: claims due emails with a lease, sends them, retries transient failures with backoff.
//
// A message is only marked sent after the transport accepted it, so a crash between the two
// sends it again (at-least-once): the only possible duplicate is the message in flight at the
// crash. Leases expire, so messages held by a dead worker become due again.
import { randomUUID } from 'node:crypto'
import type { Db, DialectName } from '../db/connect.js'
import type { OutboxMessage } from '../db/schema.js'
import type { MailTransport } from '../mail/transport.js'
import { claimDueMessages, extendLeases, markFailed, markRetry, markSent, releaseLeases } from '../mail/outbox.repository.js'

/** pino-style: (fields, message). */
export interface WorkerLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface OutboxWorkerOptions {
  db: Db
  dialect: DialectName
  transport: MailTransport
  from: { name: string; address: string }
  now: () => number
  log?: WorkerLog
  batchSize?: number
  leaseMs?: number
  pollMs?: number
  backoffBaseMs?: number
  backoffCapMs?: number
  /** After this many tries a transient failure is given up and shown to coordinators as failed. */
  maxAttempts?: number
  random?: () => number
}

export interface RunResult {
  claimed: number
  sent: number
  retried: number
  failed: number
}

/**
 * Retrying cannot help this message: the receiving server refused the recipient or the message
 * itself with a 5xx (nodemailer's err.permanent, e.g. "550 no such user"), or the address could
 * not even be put on the envelope. A 5xx to the connection, the greeting, AUTH or MAIL FROM is
 * about our own setup (bad credentials, a sender the relay does not accept) and would fail every
 * message alike: those stay queued and are retried, so fixing the setup sends them all.
 */
export function isPermanentFailure(err: unknown): boolean {
  const e = err as { permanent?: boolean; responseCode?: number; code?: string; command?: string }
  if (!e || typeof e !== 'object') return false
  if (e.code === 'EENVELOPE' && e.command === 'API') return true
  const aboutThisMessage = e.command === 'RCPT TO' || e.command === 'DATA'
  const permanent = e.permanent ?? (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503)
  return aboutThisMessage && permanent === true
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random. */
export function backoffDelay(attempts: number, baseMs: number, capMs: number, random: () => number): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1))
  return Math.round(exp / 2 + (exp / 2) * random())
}

function describe(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; code?: string }
  // Never log message bodies or credentials: only the error's kind and the server's reply.
  return [e?.code, e?.responseCode, e?.message].filter((x) => x !== undefined).join(' ').slice(0, 500)
}

export class OutboxWorker {
  readonly owner = `worker-${randomUUID()}`
  readonly #o: Required<Omit<OutboxWorkerOptions, 'log'>> & { log?: WorkerLog }
  #running = false
  #timer: NodeJS.Timeout | undefined
  #wake: (() => void) | undefined
  /** A kick arrived during a pass (after its claim, maybe): go again at once rather than sleep a poll. */
  #kicked = false
  #current: Promise<unknown> | undefined

  constructor(options: OutboxWorkerOptions) {
    this.#o = {
      batchSize: 25,
      // Short, so that what a killed worker held is due again within seconds (issue 15.11): a live
      // worker renews its lease every quarter of it while sends are going (the transport's worst
      // case is 10 s to connect + 10 s greeting + 30 s idle socket), so a slow send is never
      // claimed by another worker while it is still going.
      leaseMs: 20_000,
      pollMs: 1_000,
      backoffBaseMs: 15_000,
      backoffCapMs: 60 * 60_000,
      maxAttempts: 25,
      random: Math.random,
      ...options,
    }
  }

  /** One pass: claim what is due and try each once. */
  async runOnce(): Promise<RunResult> {
    const o = this.#o
    const now = o.now()
    const claimed = await claimDueMessages(o.db, o.dialect, this.owner, now, now + o.leaseMs, o.batchSize)
    const result: RunResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 }
    if (claimed.length === 0) return result
    const heartbeat = setInterval(() => {
      // A missed beat is not fatal: the next one, or the lease's length, covers it.
      extendLeases(o.db, this.owner, o.now() + o.leaseMs).catch(() => {})
    }, Math.max(50, Math.floor(o.leaseMs / 4)))
    // The sends themselves keep the process alive while they go; the beat must not outlive them.
    heartbeat.unref()
    try {
      await Promise.all(claimed.map((message) => this.#deliver(message, result)))
    } finally {
      clearInterval(heartbeat)
    }
    return result
  }

  /** Runs passes until nothing is due (tests and the one-off CLI). */
  async drain(maxPasses = 1000): Promise<RunResult> {
    const total: RunResult = { claimed: 0, sent: 0, retried: 0, failed: 0 }
    for (let i = 0; i < maxPasses; i++) {
      const r = await this.runOnce()
      total.claimed += r.claimed
      total.sent += r.sent
      total.retried += r.retried
      total.failed += r.failed
      if (r.claimed === 0) break
    }
    return total
  }

  async #deliver(message: OutboxMessage, result: RunResult): Promise<void> {
    const o = this.#o
    try {
      await o.transport.send({
        from: o.from,
        to: { name: message.to_name, address: message.to_address },
        subject: message.subject,
        text: message.text_body,
        html: message.html_body,
        headers: JSON.parse(message.headers) as Record<string, string>,
        replyTo: message.reply_to ? (JSON.parse(message.reply_to) as { name: string; address: string }) : null,
        ical: message.ical && message.ical_method ? { method: message.ical_method, content: message.ical } : null,
        outboxId: message.id,
      })
      await markSent(o.db, message.id, this.owner, o.now())
      result.sent++
    } catch (err) {
      const reason = describe(err)
      if (isPermanentFailure(err) || message.attempts >= o.maxAttempts) {
        await markFailed(o.db, message.id, this.owner, reason)
        o.log?.warn({ outboxId: message.id, kind: message.kind, reason }, 'email failed permanently')
        result.failed++
      } else {
        const delay = backoffDelay(message.attempts, o.backoffBaseMs, o.backoffCapMs, o.random)
        await markRetry(o.db, message.id, this.owner, o.now() + delay, reason)
        o.log?.info({ outboxId: message.id, kind: message.kind, reason, retryInMs: delay }, 'email send failed; will retry')
        result.retried++
      }
    }
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    const loop = async (): Promise<void> => {
      while (this.#running) {
        let r: RunResult = { claimed: 0, sent: 0, retried: 0, failed: 0 }
        this.#kicked = false
        try {
          this.#current = this.runOnce()
          r = (await this.#current) as RunResult
        } catch (err) {
          this.#o.log?.error({ err: describe(err) }, 'outbox pass failed')
        } finally {
          this.#current = undefined
        }
        if (!this.#running) break
        // A full batch means more may be waiting: go again at once.
        if (r.claimed < this.#o.batchSize && !this.#kicked) {
          await new Promise<void>((resolve) => {
            this.#wake = resolve
            this.#timer = setTimeout(resolve, this.#o.pollMs)
          })
          this.#wake = undefined
        }
      }
    }
    void loop()
  }

  /** Wake the loop now (something was just queued). */
  kick(): void {
    this.#kicked = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#wake?.()
  }

  /** Graceful stop: let the pass in hand finish, then give back anything still leased. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.#running = false
    this.kick()
    if (this.#current) {
      await Promise.race([this.#current.catch(() => {}), new Promise((r) => setTimeout(r, timeoutMs).unref())])
    }
    await releaseLeases(this.#o.db, this.owner, this.#o.now()).catch(() => {})
  }
}
