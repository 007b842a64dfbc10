// Names admins enter in two languages (issue 16): a topic or language, a training or check, a
// branch. The Welsh form is optional; a Welsh page shows the English name when there is none.
import type { Locale } from './i18n.js'

/** Anything with an English name and perhaps a Welsh one (a row of skills, training_kinds or branches). */
export interface TwoLanguageName {
  name: string
  name_cy?: string | null
}

/** The name to show in a language: the Welsh form on a Welsh page when one was entered, else the English name. */
export function localName(row: TwoLanguageName, locale: Locale): string {
  if (locale === 'cy') {
    const welsh = row.name_cy?.trim()
    if (welsh) return welsh
  }
  return row.name
}

/**
 * A row read for display, its names put in `locale`: each name that has its Welsh twin beside it
 * (`name` and `name_cy`, `branch_name` and `branch_name_cy`, `branchName` and `branchNameCy`)
 * becomes its local form (localName), so a template prints the same field in either language. The
 * twins stay as they were; an English page gets the row itself.
 */
export function withLocalNames<T extends object>(row: T, locale: Locale): T {
  if (locale !== 'cy') return row
  const fields = row as Record<string, unknown>
  let out: Record<string, unknown> | null = null
  for (const [key, welsh] of Object.entries(fields)) {
    const base = key.endsWith('_cy') ? key.slice(0, -3) : key.endsWith('Cy') ? key.slice(0, -2) : null
    if (base === null || typeof welsh !== 'string' || !welsh.trim()) continue
    if (typeof fields[base] !== 'string') continue
    out ??= { ...fields }
    out[base] = welsh.trim()
  }
  return (out ?? row) as T
}

/** The same for every row of a list. */
export function allWithLocalNames<T extends object>(rows: readonly T[], locale: Locale): T[] {
  return locale === 'cy' ? rows.map((r) => withLocalNames(r, locale)) : [...rows]
}
