// Names people type come out escaped in every page and HTML email, and intact in plain text.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client, latestMailTo } from '../helpers/client.js'
import { createService, createBranch, createCoordinator, createAdmin } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

const NASTY = '<script>alert(1)</script>'

t.test('a hostile name is escaped in pages and email', async (t) => {
  const { app } = await testApp(t)
  const service = await createService(app.db)
  const branch = await createBranch(app.db, service, `Library ${NASTY}`)
  const coordinatorId = await createCoordinator(app.db, 'coord@example.org', service, null, NASTY)
  const adminId = await createAdmin(app.db, 'admin@example.org', service, `Admin ${NASTY}`)

  const coordinator = await new Client(app).signInAs(coordinatorId)
  const page = await coordinator.get('/coordinate')
  t.equal(page.statusCode, 200)
  t.notMatch(page.body, NASTY, 'no raw script tag in the page')
  t.match(page.body, '&lt;script&gt;alert(1)&lt;/script&gt;')

  const admin = await new Client(app).signInAs(adminId)
  const adminPage = await admin.get('/admin')
  t.notMatch(adminPage.body, NASTY)

  // Applying with that name: the page and the confirmation email escape it.
  const applicant = new Client(app)
  const res = await applicant.post('/apply', { name: NASTY, email: 'new@example.org', branches: String(branch) })
  t.equal(res.statusCode, 303)
  const mail = await latestMailTo(app, 'new@example.org')
  t.ok(mail, 'the applicant is emailed')
  t.notMatch(mail!.html_body, NASTY)
  t.match(mail!.html_body, '&lt;script&gt;')
  t.match(mail!.text_body, NASTY, 'plain text keeps the name as typed')

  // A validation error page echoes the value escaped.
  const bad = await applicant.post('/apply', { name: NASTY, email: 'not-an-email', branches: String(branch) })
  t.equal(bad.statusCode, 400)
  t.notMatch(bad.body, NASTY)

  const devMail = await new Client(app).get('/dev/mail')
  t.notMatch(devMail.body, NASTY)
})
