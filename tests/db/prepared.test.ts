// Prepared queries: compiled once per shape, run with each call's own values, on SQLite and PostgreSQL.
import t from 'tap'
import { databaseLabel, testDatabase } from '../helpers/app.js'
import { createService, createBranch } from '../helpers/fixtures.js'
import { paddedLength, prepared } from '../../src/db/prepared.js'

t.comment(`database: ${databaseLabel}`)

const branchesIn = prepared((db, serviceId: number, ids: readonly number[], limit: number) =>
  db.selectFrom('branches').select(['id', 'name']).where('library_service_id', '=', serviceId).where('id', 'in', ids).orderBy('id').limit(limit),
)
const renameBranch = prepared((db, id: number, name: string) => db.updateTable('branches').set({ name }).where('id', '=', id).returning(['id', 'name']))

t.test('each call runs with its own values, and lists of any length', async (t) => {
  const handle = await testDatabase(t)
  const db = handle.db
  const one = await createService(db, 'One Libraries')
  const two = await createService(db, 'Two Libraries')
  const a = await createBranch(db, one, 'Alpha')
  const b = await createBranch(db, one, 'Beta')
  const c = await createBranch(db, two, 'Gamma')

  t.same(await branchesIn.all(db, one, [a, b, c], 10), [{ id: a, name: 'Alpha' }, { id: b, name: 'Beta' }])
  t.same(await branchesIn.all(db, two, [a, b, c], 10), [{ id: c, name: 'Gamma' }], 'same statement, other values')
  t.same(await branchesIn.all(db, one, [b], 10), [{ id: b, name: 'Beta' }], 'a list of another length')
  t.same(await branchesIn.all(db, one, [a, b], 1), [{ id: a, name: 'Alpha' }], 'the limit is a value too')
  t.equal(await branchesIn.first(db, one, [c], 10), undefined)
  t.equal(branchesIn.compiled(db, one, [a, b, c], 10).sql, branchesIn.compiled(db, two, [c, b, a], 5).sql, 'one SQL text per shape')
  t.same(branchesIn.compiled(db, two, [c, b, a], 5).parameters, [two, c, b, a, 5])
  // A list of 5 runs as one of 6 (its last item again): the same rows, and the statement lists of 6 use.
  const five = [a, b, c, a, b]
  t.same(branchesIn.compiled(db, one, five, 10).parameters, [one, a, b, c, a, b, b, 10])
  t.equal(branchesIn.compiled(db, one, five, 10).sql, branchesIn.compiled(db, one, [a, b, c, a, b, c], 10).sql)
  t.same(await branchesIn.all(db, one, five, 10), [{ id: a, name: 'Alpha' }, { id: b, name: 'Beta' }])

  // Inside a transaction, on the transaction's connection; a value with SQL in it is only a value.
  const renamed = await db.transaction().execute((tx) => renameBranch.first(tx, a, "Alpha'); drop table branches; --"))
  t.same(renamed, { id: a, name: "Alpha'); drop table branches; --" })
  t.same(await branchesIn.all(db, one, [a], 10), [{ id: a, name: "Alpha'); drop table branches; --" }])
})

t.test('lists share a few sizes, never shorter than the list', async (t) => {
  const sizes = new Set<number>()
  for (let n = 1; n <= 1000; n++) {
    const size = paddedLength(n)
    if (size < n || size > Math.ceil(n * 1.5)) t.fail(`${n} padded to ${size}`)
    sizes.add(size)
  }
  t.ok(sizes.size <= 24, `${sizes.size} statement sizes for lists of 1 to 1,000`)
})
