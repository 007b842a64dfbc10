// Email addresses as people type them: trimmed, lower-cased and checked for a plausible shape.
const SHAPE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z0-9-]{2,}$/

export function normaliseEmail(raw: unknown): string | null {
  if (typeof raw !== 'string') return null
  const email = raw.trim().toLowerCase()
  if (email.length === 0 || email.length > 254 || !SHAPE.test(email)) return null
  // Control characters are no part of an address, and a NUL would reach PostgreSQL's lookup and fail there.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(email)) return null
  return email
}
