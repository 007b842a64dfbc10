// /reports against a hand-computed fixture: the page's tables, the charts' marks and the CSV agree; cancelled and unreported sessions count as such; scope holds.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { textOf } from '../bookings/world.js'
import { createBranch, createCoordinator, createSession } from '../helpers/fixtures.js'
import { mapUnmappedTopics } from '../../src/evidence/framework.js'
import { evidenceWorld } from './world.js'

t.comment(`database: ${databaseLabel}`)

// The clock stands at Monday 30 November 2026, 09:00 UTC.
async function fixture(t: Parameters<typeof evidenceWorld>[0]) {
  const w = await evidenceWorld(t)
  await mapUnmappedTopics(w.db, w.service) // NHS App and health → transacting; Smartphones and tablets → foundation
  const [a, b, c, d] = [await w.volunteer({ name: 'Ann' }), await w.volunteer({ name: 'Bob' }), await w.volunteer({ name: 'Cat' }), await w.volunteer({ name: 'Dan', branches: [w.north] })]
  const report = async (sessionId: number, people: number, topics: Array<[number, number]>, newToLibrary: number | null = null) => {
    await w.db.insertInto('session_reports').values({ session_id: sessionId, people_helped: people, new_to_library: newToLibrary, came_back: null, notes: '', recorded_by_person_id: null, recorded_at: 0 }).execute()
    for (const [skill, n] of topics) await w.db.insertInto('session_report_topics').values({ session_id: sessionId, skill_id: skill, people_count: n }).execute()
  }
  // Central, October: S1 (2 h, min 2, max 3) Ann and Bob came, Cat did not; reported 6 people (NHS 4, phones 3), 2 new.
  const s1 = await w.session({ date: '2026-10-06', start: '10:00', end: '12:00', min: 2, max: 3 })
  await w.place(s1, a.volunteerId, 'attended')
  await w.place(s1, b.volunteerId, 'attended')
  await w.place(s1, c.volunteerId, 'no_show')
  await report(s1, 6, [[w.skills.nhs, 4], [w.skills.phones, 3]], 2)
  // S2 (3 h, min 2, max 2): Ann came, Bob's place not marked; no report.
  const s2 = await w.session({ date: '2026-10-13', start: '10:00', end: '13:00', min: 2, max: 2 })
  await w.place(s2, a.volunteerId, 'attended')
  await w.place(s2, b.volunteerId, 'confirmed')
  // S3 cancelled.
  const s3 = await w.session({ date: '2026-10-20', min: 1, max: 2 })
  await w.db.updateTable('sessions').set({ status: 'cancelled', cancelled_at: 0 }).where('id', '=', s3).execute()
  // November: S4 (1.5 h, min 1, max 2) Cat came; reported 3 people (phones 3). S5 is later today: not held yet.
  const s4 = await w.session({ date: '2026-11-03', start: '14:00', end: '15:30', min: 1, max: 2 })
  await w.place(s4, c.volunteerId, 'attended')
  await report(s4, 3, [[w.skills.phones, 3]])
  const s5 = await w.session({ date: '2026-11-30', start: '14:00', end: '16:00', min: 1, max: 2 })
  await w.place(s5, a.volunteerId, 'confirmed')
  // North, November: N1 (2 h) Dan came; 5 people with NHS.
  const n1 = await w.session({ branch: w.north, date: '2026-11-10', start: '10:00', end: '12:00', min: 1, max: 2 })
  await w.place(n1, d.volunteerId, 'attended')
  await report(n1, 5, [[w.skills.nhs, 5]])
  // Before the range, so not new in it: Ann came to a North session in September (any branch counts);
  // Dan came to a Central one in August. Bob's September place was a no-show, so October is still his first;
  // Cat's first attended place is November (she did not come in October).
  const early = await w.session({ branch: w.north, date: '2026-09-15', start: '10:00', end: '11:00', min: 1, max: 2 })
  await w.place(early, a.volunteerId, 'attended')
  const earlier = await w.session({ date: '2026-08-18', start: '10:00', end: '11:00', min: 1, max: 2 })
  await w.place(earlier, d.volunteerId, 'attended')
  await w.place(earlier, b.volunteerId, 'no_show')
  // Another library service altogether.
  const e1 = await createSession(w.db, w.elsewhere, { date: '2026-11-10' })
  await report(e1, 50, [])
  return { ...w, people: { a, b, c, d } }
}

