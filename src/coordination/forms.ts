// Reading coordinators' forms and filters: url-encoded values (strings, or arrays for repeated keys) into typed values, never trusting them.
import { DateTime } from 'luxon'
import { isValidDate, isValidTime } from '../time/wall-clock.js'

export type FormBody = Record<string, unknown>

/** Repeated keys (checkboxes) arrive as arrays, single ones as strings, none as undefined. */
export function list(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return []
  return (Array.isArray(value) ? value : [value]).map((v) => String(v)).filter((v) => v !== '')
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : Array.isArray(value) ? String(value[0] ?? '').trim() : ''
}

/** Positive whole numbers from a list of values; anything else is dropped. */
export function ids(value: unknown, max = 500): number[] {
  const out = new Set<number>()
  for (const v of list(value).slice(0, max)) {
    if (/^\d{1,9}$/.test(v) && Number(v) > 0) out.add(Number(v))
  }
  return [...out]
}

export function id(value: unknown): number | null {
  const v = text(value)
  return /^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : null
}

/** A whole number as typed, or null (blank) or NaN (not a whole number). */
export function wholeNumber(value: unknown): number | null {
  const v = text(value)
  if (v === '') return null
  return /^-?\d{1,6}$/.test(v) ? Number(v) : Number.NaN
}

/**
 * A date typed as 2026-12-08 (what a date field sends) or 8/12/2026 (what people type), as
 * 'YYYY-MM-DD'; '' when blank; null when it is not a real date.
 */
export function date(value: unknown): string | null {
  const v = text(value)
  if (v === '') return ''
  if (isValidDate(v)) return v
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v)
  if (!m) return null
  const d = DateTime.fromObject({ year: Number(m[3]), month: Number(m[2]), day: Number(m[1]) }, { zone: 'UTC' })
  return d.isValid ? d.toISODate() : null
}

/** A time typed as 10:00, 9:30 or 14.30, as 'HH:MM'; '' when blank; null when it is not a time. */
export function time(value: unknown): string | null {
  const v = text(value).toLowerCase().replace('.', ':')
  if (v === '') return ''
  const m = /^(\d{1,2}):(\d{2})$/.exec(v)
  if (!m) return null
  const t = `${m[1]!.padStart(2, '0')}:${m[2]}`
  return isValidTime(t) ? t : null
}

/** Dates typed one per line or separated by commas. Returns the good ones and the first bad one. */
export function dates(value: unknown): { dates: string[]; bad: string | null } {
  const parts = text(value)
    .split(/[\n,;]+/)
    .map((p) => p.trim())
    .filter(Boolean)
  const out: string[] = []
  for (const part of parts.slice(0, 200)) {
    const d = date(part)
    if (!d) return { dates: out, bad: part }
    out.push(d)
  }
  return { dates: [...new Set(out)].sort(), bad: null }
}

/** Query strings hold single values; a repeated key keeps its first. */
export function query(q: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!q || typeof q !== 'object') return out
  for (const [k, v] of Object.entries(q as Record<string, unknown>)) out[k] = text(v).slice(0, 200)
  return out
}
