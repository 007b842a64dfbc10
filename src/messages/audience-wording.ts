// Who a group message is for, kept as data with the message (audience_detail) and worded in the reader's language when shown.
//
// The form's choices, the preview's "To" line and the sent list all say it from here, so a message
// sent from an English page reads in Welsh on a Welsh one, and the other way round.
import type { GroupAudienceKind } from '../db/schema.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { localName, type TwoLanguageName } from '../i18n/names.js'
import { formatFor } from '../views/format.js'

/** A branch's or skill's names as they were when the message was written. */
export interface Names {
  name: string
  name_cy: string | null
}

export type AudienceDetail =
  | { kind: 'session'; title: string; date: string; start: string; end: string; branch: Names }
  | { kind: 'branch'; branch: Names }
  | { kind: 'skill'; skill: Names; skillKind: 'topic' | 'language'; branch: Names | null }

export function namesOf(row: TwoLanguageName): Names {
  return { name: row.name, name_cy: row.name_cy?.trim() ? row.name_cy.trim() : null }
}

/** The audience in words: "Scam café, Tue 8 Dec, Central Library", "Volunteers at Central Library", "Polish speakers". */
export function audienceLabel(d: AudienceDetail, locale: Locale): string {
  const t = translator(locale)
  const name = (n: Names) => localName(n, locale)
  if (d.kind === 'session') return t('messages.audience.session', { title: d.title, date: formatFor(locale).shortDate(d.date), branch: name(d.branch) })
  if (d.kind === 'branch') return t('messages.audience.branch', { branch: name(d.branch) })
  const kind = d.skillKind === 'language' ? 'language' : 'topic'
  return d.branch ? t(`messages.audience.${kind}At`, { skill: name(d.skill), branch: name(d.branch) }) : t(`messages.audience.${kind}`, { skill: name(d.skill) })
}

/** The stored JSON back as data; null for a message sent before it was kept, or anything unreadable. */
export function parseDetail(json: string | null | undefined, kind: GroupAudienceKind): AudienceDetail | null {
  if (!json) return null
  try {
    const d = JSON.parse(json) as AudienceDetail
    return d && typeof d === 'object' && d.kind === kind ? d : null
  } catch {
    return null
  }
}

/**
 * A sent message's audience for a page in `locale`: worded from its data, or (sent before the data
 * was kept) the English label it was sent with, with `lang` saying so when the page is not English.
 */
export function storedAudience(row: { audience_kind: GroupAudienceKind; audience_label: string; audience_detail?: string | null }, locale: Locale): { text: string; lang: string | null } {
  const d = parseDetail(row.audience_detail, row.audience_kind)
  if (d) return { text: audienceLabel(d, locale), lang: null }
  return { text: row.audience_label, lang: locale === 'en' ? null : 'en-GB' }
}
