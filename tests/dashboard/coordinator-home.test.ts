// A coordinator's first page lists, per branch, the sessions of the next 7 days: what is still to come today and the six days after.
import t from 'tap'
import { ManualClock } from '../../src/clock.js'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createService, createBranch, createCoordinator, createSession } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

/** The titles of the sessions listed for one branch, in page order. */
function listedTitles(html: string, branch: string): string[] {
  const start = html.indexOf(`<h3 class="govuk-heading-m">${branch}</h3>`)
  if (start < 0) return []
  const next = html.indexOf('<h3', start + 1)
  const section = html.slice(start, next < 0 ? html.indexOf('</section>', start) : next)
  return [...section.matchAll(/href="\/coordinate\/sessions\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]!)
}

t.test('on a Sunday afternoon the coming week is listed, not the week just ending', async (t) => {
  // Sunday 29 November 2026, 1pm in London (GMT, so 13:00Z).
  const { app } = await testApp(t, { clock: new ManualClock(Date.parse('2026-11-29T13:00:00Z')) })
  const db = app.db
  const service = await createService(db)
  const central = await createBranch(db, service, 'Central Library')
  const coordinator = await createCoordinator(db, 'coord@example.org', service, null, 'Casey Coordinator')
  // Each needs 1 volunteer and has none, so every listed one says "Needs 1 more".
  await createSession(db, central, { date: '2026-11-28', title: 'Saturday just gone' })
  await createSession(db, central, { date: '2026-11-29', start: '09:30', end: '11:30', title: 'Sunday morning class' })
  await createSession(db, central, { date: '2026-11-29', start: '12:30', end: '14:00', title: 'Sunday lunchtime help' })
  await createSession(db, central, { date: '2026-11-29', start: '15:00', end: '17:00', title: 'Sunday afternoon help' })
  await createSession(db, central, { date: '2026-11-30', title: 'Monday drop-in' })
  await createSession(db, central, { date: '2026-12-05', title: 'Next Saturday drop-in' })
  await createSession(db, central, { date: '2026-12-06', title: 'Next Sunday drop-in' })

  const page = await (await new Client(app).signInAs(coordinator)).get('/coordinate')
  t.equal(page.statusCode, 200)
  t.match(page.body, /<h2 class="govuk-heading-l" id="coordinator-heading">The next 7 days<\/h2>/)
  t.match(page.body, /Sunday 29 November to Saturday 5 December 2026/)
  t.same(
    listedTitles(page.body, 'Central Library'),
    ['Sunday lunchtime help', 'Sunday afternoon help', 'Monday drop-in', 'Next Saturday drop-in'],
    "today's sessions not yet over and the six days after, soonest first",
  )
  t.notMatch(page.body, /Saturday just gone|Sunday morning class/, 'sessions already over are not listed')
  t.notMatch(page.body, /Next Sunday drop-in/, 'nothing beyond the seventh day')
  t.equal(page.body.match(/Needs 1 more/g)?.length, 4, '"Needs 1 more" only on sessions still to come')
})

t.test("each branch's days are its own: a New York branch's next 7 days follow New York's date", async (t) => {
  // Sunday 29 November 2026, 02:00 in London but still Saturday 28th, 9pm, in New York.
  const { app } = await testApp(t, { clock: new ManualClock(Date.parse('2026-11-29T02:00:00Z')) })
  const db = app.db
  const service = await createService(db)
  const branch = await createBranch(db, service, 'Manhattan Branch', { timezone: 'America/New_York' })
  const coordinator = await createCoordinator(db, 'coord@example.org', service, null, 'Casey Coordinator')
  const zone = 'America/New_York'
  await createSession(db, branch, { date: '2026-11-28', start: '20:00', end: '21:30', title: 'Saturday evening help', zone })
  await createSession(db, branch, { date: '2026-12-04', title: 'Friday drop-in', zone })
  await createSession(db, branch, { date: '2026-12-05', title: 'Saturday week drop-in', zone })

  const page = await (await new Client(app).signInAs(coordinator)).get('/coordinate')
  t.same(listedTitles(page.body, 'Manhattan Branch'), ['Saturday evening help', 'Friday drop-in'])
})

t.test('a branch with nothing in the next 7 days says so', async (t) => {
  const { app } = await testApp(t, { clock: new ManualClock(Date.parse('2026-11-29T13:00:00Z')) })
  const service = await createService(app.db)
  await createBranch(app.db, service, 'Quiet Library')
  const coordinator = await createCoordinator(app.db, 'coord@example.org', service, null)
  const page = await (await new Client(app).signInAs(coordinator)).get('/coordinate')
  t.match(page.body, /No sessions in the next 7 days\./)
})
