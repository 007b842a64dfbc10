// Welsh and English (issue 16): a person's language for pages, emails and calendar text, and a
// library service's default for people who have not chosen. Null on a person: not chosen (their
// service's default applies, else their browser's Accept-Language). 'en' or 'cy'.
// Frozen in time (Kysely<any>).
import type { Kysely } from 'kysely'

type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('people').addColumn('language', 'text').execute()
  await db.schema.alterTable('library_services').addColumn('default_language', 'text', (c) => c.notNull().defaultTo('en')).execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('library_services').dropColumn('default_language').execute()
  await db.schema.alterTable('people').dropColumn('language').execute()
}
