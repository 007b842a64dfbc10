// /network for partners: the services granted and no other, the figures of /reports per service and month, counts of 1–4 as "fewer than 5" in the page and the CSV, and the right granted and removed by each service's admin (audited).
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { addVolunteer, textOf } from '../bookings/world.js'
import { createAdmin, createBranch, createPerson, createService, createSession } from '../helpers/fixtures.js'
import { mapUnmappedTopics } from '../../src/evidence/framework.js'
import { evidenceWorld } from './world.js'

t.comment(`database: ${databaseLabel}`)

const RANGE = 'from=2026-10-01&to=2026-11-30'

// The clock stands at Monday 30 November 2026, 09:00 UTC.
// A = Testshire (Central and Northgate), B = Elsewhere, C = Secretshire (never granted).
async function fixture(t: Parameters<typeof evidenceWorld>[0]) {
  const w = await evidenceWorld(t)
  const db = w.db
  const safety = (await db.insertInto('skills').values({ library_service_id: w.service, name: 'Staying safe online', kind: 'topic' }).returning('id').executeTakeFirstOrThrow()).id
  await mapUnmappedTopics(db, w.service) // NHS → transacting, phones → foundation, staying safe → being safe
  const report = async (sessionId: number, people: number, topics: Array<[number, number]> = []) => {
    await db.insertInto('session_reports').values({ session_id: sessionId, people_helped: people, new_to_library: null, came_back: null, notes: '', recorded_by_person_id: null, recorded_at: 0 }).execute()
    for (const [skill, n] of topics) await db.insertInto('session_report_topics').values({ session_id: sessionId, skill_id: skill, people_count: n }).execute()
  }
  const v: number[] = []
  for (let i = 1; i <= 6; i++) v.push((await w.volunteer({ name: `Volunteer ${i}`, branches: [w.central, w.north] })).volunteerId)
  const [v1, v2, v3, v4, v5, v6] = v as [number, number, number, number, number, number]

  // A, October: five held (2 h, 2 h, 2 h, 2 h, 1 h), one cancelled.
  const s1 = await w.session({ date: '2026-10-06', min: 2, max: 3 })
  for (const x of [v1, v2, v3]) await w.place(s1, x, 'attended')
  await report(s1, 10, [[w.skills.nhs, 6], [w.skills.phones, 4]])
  const s2 = await w.session({ date: '2026-10-13', min: 2, max: 3 })
  for (const x of [v4, v5]) await w.place(s2, x, 'attended')
  await w.place(s2, v6, 'no_show')
  await report(s2, 12, [[w.skills.nhs, 6], [w.skills.phones, 3]])
  const s3 = await w.session({ branch: w.north, date: '2026-10-14', min: 1, max: 2 })
  for (const x of [v6, v1]) await w.place(s3, x, 'attended')
  await report(s3, 8, [[w.skills.phones, 3]])
  const s4 = await w.session({ date: '2026-10-20', min: 2, max: 3 })
  await w.place(s4, v2, 'attended')
  await w.place(s4, v3, 'no_show')
  await report(s4, 5, [[w.skills.phones, 2], [safety, 2]])
  const s5 = await w.session({ date: '2026-10-27', start: '10:00', end: '11:00', min: 1, max: 2 })
  await w.place(s5, v4, 'attended') // no report
  const s6 = await w.session({ date: '2026-10-28', min: 1, max: 2 })
  await db.updateTable('sessions').set({ status: 'cancelled', cancelled_at: 0 }).where('id', '=', s6).execute()
  // A, November: two held (1.5 h and 2 h), one volunteer each; one reported (3 people); one later today.
  const s7 = await w.session({ date: '2026-11-03', start: '14:00', end: '15:30', min: 1, max: 2 })
  await w.place(s7, v1, 'attended')
  await report(s7, 3, [[w.skills.phones, 3]])
  const s8 = await w.session({ branch: w.north, date: '2026-11-10', min: 1, max: 2 })
  await w.place(s8, v6, 'attended')
  await w.session({ date: '2026-11-30', start: '14:00', end: '16:00', min: 1, max: 2 })

  // B, October: one session, one volunteer, 50 people helped.
  const bv = await addVolunteer(db, 'bee@example.org', w.otherService, w.elsewhere, { name: 'Bee Elsewhere' })
  const b1 = await createSession(db, w.elsewhere, { date: '2026-10-08' })
  await w.place(b1, bv.volunteerId, 'attended')
  await report(b1, 50)

  // C: another service altogether, never granted to the partner.
  const secret = await createService(db, 'Secretshire Libraries')
  const hidden = await createBranch(db, secret, 'Hidden Library')
  const cv = await addVolunteer(db, 'cee@example.org', secret, hidden, { name: 'Cee Secret' })
  const c1 = await createSession(db, hidden, { date: '2026-10-08' })
  await w.place(c1, cv.volunteerId, 'attended')
  await report(c1, 777)

  const adminA = await createAdmin(db, 'ada@example.org', w.service, 'Ada Admin')
  const adminB = await createAdmin(db, 'olly@example.org', w.otherService, 'Olly Other')
  await createAdmin(db, 'sid@example.org', secret, 'Sid Secret')
  const partner = await createPerson(db, 'pat@partner.example', 'Pat Partner')
  for (const serviceId of [w.service, w.otherService]) await db.insertInto('role_grants').values({ person_id: partner, role: 'partner', library_service_id: serviceId, branch_id: null, created_at: 0 }).execute()
  return { ...w, secret, hidden, adminA, adminB, partner, volunteers: v }
}

