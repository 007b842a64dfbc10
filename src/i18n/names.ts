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
