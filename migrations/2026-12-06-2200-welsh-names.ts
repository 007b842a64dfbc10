// Welsh and English (issue 16): a topic, language, training or check and a branch may have a Welsh
// name, entered by admins. Null (or never set): there is none, and Welsh pages show the English
// name (localName in src/i18n/names.ts).
// Frozen in time (Kysely<any>).
import type { Kysely } from 'kysely'

type Db = Kysely<any>

const TABLES = ['skills', 'training_kinds', 'branches'] as const

export async function up(db: Db): Promise<void> {
  for (const table of TABLES) await db.schema.alterTable(table).addColumn('name_cy', 'text').execute()
}

export async function down(db: Db): Promise<void> {
  for (const table of [...TABLES].reverse()) await db.schema.alterTable(table).dropColumn('name_cy').execute()
}
