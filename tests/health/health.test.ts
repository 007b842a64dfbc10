// GET /healthz answers 200 {"status":"ok"} while the database answers, 503 when it does not.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { openDatabase } from '../../src/db/connect.js'
import { freshDatabase, migrateFresh, testConfig, databaseLabel } from '../helpers/app.js'

t.comment(`database: ${databaseLabel}`)

t.test('healthy, then the database goes away', async (t) => {
  const database = await freshDatabase(t)
  const handle = openDatabase(database)
  await migrateFresh(database)
  const app = await buildApp(testConfig(database), { db: handle, logger: false, migrate: false })
  t.teardown(() => app.close())
  const ok = await app.inject('/healthz')
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { status: 'ok' })
  t.match(String(ok.headers['content-type']), /application\/json/)

  await handle.close()
  const down = await app.inject('/healthz')
  t.equal(down.statusCode, 503)
  t.same(down.json(), { status: 'unavailable' })
})
