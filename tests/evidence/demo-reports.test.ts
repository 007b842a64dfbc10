// The demo's evidence: several past months of attended sessions and reports, so /reports shows a trend on a fresh start.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { seedDemoIfEmpty } from '../../src/seed/demo.js'

t.comment(`database: ${databaseLabel}`)

t.test('the demo coordinator sees four months of figures, with recent gaps in the evidence', async (t) => {
  const { app } = await testApp(t)
  await seedDemoIfEmpty(app.ctx)
  const coordinator = await app.db.selectFrom('people').select('id').where('email', '=', 'coordinator@example.org').executeTakeFirstOrThrow()
  const client = await new Client(app).signInAs(coordinator.id)
  const page = await client.get('/reports?from=2026-08-01&to=2026-11-30')
  t.equal(page.statusCode, 200)
  const people: Record<string, number> = Object.fromEntries([...page.body.matchAll(/data-series="people" data-key="([^"]+)" data-value="(\d+)"/g)].map((m) => [m[1], Number(m[2])]))
  t.same(Object.keys(people), ['2026-08', '2026-09', '2026-10', '2026-11'])
  t.ok(Object.values(people).every((n) => n > 20), `people helped every month: ${JSON.stringify(people)}`)
  t.ok(people['2026-11']! > people['2026-08']!, 'busier towards winter')
  const unreported = [...page.body.matchAll(/data-measure="sessionsUnreported">(\d+)</g)].map((m) => Number(m[1]))
  t.ok(unreported.some((n) => n > 0), 'some recent sessions have no report yet')
  const topics = [...page.body.matchAll(/data-series="topic" data-key="[^"]+" data-value="(\d+)"/g)].map((m) => Number(m[1]))
  t.ok(topics.filter((n) => n > 0).length >= 5, 'many topics')
  const areas = [...page.body.matchAll(/data-area="\w+"><th[^>]*>[^<]*<\/th><td[^>]*data-measure="people">(\d+)</g)].map((m) => Number(m[1]))
  t.ok(areas.filter((n) => n > 0).length >= 4, `framework areas filled: ${areas}`)
  const marks = await app.db.selectFrom('attendance_marks').select(['source']).execute()
  t.ok(marks.some((m) => m.source === 'coordinator') && marks.some((m) => m.source === 'volunteer'), 'marks from both sources')
})