/** Reads CSV rows (quoted fields with doubled quotes allowed) into objects keyed by the header row. */
function parse(text: string, _options: { columns: true }): Array<Record<string, string>> {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') record.push(field), (field = '')
    else if (ch === '\r') continue
    else if (ch === '\n') record.push(field), records.push(record), (record = []), (field = '')
    else field += ch
  }
  if (field || record.length) record.push(field), records.push(record)
  const [header, ...rest] = records
  return rest.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])))
}

const RANGE = 'from=2026-10-01&to=2026-11-30'

/** Each row of a table on the page: its key attributes and its data-measure cells. */
function tableRows(html: string, tableId: string): Array<Record<string, string>> {
  const table = new RegExp(`<table[^>]*id="${tableId}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? ''
  return [...table.matchAll(/<tr class="govuk-table__row"([^>]*)>([\s\S]*?)<\/tr>/g)].map((m) => {
    const row: Record<string, string> = {}
    for (const a of m[1]!.matchAll(/data-(\w+)="([^"]*)"/g)) row[a[1]!] = a[2]!
    for (const c of m[2]!.matchAll(/data-measure="(\w+)">([^<]*)</g)) row[c[1]!] = c[2]!.trim()
    return row
  }).filter((r) => Object.keys(r).length > 0) // the header row has neither
}

function chartMarks(html: string, series: string): Record<string, number> {
  return Object.fromEntries([...html.matchAll(new RegExp(`data-series="${series}" data-key="([^"]*)" data-value="([^"]*)"`, 'g'))].map((m) => [m[1]!.replace(/&amp;/g, '&'), Number(m[2])]))
}

t.test('a branch coordinator\'s figures match the hand count, in the page, the charts and the CSV', async (t) => {
  const w = await fixture(t)
  const casey = await w.signIn(w.coordinator)
  const page = await casey.get(`/reports?${RANGE}`)
  t.equal(page.statusCode, 200)
  const html = page.body
  const sessions = tableRows(html, 'table-months-sessions')
  t.same(sessions, [
    { month: '2026-10', sessionsHeld: '2', sessionsCancelled: '1', placesTaken: '5', fillOfMin: '125%', fillOfMax: '100%', unfilledPlaces: '0' },
    { month: '2026-11', sessionsHeld: '1', sessionsCancelled: '0', placesTaken: '1', fillOfMin: '100%', fillOfMax: '50%', unfilledPlaces: '1' },
  ])
  const people = tableRows(html, 'table-months-people')
  t.same(people, [
    { month: '2026-10', volunteerHours: '7', distinctVolunteers: '2', newVolunteers: '1', noShowRate: '25%', notMarked: '1', peopleHelped: '6', sessionsUnreported: '1' },
    { month: '2026-11', volunteerHours: '1.5', distinctVolunteers: '1', newVolunteers: '1', noShowRate: '0%', notMarked: '0', peopleHelped: '3', sessionsUnreported: '0' },
  ])
  const text = textOf(html)
  t.match(text, /Sessions held 3 Sessions cancelled 1 People helped 9 \(1 session held with no report yet, not counted\) Volunteer hours 8.5 Different volunteers 3 New volunteers \(first time they came to any branch\) 2/)
  t.same(tableRows(html, 'table-topics'), [
    { topic: 'Smartphones and tablets', people: '6' },
    { topic: 'NHS App and health', people: '4' },
  ])
  t.match(text, /Smartphones and tablets Foundation skills 6 NHS App and health Transacting 4/)
  const areas = Object.fromEntries(tableRows(html, 'table-areas').map((r) => [r.area, r.people]))
  t.same(areas, { foundation: '6', communicating: '0', handling_information: '0', transacting: '4', problem_solving: '0', being_safe: '0' })
  t.same(tableRows(html, 'table-branches').map((r) => [r.month, r.sessionsHeld, r.sessionsCancelled, r.peopleHelped, r.sessionsUnreported, r.newVolunteers]), [['2026-10', '2', '1', '6', '1', '1'], ['2026-11', '1', '0', '3', '0', '1']])
  t.notMatch(text, /Northgate/, 'not another branch')

  // The charts draw the same numbers.
  t.same(chartMarks(html, 'people'), { '2026-10': 6, '2026-11': 3 })
  t.same(chartMarks(html, 'hours'), { '2026-10': 7, '2026-11': 1.5 })
  t.same(chartMarks(html, 'topic'), { 'Smartphones and tablets': 6, 'NHS App and health': 4 })
  t.match(html, /<svg[^>]+role="img" aria-labelledby="chart-months-title chart-months-desc"/)
  t.match(html, /<desc id="chart-months-desc">October 2026: 6 people helped, 7 volunteer hours, 1 session not reported yet. November 2026: 3 people helped, 1.5 volunteer hours.<\/desc>/)

  // And so does the CSV.
  const csv = await casey.get(`/reports/months.csv?${RANGE}`)
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/)
  t.match(csv.headers['content-disposition'], /attachment; filename="champion-rota-months-2026-10-01-to-2026-11-30.csv"/)
  t.ok(csv.body.startsWith('\uFEFF'), 'a byte-order mark for Excel')
  const rows = parse(csv.body.slice(1), { columns: true }) as Array<Record<string, string>>
  t.same(rows.map((r) => r['Month starting']), ['2026-10-01', '2026-11-01'], 'ISO dates')
  t.match(rows[0], { 'Sessions held': '2', 'Sessions cancelled': '1', 'Places taken': '5', 'Fill rate of minimum': '1.250', 'Fill rate of maximum': '1.000', 'Unfilled places': '0', 'Volunteer hours': '7', 'Distinct volunteers': '2', 'New volunteers': '1', 'No-shows': '1', 'Places not marked': '1', 'No-show rate': '0.250', 'Sessions reported': '1', 'Sessions not reported yet': '1', 'People helped': '6', 'New to the library': '2' })
  t.match(rows[1], { 'Sessions held': '1', 'Volunteer hours': '1.5', 'New volunteers': '1', 'People helped': '3', 'Sessions not reported yet': '0', 'Fill rate of maximum': '0.500' })
  const topics = parse((await casey.get(`/reports/topics.csv?${RANGE}`)).body.slice(1), { columns: true }) as Array<Record<string, string>>
  t.same(topics, [{ Topic: 'Smartphones and tablets', 'Framework areas': 'Foundation skills', 'People helped': '6' }, { Topic: 'NHS App and health', 'Framework areas': 'Transacting', 'People helped': '4' }])
  const areaCsv = parse((await casey.get(`/reports/areas.csv?${RANGE}`)).body.slice(1), { columns: true }) as Array<Record<string, string>>
  t.same(areaCsv.filter((r) => r['People helped'] !== '0'), [{ 'Framework area': 'Foundation skills', 'People helped': '6' }, { 'Framework area': 'Transacting', 'People helped': '4' }])
  const branchCsv = parse((await casey.get(`/reports/branches.csv?${RANGE}`)).body.slice(1), { columns: true }) as Array<Record<string, string>>
  t.same(branchCsv.map((r) => [r.Branch, r['Month starting'], r['People helped'], r['New volunteers']]), [['Central Library', '2026-10-01', '6', '1'], ['Central Library', '2026-11-01', '3', '1']])

  // Totals stay true when a volunteer is anonymised: nothing is counted by name.
  for (const v of [w.people.a, w.people.b]) await w.db.updateTable('people').set({ name: 'Former volunteer', email: `gone${v.personId}@invalid`, anonymised_at: 1 }).where('id', '=', v.personId).execute()
  t.same(tableRows((await casey.get(`/reports?${RANGE}`)).body, 'table-months-people'), people, 'Bob is still new in October, Ann still not')
})

t.test('a whole-service coordinator sees every branch; the filter narrows to one, as a plain page and as an htmx swap', async (t) => {
  const w = await fixture(t)
  const sam = await w.signIn(w.wholeService)
  const all = await sam.get(`/reports?${RANGE}`)
  t.match(textOf(all.body), /Sessions held 4 Sessions cancelled 1 People helped 14 .* Volunteer hours 10.5 Different volunteers 4 New volunteers \(first time they came to any branch\) 2/, 'Dan came to Central in August, so is not new at North')
  t.same(chartMarks(all.body, 'topic'), { 'NHS App and health': 9, 'Smartphones and tablets': 6 })
  t.same(tableRows(all.body, 'table-branches').map((r) => [r.branch === String(w.north) ? 'north' : 'central', r.month, r.peopleHelped, r.newVolunteers]), [['central', '2026-10', '6', '1'], ['central', '2026-11', '3', '1'], ['north', '2026-11', '5', '0']])
  // Over a range that takes in August and September, Dan and Ann are new there instead.
  const longer = await sam.get('/reports?from=2026-08-01&to=2026-11-30')
  t.same(tableRows(longer.body, 'table-months-people').map((r) => [r.month, r.newVolunteers]), [['2026-08', '1'], ['2026-09', '1'], ['2026-10', '1'], ['2026-11', '1']])
  t.same(tableRows(longer.body, 'table-branches').map((r) => [r.branch === String(w.north) ? 'north' : 'central', r.month, r.newVolunteers]), [['central', '2026-08', '1'], ['central', '2026-10', '1'], ['central', '2026-11', '1'], ['north', '2026-09', '1'], ['north', '2026-11', '0']])

  const north = await sam.get(`/reports?${RANGE}&branch=${w.north}`)
  t.match(textOf(north.body), /Sessions held 1 Sessions cancelled 0 People helped 5/)
  const swap = await sam.get(`/reports?${RANGE}&branch=${w.north}`, { 'hx-request': 'true' })
  t.equal(swap.statusCode, 200)
  t.notMatch(swap.body, /<html/, 'a fragment')
  t.match(swap.headers.vary, /HX-Request/)
  t.match(textOf(swap.body), /Sessions held 1 Sessions cancelled 0 People helped 5/)
  t.match(swap.body, /data-focus-after-swap/)
  // Presets are plain links that htmx also swaps.
  t.match(all.body, /<a class="govuk-link" href="\/reports\?from=2026-09-01&amp;to=2026-11-30" hx-get="\/reports\?from=2026-09-01&amp;to=2026-11-30" hx-target="#report-body"/)
})

t.test('a coordinator cannot see another branch\'s or another service\'s evidence', async (t) => {
  const w = await fixture(t)
  const nora = await w.signIn(w.northOnly)
  const mine = await nora.get(`/reports?${RANGE}`)
  t.match(textOf(mine.body), /Sessions held 1 Sessions cancelled 0 People helped 5/)
  t.notMatch(textOf(mine.body), /Central Library/)
  t.equal((await nora.get(`/reports?${RANGE}&branch=${w.central}`)).statusCode, 403)
  t.equal((await nora.get(`/reports/months.csv?${RANGE}&branch=${w.central}`)).statusCode, 403)
  t.equal((await nora.get(`/reports?${RANGE}&branch=${w.elsewhere}`)).statusCode, 403)
  const casey = await w.signIn(w.coordinator)
  t.equal((await casey.get(`/reports/topics.csv?${RANGE}&branch=${w.north}`)).statusCode, 403)
  // Volunteers have no reports page.
  t.equal((await (await w.signIn(w.people.a.personId)).get('/reports')).statusCode, 403)
  // A coordinator of another service sees only theirs.
  const other = await createCoordinator(w.db, 'other@example.org', w.otherService, null, 'Other')
  t.match(textOf((await (await w.signIn(other)).get(`/reports?${RANGE}`)).body), /Sessions held 1 .* People helped 50/)
  void createBranch
})

t.test('bad filters get a clear message and the default range, never a 500', async (t) => {
  const w = await fixture(t)
  const casey = await w.signIn(w.coordinator)
  const bad = await casey.get('/reports?from=2026-13-45&to=soon')
  t.equal(bad.statusCode, 400)
  t.match(textOf(bad.body), /There is a problem Enter the start date as a real date, like 1\/6\/2026 Enter the end date as a real date/)
  const backwards = await casey.get('/reports?from=2026-11-01&to=2026-10-01')
  t.equal(backwards.statusCode, 400)
  t.match(textOf(backwards.body), /The end date must be the same as or after the start date/)
  t.equal((await casey.get('/reports?branch=abc')).statusCode, 400)
  t.equal((await casey.get('/reports/months.csv?from=nope')).statusCode, 400)
  const fine = await casey.get('/reports')
  t.equal(fine.statusCode, 200)
  t.match(textOf(fine.body), /Monday 1 June 2026 to Monday 30 November 2026/)
})

t.test('/coordinate lists the sessions of the last 30 days that have no report, only at the coordinator\'s branches', async (t) => {
  const w = await fixture(t)
  // S2 (13 October) is more than 30 days ago; add one from last week without a report.
  const recent = await w.session({ date: '2026-11-24', title: 'Last Tuesday drop-in' })
  const northRecent = await w.session({ branch: w.north, date: '2026-11-25', title: 'North class' })
  const casey = await w.signIn(w.coordinator)
  t.match(textOf((await casey.get('/coordinate')).body), /Sessions with no report yet 1 session ended in the last 30 days without a report/)
  const list = await casey.get('/reports/unreported')
  t.match(textOf(list.body), /Record the report: Last Tuesday drop-in, Central Library/)
  t.notMatch(textOf(list.body), /North class/)
  t.match(list.body, new RegExp(`href="/sessions/${recent}/report"`))
  t.equal((await casey.post(`/sessions/${recent}/report`, { people: '2' })).statusCode, 303)
  t.match(textOf((await casey.get('/coordinate')).body), /Every session of the last 30 days has its report/, 'gone once recorded')
  t.match(textOf((await (await w.signIn(w.northOnly)).get('/reports/unreported')).body), /Record the report: North class/)
  void northRecent
})
