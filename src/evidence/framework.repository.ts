// SQL for the framework areas of topics: which topics have none yet, and recording the areas a topic counts towards.
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
