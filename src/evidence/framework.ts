// The Essential Digital Skills framework areas a topic counts towards: the default guess for a topic's name, and mapping topics that have none yet.
import type { Db, Tx } from '../db/connect.js'
import { insertTopicAreas, unmappedTopics } from './framework.repository.js'

// The same rules migration 0701 applied to the topics that existed then; admins can change the mapping.
const RULES: Array<[RegExp, string[]]> = [
  [/safe|scam|fraud|privacy|password|secur/, ['being_safe']],
  [/shop|bank|benefit|form|pay|nhs|health|universal credit|council/, ['transacting']],
  [/job|cv/, ['handling_information', 'problem_solving']],
  [/email|video|call|social|messag|chat|family/, ['communicating']],
  [/search|information|research|photo|file|document/, ['handling_information']],
  [/problem|troubleshoot|fix/, ['problem_solving']],
  [/smartphone|tablet|device|computer|laptop|access|basic|wi-?fi|internet|app/, ['foundation']],
]

export function defaultAreasFor(topicName: string): string[] {
  const n = topicName.toLowerCase()
  for (const [pattern, areas] of RULES) if (pattern.test(n)) return areas
  return ['foundation']
}

/** Gives every topic of a library service that has no framework area its default ones (the demo seed and new services). */
export async function mapUnmappedTopics(db: Db | Tx, libraryServiceId: number): Promise<number> {
  const unmapped = await unmappedTopics(db, libraryServiceId)
  const rows = unmapped.flatMap((t) => defaultAreasFor(t.name).map((area_key) => ({ skill_id: t.id, area_key })))
  if (rows.length) await insertTopicAreas(db, rows)
  return unmapped.length
}
