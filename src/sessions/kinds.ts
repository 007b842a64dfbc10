// The kinds of session and what they are called: one list for the coordinator's form and the volunteer's pages alike.
import type { SessionKind } from '../db/schema.js'
import { translator, type Locale } from '../i18n/i18n.js'

export const SESSION_KINDS: ReadonlyArray<{ value: SessionKind; label: string; hint: string }> = [
  { value: 'drop_in', label: 'Drop-in', hint: 'People come when they like' },
  { value: 'one_to_one', label: 'Booked 1:1 appointments', hint: 'Appointments with one person at a time' },
  { value: 'group_class', label: 'Group class', hint: 'A class for several learners' },
]

export const KIND_LABELS: Readonly<Record<SessionKind, string>> = Object.fromEntries(SESSION_KINDS.map((k) => [k.value, k.label])) as Record<SessionKind, string>

/** What a kind is called on every page ("Booked 1:1 appointments"); an unknown one as stored. */
export function kindLabel(kind: string): string {
  return (KIND_LABELS as Record<string, string>)[kind] ?? kind
}

/** A kind's name in a language: English as kindLabel says it, Welsh from the catalogue (volunteer.kinds.*). */
export function kindLabelIn(kind: string, locale: Locale): string {
  if (locale === 'en' || !(kind in KIND_LABELS)) return kindLabel(kind)
  // Catalogue keys in camel case: i18next would read "one_to_one" as a plural form of "one_to".
  const key = kind.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
  return translator(locale)(`volunteer.kinds.${key}`)
}
