// Evidence of what sessions achieve: who marked attendance, the session report's optional counts, and topics mapped to the Essential Digital Skills framework.
//
// Frozen in time (Kysely<any>): the topic → area rules below are a copy, made once for the
// topics that exist when this runs; later topics get theirs from src/evidence/framework.ts.
import { PostgresAdapter, sql, type Kysely } from 'kysely'

type Db = Kysely<any>

function instant(db: Db): 'bigint' | 'integer' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer'
}

const AREAS = [
  ['foundation', 'Foundation skills', 1],
  ['communicating', 'Communicating', 2],
  ['handling_information', 'Handling information and content', 3],
  ['transacting', 'Transacting', 4],
  ['problem_solving', 'Problem solving', 5],
  ['being_safe', 'Being safe and legal online', 6],
] as const

const RULES: Array<[RegExp, string[]]> = [
  [/safe|scam|fraud|privacy|password|secur/, ['being_safe']],
  [/shop|bank|benefit|form|pay|nhs|health|universal credit|council/, ['transacting']],
  [/job|cv/, ['handling_information', 'problem_solving']],
  [/email|video|call|social|messag|chat|family/, ['communicating']],
  [/search|information|research|photo|file|document/, ['handling_information']],
  [/problem|troubleshoot|fix/, ['problem_solving']],
  [/smartphone|tablet|device|computer|laptop|access|basic|wi-?fi|internet|app/, ['foundation']],
]

function areasFor(name: string): string[] {
  const n = name.toLowerCase()
  for (const [pattern, areas] of RULES) if (pattern.test(n)) return areas
  return ['foundation']
}

export async function up(db: Db): Promise<void> {
  const ms = instant(db)

  // One row per place: the current mark and who made it (coordinator > volunteer > check-in).
  // The history of marks is in assignment_events and the audit log.
  await db.schema
    .createTable('attendance_marks')
    .addColumn('assignment_id', 'integer', (c) => c.primaryKey().references('assignments.id').onDelete('cascade'))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('attended', 'no_show')`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('coordinator', 'volunteer', 'check_in')`))
    .addColumn('marked_by_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('marked_at', ms, (c) => c.notNull())
    .execute()

  // Optional counts of the report (null: not given), and when it was last changed.
  await db.schema.alterTable('session_reports').addColumn('new_to_library', 'integer').execute()
  await db.schema.alterTable('session_reports').addColumn('came_back', 'integer').execute()

  await db.schema
    .createTable('framework_areas')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.insertInto('framework_areas').values(AREAS.map(([key, name, sort_order]) => ({ key, name, sort_order }))).execute()

  await db.schema
    .createTable('skill_framework_areas')
    .addColumn('skill_id', 'integer', (c) => c.notNull().references('skills.id').onDelete('cascade'))
    .addColumn('area_key', 'text', (c) => c.notNull().references('framework_areas.key').onDelete('cascade'))
    .addPrimaryKeyConstraint('skill_framework_areas_pk', ['skill_id', 'area_key'])
    .execute()
  const topics = (await db.selectFrom('skills').select(['id', 'name']).where('kind', '=', 'topic').execute()) as Array<{ id: number; name: string }>
  const rows = topics.flatMap((t) => areasFor(t.name).map((area_key) => ({ skill_id: t.id, area_key })))
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('skill_framework_areas').values(rows.slice(i, i + 500)).execute()

  // Reports read a scope's sessions by branch and date; the reports of those sessions by id (primary key).
  await db.schema.createIndex('sessions_branch_local_date').on('sessions').columns(['branch_id', 'local_date']).execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('sessions_branch_local_date').execute()
  await db.schema.dropTable('skill_framework_areas').execute()
  await db.schema.dropTable('framework_areas').execute()
  await db.schema.alterTable('session_reports').dropColumn('came_back').execute()
  await db.schema.alterTable('session_reports').dropColumn('new_to_library').execute()
  await db.schema.dropTable('attendance_marks').execute()
}
