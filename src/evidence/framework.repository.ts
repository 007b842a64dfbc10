// SQL for the framework areas of topics: the areas themselves, which topics have none yet, and recording or replacing the areas a topic counts towards.
import type { Db, Tx } from '../db/connect.js'

/** Topics of a library service that count towards no framework area yet. */
export async function unmappedTopics(db: Db | Tx, libraryServiceId: number) {
  return db
    .selectFrom('skills')
    .leftJoin('skill_framework_areas', 'skill_framework_areas.skill_id', 'skills.id')
    .select(['skills.id', 'skills.name'])
    .where('skills.library_service_id', '=', libraryServiceId)
    .where('skills.kind', '=', 'topic')
    .where('skill_framework_areas.skill_id', 'is', null)
    .execute()
}

/** The caller passes at least one row. */
export async function insertTopicAreas(db: Db | Tx, rows: ReadonlyArray<{ skill_id: number; area_key: string }>): Promise<void> {
  await db.insertInto('skill_framework_areas').values([...rows]).execute()
}

/** Every framework area, in the framework's own order. */
export async function allFrameworkAreas(db: Db | Tx): Promise<Array<{ key: string; name: string }>> {
  return db.selectFrom('framework_areas').select(['key', 'name']).orderBy('sort_order').orderBy('key').execute()
}

/** The area keys one topic counts towards, in the framework's order. */
export async function areaKeysOf(db: Db | Tx, skillId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('skill_framework_areas')
    .innerJoin('framework_areas', 'framework_areas.key', 'skill_framework_areas.area_key')
    .select('skill_framework_areas.area_key')
    .where('skill_framework_areas.skill_id', '=', skillId)
    .orderBy('framework_areas.sort_order')
    .orderBy('framework_areas.key')
    .execute()
  return rows.map((r) => r.area_key)
}

/** The names of the areas each topic of a library service counts towards, in the framework's order. */
export async function areaNamesByTopic(db: Db | Tx, libraryServiceId: number): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('skill_framework_areas')
    .innerJoin('framework_areas', 'framework_areas.key', 'skill_framework_areas.area_key')
    .innerJoin('skills', 'skills.id', 'skill_framework_areas.skill_id')
    .select(['skill_framework_areas.skill_id', 'framework_areas.name'])
    .where('skills.library_service_id', '=', libraryServiceId)
    .orderBy('framework_areas.sort_order')
    .orderBy('framework_areas.key')
    .execute()
  const byTopic = new Map<number, string[]>()
  for (const r of rows) byTopic.set(r.skill_id, [...(byTopic.get(r.skill_id) ?? []), r.name])
  return byTopic
}

/** Replaces the areas a topic counts towards; inside the caller's transaction, so a reader never sees it with none. */
export async function replaceTopicAreas(tx: Tx, skillId: number, areaKeys: readonly string[]): Promise<void> {
  await tx.deleteFrom('skill_framework_areas').where('skill_id', '=', skillId).execute()
  if (areaKeys.length) await tx.insertInto('skill_framework_areas').values(areaKeys.map((area_key) => ({ skill_id: skillId, area_key }))).execute()
}
