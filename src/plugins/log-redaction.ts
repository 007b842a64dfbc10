// What request and error log lines may say about a URL: never a token, whether in a path segment or a query value.
//
// A sign-in, invitation, feed, reminders or per-place check-in link is a credential: a token read
// from a log signs a person in or acts for them (a session's check-in code needs a sign-in besides,
// but is kept out all the same). Fastify's request line carries the whole URL, and some framework errors repeat the
// path in their message, so both serializers pass URLs and messages through redactUrl.
import type { FastifyRequest } from 'fastify'

/** Paths whose next segment is a token, whatever it looks like (a truncated token is still half a secret). */
const TOKEN_PREFIXES = ['/sign-in/confirm/', '/invitations/', '/feeds/', '/reminders/', '/checkin/place/', '/checkin/']
/** Anything shaped like one of our tokens (base64url, 20+ characters), anywhere else in a URL or message. */
const TOKEN_SHAPED = /[A-Za-z0-9_-]{20,}/g
export const REDACTED = '[redacted]'

export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  let path = q === -1 ? url : url.slice(0, q)
  const query = q === -1 ? '' : url.slice(q)
  for (const prefix of TOKEN_PREFIXES) {
    if (path.startsWith(prefix) && path.length > prefix.length) {
      const rest = path.slice(prefix.length)
      const end = rest.search(/[/]|\.ics$/)
      path = prefix + REDACTED + (end === -1 ? '' : rest.slice(end))
      break
    }
  }
  // Query values are redacted whole when their name says secret, and token-shaped runs everywhere.
  const safeQuery = query.replace(/([?&][^=&]*(?:token|key|secret|code|sig|password)[^=&]*=)[^&]*/gi, `$1${REDACTED}`)
  return (path + safeQuery).replace(TOKEN_SHAPED, REDACTED)
}

/** Fastify's request serializer, with the URL redacted. */
export function requestSerializer(request: FastifyRequest): { method: string; url: string; version: string; host: string; remoteAddress: string; remotePort: number } {
  return {
    method: request.method,
    url: redactUrl(request.url),
    version: String(request.headers?.['accept-version'] ?? ''),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort ?? 0,
  }
}

/** The error serializer: type, message, code, status and stack, with tokens taken out of the message (which the stack repeats). */
export function errorSerializer(error: Error): { [key: string]: unknown; type: string; message: string; stack: string } {
  const e = error as Error & { code?: unknown; statusCode?: unknown }
  const raw = String(e?.message ?? e)
  const message = redactUrl(raw)
  return {
    type: e?.constructor?.name ?? 'Error',
    message,
    ...(e?.code !== undefined ? { code: e.code } : {}),
    ...(e?.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
    stack: typeof e?.stack === 'string' ? redactUrl(e.stack.split('\n')[0]!) + e.stack.slice(e.stack.indexOf('\n') === -1 ? e.stack.length : e.stack.indexOf('\n')) : '',
  }
}
