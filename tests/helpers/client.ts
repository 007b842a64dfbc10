// A cookie-keeping, CSRF-aware client over app.inject: what a browser does, without a browser.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { hashToken, randomToken } from '../../src/auth/tokens.js'
import { SESSION_ABSOLUTE_MS } from '../../src/auth/auth.service.js'

export type Form = Record<string, string | number | Array<string | number> | undefined>

export function encodeForm(form: Form): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(form)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v))
  }
  return params.toString()
}

export function csrfFrom(html: string): string | null {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? /x-csrf-token&quot;:&quot;([^&]+)&quot;/.exec(html)?.[1] ?? null
}

export class Client {
  readonly cookies = new Map<string, string>()
  #csrf: string | null = null

  constructor(readonly app: FastifyInstance) {}

  cookieHeader(): string {
    return [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  #remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      const expired = (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0 || c.value === ''
      if (expired) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
      // A new or dropped CSRF secret (sign-in and sign-out rotate it): the old form token is void.
      if (/rota_csrf$/.test(c.name)) this.#csrf = null
    }
    const body = res.body
    if (typeof body === 'string') {
      const token = csrfFrom(body)
      if (token) this.#csrf = token
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } })
    this.#remember(res)
    return res
  }

  /** A CSRF token valid for this client's cookie (fetches a page to get one if needed). */
  async csrf(): Promise<string> {
    if (!this.#csrf) await this.get('/')
    if (!this.#csrf) throw new Error('no CSRF token on the home page')
    return this.#csrf
  }

  /** POSTs a form with a valid _csrf unless the form sets its own (or csrf: false). */
  async post(
    url: string,
    form: Form = {},
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const body = { ...form }
    if (options.csrf !== false && body._csrf === undefined) body._csrf = await this.csrf()
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: encodeForm(body),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), ...options.headers },
    })
    this.#remember(res)
    return res
  }

  /** Signs in as a person by writing a login session directly (fast; the real flow is tested in auth tests). */
  async signInAs(personId: number): Promise<this> {
    const sessionId = randomToken()
    const now = (this.app.clock as { now(): number }).now()
    await this.app.db
      .insertInto('login_sessions')
      .values({ id_hash: hashToken(sessionId), person_id: personId, created_at: now, last_seen_at: now, expires_at: now + SESSION_ABSOLUTE_MS })
      .execute()
    this.cookies.set(this.app.config.isProduction ? '__Host-rota_session' : 'rota_session', sessionId)
    this.#csrf = null
    await this.csrf()
    return this
  }
}

/** The link in the newest kept-in-database email to `to` (after the outbox is drained). */
export async function latestMailTo(app: FastifyInstance, to: string) {
  await app.mail.worker.drain()
  const row = await app.db.selectFrom('mailbox').selectAll().where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirst()
  return row ?? null
}

export function firstLink(text: string): string | null {
  return /https?:\/\/\S+/.exec(text)?.[0] ?? null
}
