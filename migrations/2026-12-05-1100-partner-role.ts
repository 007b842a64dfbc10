// A third right (issue 12 item 5): 'partner', read-only aggregated figures of a library service for the network view.
//
// Frozen in time (Kysely<any>). The role column's CHECK is widened: PostgreSQL swaps the
// constraint; SQLite cannot alter a CHECK, so the table is rebuilt with the same columns, ids
// and index (nothing references role_grants, so the rebuild touches no other table).
import { PostgresAdapter, sql, type Kysely } from 'kysely'

type Db = Kysely<any>

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

async function setRoles(db: Db, roles: readonly string[]): Promise<void> {
  const allowed = sql.raw(roles.map((r) => `'${r}'`).join(', '))
  if (isPostgres(db)) {
    // The constraint was created unnamed; find it by what it checks rather than trusting a generated name.
    const found = await sql<{ conname: string }>`
      select conname from pg_constraint
      where conrelid = 'role_grants'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%role%'`.execute(db)
    for (const c of found.rows) await sql`alter table role_grants drop constraint ${sql.id(c.conname)}`.execute(db)
    await sql`alter table role_grants add constraint role_grants_role_check check (role in (${allowed}))`.execute(db)
    return
  }
  await db.schema
    .createTable('role_grants_new')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in (${allowed})`))
    .addColumn('library_service_id', 'integer', (c) => c.notNull().references('library_services.id').onDelete('cascade'))
    // null: the whole library service; otherwise the one branch this grant covers.
    .addColumn('branch_id', 'integer', (c) => c.references('branches.id').onDelete('cascade'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute()
  await sql`insert into role_grants_new (id, person_id, role, library_service_id, branch_id, created_at)
    select id, person_id, role, library_service_id, branch_id, created_at from role_grants`.execute(db)
  await db.schema.dropTable('role_grants').execute()
  await sql`alter table role_grants_new rename to role_grants`.execute(db)
  await db.schema.createIndex('role_grants_person').on('role_grants').column('person_id').execute()
}

export async function up(db: Db): Promise<void> {
  await setRoles(db, ['coordinator', 'admin', 'partner'])
}

export async function down(db: Db): Promise<void> {
  await db.deleteFrom('role_grants').where('role', '=', 'partner').execute()
  await setRoles(db, ['coordinator', 'admin'])
}
