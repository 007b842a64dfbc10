// Coordinators and admins see only their own library service (and branch-scoped coordinators only their branches).
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createService, createBranch, createCoordinator, createAdmin, createSession, createPerson } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

t.test('a coordinator cannot see another library service’s branches, sessions or people', async (t) => {
  const { app } = await testApp(t)
  const mine = await createService(app.db, 'Northshire Libraries')
  const theirs = await createService(app.db, 'Southshire Libraries')
  const myBranch = await createBranch(app.db, mine, 'Northtown Library')
  const theirBranch = await createBranch(app.db, theirs, 'Southtown Library')
  await createSession(app.db, myBranch, { date: '2026-12-01', title: 'Northtown drop-in' })
  await createSession(app.db, theirBranch, { date: '2026-12-01', title: 'Southtown secret drop-in' })
  const me = await createCoordinator(app.db, 'north@example.org', mine, null, 'Nora North')
  await createCoordinator(app.db, 'south@example.org', theirs, null, 'Sid South')
  const myAdmin = await createAdmin(app.db, 'admin-north@example.org', mine, 'Ada North')

  const coordinator = await new Client(app).signInAs(me)
  const page = await coordinator.get('/coordinate')
  t.equal(page.statusCode, 200)
  t.match(page.body, /Northtown Library/)
  t.match(page.body, /Northtown drop-in/)
  t.notMatch(page.body, /Southtown/)

  const admin = await new Client(app).signInAs(myAdmin)
  const adminPage = await admin.get('/admin')
  t.match(adminPage.body, /Nora North/)
  t.notMatch(adminPage.body, /Sid South/)
  t.notMatch(adminPage.body, /Southtown/)
})

t.test('a branch coordinator sees only their branches', async (t) => {
  const { app } = await testApp(t)
  const service = await createService(app.db)
  const a = await createBranch(app.db, service, 'Alpha Library')
  const b = await createBranch(app.db, service, 'Beta Library')
  await createSession(app.db, a, { date: '2026-12-01', title: 'Alpha session' })
  await createSession(app.db, b, { date: '2026-12-01', title: 'Beta session' })
  const person = await createPerson(app.db, 'branch@example.org', 'Bea Branch')
  await app.db.insertInto('role_grants').values({ person_id: person, role: 'coordinator', library_service_id: service, branch_id: a, created_at: 0 }).execute()
  const browser = await new Client(app).signInAs(person)
  const page = await browser.get('/coordinate')
  t.match(page.body, /Alpha session/)
  t.notMatch(page.body, /Beta/)
})
