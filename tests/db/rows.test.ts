// SQLite rows read as arrays and made into objects by the driver (connect.ts) are the objects better-sqlite3 would have made.
import t from 'tap'
import { sql } from 'kysely'
import Database from 'better-sqlite3'
import { openDatabase, rowMaker } from '../../src/db/connect.js'

t.test('rowMaker: own properties in column order, the last of a repeated name winning, as better-sqlite3 makes them', async (t) => {
  const native = new Database(':memory:')
  const query = "select 1 as a, 'x' as b, null as c, 2.5 as d, 3 as a, 'é' as \"odd name\", x'00ff' as blob, 7 as \"1\""
  const expected = native.prepare(query).get() as Record<string, unknown>
  const stmt = native.prepare(query).raw(true)
  const make = rowMaker(stmt.columns().map((c) => c.name))!
  const made = make(stmt.get() as unknown[])
  t.same(made, expected)
  t.same(Object.keys(made), Object.keys(expected), 'same keys in the same order')
  t.equal(Object.getPrototypeOf(made), Object.prototype)
  t.ok(Buffer.isBuffer(made.blob))
  t.equal(rowMaker(['a', '__proto__']), null, 'a column named __proto__ keeps better-sqlite3’s own objects')
  t.equal(rowMaker([]), null)
  native.close()
})

t.test('through the app’s connection: rows, RETURNING, a column named __proto__, and select * after the schema changes', async (t) => {
  const handle = openDatabase({ kind: 'sqlite', file: ':memory:' })
  t.teardown(() => handle.close())
  const db = handle.db
  await sql`create table things (id integer primary key, name text not null)`.execute(db)
  await sql`insert into things (name) values ('one'), ('two')`.execute(db)
  t.same((await sql`select * from things order by id`.execute(db)).rows, [{ id: 1, name: 'one' }, { id: 2, name: 'two' }])
  t.same((await sql`insert into things (name) values ('three') returning id, name`.execute(db)).rows, [{ id: 3, name: 'three' }])
  t.same((await sql`select id from things where id > 10`.execute(db)).rows, [])
  const proto = (await sql`select 1 as "__proto__", 2 as b`.execute(db)).rows[0] as object
  const native = new Database(':memory:').prepare('select 1 as "__proto__", 2 as b').get() as object
  t.same(Object.keys(proto), Object.keys(native), 'a column named __proto__: as better-sqlite3 makes it')
  t.equal(Object.getPrototypeOf(proto), Object.getPrototypeOf(native))
  // The same SQL text, prepared before a column was added, must see the new column.
  await sql`alter table things add column colour text default 'red'`.execute(db)
  t.same((await sql`select * from things where id = 1`.execute(db)).rows, [{ id: 1, name: 'one', colour: 'red' }])
  await sql`alter table things rename column name to label`.execute(db)
  t.same((await sql`select * from things where id = 1`.execute(db)).rows, [{ id: 1, label: 'one', colour: 'red' }])
})
