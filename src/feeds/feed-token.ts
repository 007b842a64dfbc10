// Feed tokens: 256 random bits in the URL, kept as a SHA-256 hash to find them and sealed (AES-256-GCM) to show them again.
//
// A database leak alone gives neither the URLs nor a way to guess them; SESSION_SECRET alone gives
// nothing either. If SESSION_SECRET changes, existing URLs keep working (they are found by hash)
// but cannot be shown again: the calendar page then offers a new one.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { constantTimeEqual, hashToken, randomToken } from '../auth/tokens.js'

/** 32 random bytes, base64url: 43 characters in the URL. */
export function newFeedToken(): string {
  return randomToken(32)
}

export function isFeedTokenShape(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value)
}

export function feedTokenHash(token: string): string {
  return hashToken(token)
}

/** The stored hash matches the presented token, compared without an early exit. */
export function feedTokenMatches(storedHash: string, token: string): boolean {
  return constantTimeEqual(storedHash, hashToken(token))
}

function sealingKey(secret: string): Buffer {
  return createHash('sha256').update(`champion-rota feed-token seal\0${secret}`).digest()
}

export function sealFeedToken(secret: string, token: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv)
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
}

/** The token again, or null if it was sealed under another secret (or the value is damaged). */
export function unsealFeedToken(secret: string, sealed: string | null): string | null {
  if (!sealed) return null
  try {
    const raw = Buffer.from(sealed, 'base64url')
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), raw.subarray(0, 12))
    decipher.setAuthTag(raw.subarray(12, 28))
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
