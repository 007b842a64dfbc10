// The audit log for admins: newest first, filtered by person, kind and dates, in pages, and as CSV that a spreadsheet cannot be tricked by.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { world, textOf } from '../bookings/world.js'
import { createAdmin, createPerson } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

t.test('newest first, filters, pages and CSV; only the admin’s own service', async (t) => {
  const w = await world(t)
  const { db } = w
  const adminId = await createAdmin(db, 'ada@example.org', w.service, 'Ada Admin')
  const sly = await createPerson(db, 'sly@example.org', '=HYPERLINK("http://evil.example")')
  const day = 86_400_000
  const t0 = Date.parse('2026-11-01T12:00:00Z')
  const rows = []
  for (let i = 0; i < 120; i++) {
    rows.push({ actor_person_id: i % 2 ? adminId : w.coordinator, library_service_id: w.service, action: i % 3 ? 'branch.changed' : 'skill.added', object_type: i % 3 ? 'branch' : 'skill', object_id: String(i), detail: JSON.stringify({ fields: ['name'] }), at: t0 + i * 3_600_000 })
  }
  rows.push({ actor_person_id: sly, library_service_id: w.service, action: 'volunteer.approved', object_type: 'volunteer', object_id: '7', detail: '{}', at: t0 + 20 * day })
  rows.push({ actor_person_id: adminId, library_service_id: w.otherService, action: 'secret.elsewhere', object_type: 'branch', object_id: '999', detail: '{}', at: t0 })
  await db.insertInto('audit_log').values(rows).execute()
  const admin = await w.signIn(adminId)

  const first = await admin.get('/admin/audit')
  t.equal(first.statusCode, 200)
  const text = textOf(first.body)
  t.match(text, '121 entries, page 1 of 3')
  t.notMatch(text, 'secret elsewhere', 'another service’s entries are not shown')
  const ids = [...first.body.matchAll(/<td class="govuk-table__cell">(?:branch|skill|volunteer) (\d+)<\/td>/g)].map((m) => Number(m[1]))
  t.equal(ids.length, 50, 'a page of 50')
  t.same(ids.slice(0, 3), [7, 119, 118], 'newest first')
  t.match(first.body, 'href="/admin/audit?page=2" rel="next"')
  const last = await admin.get('/admin/audit?page=3')
  t.equal([...last.body.matchAll(/<td class="govuk-table__cell">(?:branch|skill|volunteer) (\d+)<\/td>/g)].length, 21)
  t.match(last.body, 'rel="prev"')

  t.match(textOf((await admin.get(`/admin/audit?person=${adminId}`)).body), '60 entries')
  t.match(textOf((await admin.get('/admin/audit?kind=skill')).body), '40 entries')
  // 1 November 12:00 UTC + i hours: 2 November (London) holds i = 12 … 35.
  t.match(textOf((await admin.get('/admin/audit?from=2026-11-02&to=2026-11-02')).body), '24 entries')
  t.match(textOf((await admin.get(`/admin/audit?from=2026-11-02&to=2026-11-02&person=${adminId}&kind=branch`)).body), '8 entries')
  const bad = await admin.get('/admin/audit?from=2026-13-45')
  t.equal(bad.statusCode, 400)
  t.match(textOf(bad.body), 'Enter the first date as year-month-day')
  t.match(bad.body, 'govuk-error-summary')
  t.match(textOf((await admin.get('/admin/audit?from=2026-11-05&to=2026-11-01')).body), 'The last date must be on or after the first date')

  const csv = await admin.get(`/admin/audit.csv?person=${sly}`)
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], 'text/csv')
  t.match(csv.headers['content-disposition'], 'attachment; filename="audit-log-2026-11-30.csv"')
  const lines = csv.body.trim().split('\n')
  t.equal(lines[0], 'id,at,actor_person_id,actor_name,action,object_type,object_id,detail')
  t.equal(lines.length, 2)
  t.match(lines[1], `,2026-11-21T12:00:00.000Z,${sly},"'=HYPERLINK(""http://evil.example"")",volunteer.approved,volunteer,7,{}`, 'a formula is defused')
  const all = await admin.get('/admin/audit.csv')
  t.equal(all.body.trim().split('\n').length, 122, 'every matching entry, not one page')
  t.equal((await admin.get('/admin/audit.csv?to=yesterday')).statusCode, 400)

  const coordinator = await w.signIn(w.coordinator)
  t.equal((await coordinator.get('/admin/audit')).statusCode, 403)
  t.equal((await coordinator.get('/admin/audit.csv')).statusCode, 403)
})
