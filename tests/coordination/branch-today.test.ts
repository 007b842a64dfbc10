// "Today" is the branch's own today: a branch outside the UK, at a time when its date differs from London's, gets its own date on the volunteer's and the coordinator's pages.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createBranch, createCoordinator, createService, createSession, createVolunteer } from '../helpers/fixtures.js'
import { ManualClock } from '../../src/clock.js'

t.comment(`database: ${databaseLabel}`)

t.test('Los Angeles at 18:00 on 7 December (London is already on the 8th): this evening’s session can be found', async (t) => {
  const { app } = await testApp(t, { clock: new ManualClock(Date.parse('2026-12-08T02:00:00Z')) })
  const db = app.db
  const service = await createService(db, 'Pacific Libraries')
  const branch = await createBranch(db, service, 'Downtown Library', { timezone: 'America/Los_Angeles' })
  await createSession(db, branch, { date: '2026-12-07', start: '19:00', end: '20:00', title: 'Evening digital help', zone: 'America/Los_Angeles' })
  const v = await createVolunteer(db, 'v@example.org', service, [branch], { name: 'Val' })
  await db.insertInto('availability_windows').values([1, 2, 3, 4, 5, 6, 7].map((day) => ({ volunteer_id: v.volunteerId, day_of_week: day, start_time: '09:00', end_time: '21:00' }))).execute()
  const page = await (await new Client(app).signInAs(v.personId)).get('/sessions')
  t.equal(page.statusCode, 200)
  t.match(page.body, /id="from" name="from" type="date" min="2026-12-07"[^>]*value="2026-12-07"/, 'the search starts from the branch’s today, 7 December')
  t.match(page.body, /Evening digital help/, 'and finds this evening’s session')
})

t.test('Auckland at 01:00 on 8 December (London is still on the 7th): the coordinator’s ranges and forms start on the 8th', async (t) => {
  const { app } = await testApp(t, { clock: new ManualClock(Date.parse('2026-12-07T12:00:00Z')) })
  const db = app.db
  const service = await createService(db, 'Aotearoa Libraries')
  const branch = await createBranch(db, service, 'Central City Library', { timezone: 'Pacific/Auckland' })
  const coordinator = await createCoordinator(db, 'c@example.org', service, branch, 'Aroha')
  const browser = await new Client(app).signInAs(coordinator)
  for (const url of ['/coordinate/gaps', '/coordinate/sessions']) {
    const page = await browser.get(url)
    t.equal(page.statusCode, 200, url)
    t.match(page.body, /id="filter-from" name="from" type="date" value="2026-12-08"/, `${url} starts on the branch’s today`)
  }
  const form = await browser.get('/coordinate/sessions/new')
  t.match(form.body, /id="from" name="from" type="date" value="2026-12-08"/, 'a new series starts on the branch’s today')
})
