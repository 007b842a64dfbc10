// Welsh and English (issue 16): who a group message went to, kept as data (audience_detail, JSON:
// the session's title, date and times, the branch's or skill's names in both languages) so the sent
// list words it in the reader's language when shown (src/messages/audience-wording.ts). Messages
// sent before this keep null here and are shown with the English label they were sent with.
// Frozen in time (Kysely<any>).
import type { Kysely } from 'kysely'

type Db = Kysely<any>

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('group_messages').addColumn('audience_detail', 'text').execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('group_messages').dropColumn('audience_detail').execute()
}