/** Each row of a table on the page: its data-month and its data-measure cells. */
function tableRows(html: string, tableId: string): Array<Record<string, string>> {
  const table = new RegExp(`<table[^>]*id="${tableId}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? ''
  return [...table.matchAll(/<tr class="govuk-table__row"([^>]*)>([\s\S]*?)<\/tr>/g)]
    .map((m) => {
      const row: Record<string, string> = {}
      for (const a of m[1]!.matchAll(/data-(\w+)="([^"]*)"/g)) row[a[1]!] = a[2]!
      for (const c of m[2]!.matchAll(/data-measure="(\w+)">([^<]*)</g)) row[c[1]!] = c[2]!.trim()
      return row
    })
    .filter((r) => Object.keys(r).length > 0)
}

/** CSV rows (quoted fields with doubled quotes allowed) keyed by the header row. */
function parseCsv(text: string): Array<Record<string, string>> {
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

const F5 = 'fewer than 5'

t.test('a partner of A and B sees both services per month, small counts as "fewer than 5", and nothing of C', async (t) => {
  const w = await fixture(t)
  const pat = await w.signIn(w.partner)
  const page = await pat.get(`/network?${RANGE}`)
  t.equal(page.statusCode, 200)
  const html = page.body
  const text = textOf(html)
  t.match(text, /Network figures/)
  t.match(text, /Testshire Libraries/)
  t.match(text, /Elsewhere Libraries/)
  for (const secret of [/Secretshire/, /Hidden Library/, /777/, /Sid Secret/]) t.notMatch(text, secret, `nothing of C: ${secret}`)
  // Never per branch, never per volunteer.
  for (const named of [/Central Library/, /Northgate/, /Volunteer \d/, /Bee Elsewhere/]) t.notMatch(text, named, `no branch or volunteer: ${named}`)

  t.same(tableRows(html, `table-service-${w.service}-sessions`), [
    { month: '2026-10', sessionsHeld: '5', sessionsCancelled: F5, fillOfMin: '138%', fillOfMax: '85%', sessionsUnreported: F5 },
    { month: '2026-11', sessionsHeld: F5, sessionsCancelled: '0', fillOfMin: '–', fillOfMax: '–', sessionsUnreported: F5 },
  ])
  t.same(tableRows(html, `table-service-${w.service}-people`), [
    { month: '2026-10', volunteerHours: '17', distinctVolunteers: '6', noShowRate: '–', peopleHelped: '35' },
    { month: '2026-11', volunteerHours: '–', distinctVolunteers: F5, noShowRate: '–', peopleHelped: F5 },
  ], '2 no-shows of 11: the rate is withheld; 2 volunteers in November: their hours are too')
  t.same(tableRows(html, `table-service-${w.service}-areas`), [
    { month: '2026-10', foundation: '12', communicating: '0', handling_information: '0', transacting: '12', problem_solving: '0', being_safe: F5 },
    { month: '2026-11', foundation: F5, communicating: '0', handling_information: '0', transacting: '0', problem_solving: '0', being_safe: '0' },
  ])
  t.same(tableRows(html, `table-service-${w.otherService}-people`), [
    { month: '2026-10', volunteerHours: '–', distinctVolunteers: F5, noShowRate: '–', peopleHelped: '50' },
    { month: '2026-11', volunteerHours: '0', distinctVolunteers: '0', noShowRate: '–', peopleHelped: '0' },
  ], 'zero stays zero; 50 people helped is shown exactly')
  t.notMatch(html, new RegExp(`table-service-${w.secret}-`), 'no table for C')
  t.notMatch(html, /rota-chart/, 'no charts: they would draw the exact small numbers')
  // Partners have their own navigation entry, not the coordinators'.
  t.match(html, /<a class="govuk-service-navigation__link" href="\/network" aria-current="page">/)
  t.notMatch(html, /href="\/reports"/)

  // The CSV says the same, in words a spreadsheet keeps.
  const csv = await pat.get(`/network/services.csv?${RANGE}`)
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/)
  t.match(csv.headers['content-disposition'], /attachment; filename="champion-rota-network-2026-10-01-to-2026-11-30.csv"/)
  t.ok(csv.body.startsWith('\uFEFF'))
  for (const secret of [/Secretshire/, /Hidden Library/, /777/, /Central Library/, /Northgate/, /Volunteer \d/]) t.notMatch(csv.body, secret, `not in the CSV: ${secret}`)
  const rows = parseCsv(csv.body.slice(1))
  t.same(rows.map((r) => [r['Library service'], r['Month starting']]), [
    ['Elsewhere Libraries', '2026-10-01'],
    ['Elsewhere Libraries', '2026-11-01'],
    ['Testshire Libraries', '2026-10-01'],
    ['Testshire Libraries', '2026-11-01'],
  ])
  const [bOct, bNov, aOct, aNov] = rows as [Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>]
  t.match(aOct, {
    'Sessions held': '5',
    'Sessions cancelled': F5,
    'Fill rate of minimum': '1.375',
    'Fill rate of maximum': '0.846',
    'Volunteer hours': '17',
    'Distinct volunteers': '6',
    'No-show rate': 'too few to show',
    'People helped': '35',
    'Sessions not reported yet': F5,
    'People helped: Foundation skills': '12',
    'People helped: Transacting': '12',
    'People helped: Being safe and legal online': F5,
    'People helped: Communicating': '0',
  })
  t.match(aNov, { 'Sessions held': F5, 'Sessions cancelled': '0', 'Fill rate of minimum': 'too few to show', 'Volunteer hours': 'too few to show', 'Distinct volunteers': F5, 'People helped': F5, 'People helped: Foundation skills': F5 })
  t.match(bOct, { 'Sessions held': F5, 'People helped': '50', 'Distinct volunteers': F5, 'Volunteer hours': 'too few to show' })
  t.match(bNov, { 'Sessions held': '0', 'People helped': '0', 'Volunteer hours': '0', 'No-show rate': '' })
  // No cell anywhere holds a count of 1 to 4.
  for (const r of rows) for (const [k, cell] of Object.entries(r)) t.notMatch(cell, /^[1-4]$/, `${r['Library service']} ${r['Month starting']} ${k}`)
})

t.test('the figures are the per-service sums of /reports (suppressed, never different)', async (t) => {
  const w = await fixture(t)
  const sam = await w.signIn(w.wholeService) // coordinates all of A
  const reports = await sam.get(`/reports?${RANGE}`)
  const network = await (await w.signIn(w.partner)).get(`/network?${RANGE}`)
  // /reports' two monthly tables, as one row per month.
  const byMonth = new Map<string, Record<string, string>>()
  for (const r of [...tableRows(reports.body, 'table-months-sessions'), ...tableRows(reports.body, 'table-months-people')]) byMonth.set(r.month!, { ...byMonth.get(r.month!), ...r })
  let compared = 0
  for (const ours of [`table-service-${w.service}-sessions`, `table-service-${w.service}-people`]) {
    for (const row of tableRows(network.body, ours)) {
      const full = byMonth.get(row.month!)!
      for (const [measure, shown] of Object.entries(row)) {
        if (measure === 'month') continue
        compared++
        if (shown === F5) t.match(full[measure], /^[1-4]$/, `${row.month} ${measure}: ${full[measure]} is small`)
        else if (shown === '–') t.ok(full[measure] !== undefined, `${row.month} ${measure} withheld`)
        else t.equal(shown, full[measure], `${row.month} ${measure}`)
      }
    }
  }
  t.equal(compared, 2 * 9, 'every shared measure of both months compared')
  // The areas add up to /reports' framework-area totals for the range.
  const totals = Object.fromEntries(tableRows(reports.body, 'table-areas').map((r) => [r.area, r.people]))
  t.match(totals, { foundation: '15', transacting: '12', being_safe: '2' })
})

t.test('a partner cannot see a service it was not granted, whatever the query says', async (t) => {
  const w = await fixture(t)
  const pat = await w.signIn(w.partner)
  for (const url of [`/network?${RANGE}&service=${w.secret}`, `/network/services.csv?${RANGE}&service=${w.secret}`]) {
    const res = await pat.get(url)
    t.equal(res.statusCode, 403, url)
    t.notMatch(textOf(res.body), /Secretshire|777/, 'the refusal names nothing of C')
  }
  const onlyA = await pat.get(`/network?${RANGE}&service=${w.service}`)
  t.equal(onlyA.statusCode, 200)
  t.match(textOf(onlyA.body), /Testshire Libraries/)
  t.notMatch(onlyA.body, new RegExp(`table-service-${w.otherService}-`), 'narrowed to A')
  // Parameters of /reports mean nothing here.
  const branch = await pat.get(`/network?${RANGE}&branch=${w.hidden}`)
  t.equal(branch.statusCode, 200)
  t.notMatch(textOf(branch.body), /Secretshire|Hidden Library|777/)
  t.equal((await pat.get(`/network?${RANGE}&service=abc`)).statusCode, 400)
  // Once B's right is removed, B's figures go too.
  await w.db.deleteFrom('role_grants').where('person_id', '=', w.partner).where('library_service_id', '=', w.otherService).execute()
  const again = await (await w.signIn(w.partner)).get(`/network?${RANGE}`)
  t.notMatch(textOf(again.body), /Elsewhere Libraries/)
  t.equal((await (await w.signIn(w.partner)).get(`/network?${RANGE}&service=${w.otherService}`)).statusCode, 403)
})

t.test('a partner is not a coordinator or an admin; coordinators, admins and volunteers have no network view', async (t) => {
  const w = await fixture(t)
  const pat = await w.signIn(w.partner)
  for (const url of ['/coordinate', '/coordinate/sessions', '/coordinate/gaps', '/coordinate/volunteers', '/reports', `/reports/months.csv?${RANGE}`, '/reports/unreported', '/admin', '/admin/people']) {
    t.equal((await pat.get(url)).statusCode, 403, `partner: ${url}`)
  }
  const home = await pat.get('/dashboard')
  t.equal(home.statusCode, 303)
  t.equal(home.headers.location, '/network', 'a partner lands on the network view')
  const volunteer = w.volunteers[0]!
  const volunteerPerson = (await w.db.selectFrom('volunteers').select('person_id').where('id', '=', volunteer).executeTakeFirstOrThrow()).person_id
  for (const [who, personId] of [['coordinator', w.coordinator], ['whole-service coordinator', w.wholeService], ['admin', w.adminA], ['volunteer', volunteerPerson]] as const) {
    const client = await w.signIn(personId)
    t.equal((await client.get(`/network?${RANGE}`)).statusCode, 403, `${who}: /network`)
    t.equal((await client.get(`/network/services.csv?${RANGE}`)).statusCode, 403, `${who}: the CSV`)
  }
})

t.test('each service\'s admin grants and removes the partner right from the people page, audited', async (t) => {
  const w = await fixture(t)
  const lastAudit = () => w.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
  const ada = await w.signIn(w.adminA)
  const form = await ada.get('/admin/people/new')
  t.match(textOf(form.body), /Partner \(read-only reports\)/)
  const branchOnly = await ada.post('/admin/people/new', { name: 'Nia Network', email: 'nia@partner.example', role: 'partner', scope: String(w.central) })
  t.equal(branchOnly.statusCode, 400)
  t.match(textOf(branchOnly.body), /A partner sees the figures of the whole library service/)
  t.equal((await ada.post('/admin/people/new', { name: 'Nia Network', email: 'nia@partner.example', role: 'partner', scope: 'all' })).statusCode, 303)
  const nia = await w.db.selectFrom('people').select('id').where('email', '=', 'nia@partner.example').executeTakeFirstOrThrow()
  const grantA = await w.db.selectFrom('role_grants').selectAll().where('person_id', '=', nia.id).executeTakeFirstOrThrow()
  t.match(grantA, { role: 'partner', library_service_id: w.service, branch_id: null })
  const granted = await lastAudit()
  t.match(granted, { action: 'right.granted', object_type: 'role_grant', object_id: String(grantA.id), actor_person_id: w.adminA, library_service_id: w.service })
  t.match(JSON.parse(granted.detail), { personId: nia.id, role: 'partner', branchId: null })
  t.match(textOf((await ada.get('/admin/people')).body), /Nia Network nia@partner.example Partner \(read-only reports\): the whole library service/)

  // B's admin grants B to the same person: one person, two rights.
  const olly = await w.signIn(w.adminB)
  t.equal((await olly.post('/admin/people/new', { name: 'Nia Network', email: 'nia@partner.example', role: 'partner', scope: 'all' })).statusCode, 303)
  const niaBrowser = await w.signIn(nia.id)
  const both = textOf((await niaBrowser.get(`/network?${RANGE}`)).body)
  t.match(both, /Elsewhere Libraries/)
  t.match(both, /Testshire Libraries/)
  t.notMatch(both, /Secretshire/)
  // A's admin cannot touch B's grant.
  const grantB = await w.db.selectFrom('role_grants').selectAll().where('person_id', '=', nia.id).where('library_service_id', '=', w.otherService).executeTakeFirstOrThrow()
  t.equal((await ada.post(`/admin/people/${grantB.id}/remove`)).statusCode, 403)

  // Removing A's right is audited, signs Nia out, and A's figures are gone.
  t.equal((await ada.post(`/admin/people/${grantA.id}/remove`)).statusCode, 303)
  t.match(await lastAudit(), { action: 'right.removed', object_id: String(grantA.id), actor_person_id: w.adminA })
  t.equal((await niaBrowser.get('/network')).statusCode, 303, 'signed out')
  const after = textOf((await (await w.signIn(nia.id)).get(`/network?${RANGE}`)).body)
  t.notMatch(after, /Testshire Libraries/)
  t.match(after, /Elsewhere Libraries/)
})
