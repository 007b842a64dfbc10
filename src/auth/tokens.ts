// Random tokens for links and cookies, stored only as SHA-256 hashes and compared in constant time.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** 32 random bytes (256 bits), URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return ab.length === bb.length && timingSafeEqual(ab, bb)
}

/** A keyed signature for stateless tokens (e.g. one-click unsubscribe). */
export function sign(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url')
}

/** Tokens in URLs are base64url; anything else is rejected before touching the database. */
export function looksLikeToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(value)
}
