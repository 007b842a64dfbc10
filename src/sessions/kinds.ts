// The kinds of session and what they are called: one list for the coordinator's form and the volunteer's pages alike.
import type { SessionKind } from '../db/schema.js'

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
