// Every state-changing route refuses a request without a valid CSRF token; every route enforces its role.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client, encodeForm } from '../helpers/client.js'
import { createService, createBranch, createCoordinator, createAdmin, createPerson, createVolunteer } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+\.ics$/, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics').replace(/:[A-Za-z]+/g, '1').replace(/\*/g, 'x')
}

t.test('no state-changing route accepts a request without a valid CSRF token', async (t) => {
  const { app } = await testApp(t)
  const serviceId = await createService(app.db)
  await createBranch(app.db, serviceId)
  const adminId = await createAdmin(app.db, 'admin@example.org', serviceId)
  const browser = await new Client(app).signInAs(adminId)
  const unsafe = app.routeTable.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method))
  t.ok(unsafe.length >= 3, `${unsafe.length} state-changing routes found`)
  for (const route of unsafe) {
    if (!route.csrf) {
      t.equal(route.access, 'token', `${route.method} ${route.url} skips CSRF only because it authenticates by its own token`)
      continue
    }
    const url = concrete(route.url)
    const none = await app.inject({
      method: route.method as 'POST',
      url,
      payload: encodeForm({ email: 'x@example.org' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookieHeader() },
    })
    t.equal(none.statusCode, 403, `${route.method} ${route.url} without a token → 403`)
    const forged = await app.inject({
      method: route.method as 'POST',
      url,
      payload: encodeForm({ _csrf: 'forged-token-value', email: 'x@example.org' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookieHeader() },
    })
    t.equal(forged.statusCode, 403, `${route.method} ${route.url} with a forged token → 403`)
    t.match(forged.body, /This form has expired/)
    // A token from another browser (its own cookie secret) does not work either.
    const otherToken = await new Client(app).csrf()
    const crossed = await app.inject({
      method: route.method as 'POST',
      url,
      payload: encodeForm({ _csrf: otherToken, email: 'x@example.org' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookieHeader() },
    })
    t.equal(crossed.statusCode, 403, `${route.method} ${route.url} with another browser's token → 403`)
  }
  const signedOut = await app.db.selectFrom('login_sessions').selectAll().execute()
  t.equal(signedOut.length, 1, 'no forged request changed anything (still signed in)')
})

t.test('the htmx header carries the token too', async (t) => {
  const { app } = await testApp(t)
  const serviceId = await createService(app.db)
  await createBranch(app.db, serviceId)
  const adminId = await createAdmin(app.db, 'admin@example.org', serviceId)
  const browser = await new Client(app).signInAs(adminId)
  const token = await browser.csrf()
  const res = await app.inject({
    method: 'POST',
    url: '/sign-out',
    headers: { cookie: browser.cookieHeader(), 'x-csrf-token': token, 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
  })
  t.equal(res.statusCode, 303)
})

t.test('every route declares who may use it, and the roles are enforced', async (t) => {
  const { app } = await testApp(t)
  const serviceId = await createService(app.db)
  const branchId = await createBranch(app.db, serviceId)
  const { personId: volunteerPerson } = await createVolunteer(app.db, 'vol@example.org', serviceId, [branchId])
  const coordinatorPerson = await createCoordinator(app.db, 'coord@example.org', serviceId)
  const volunteer = await new Client(app).signInAs(volunteerPerson)
  const coordinator = await new Client(app).signInAs(coordinatorPerson)
  // A partner's right (read-only figures, /network) must never open a coordinator's or an admin's page.
  const partnerPerson = await createPerson(app.db, 'partner@example.org', 'Pat Partner')
  await app.db.insertInto('role_grants').values({ person_id: partnerPerson, role: 'partner', library_service_id: serviceId, branch_id: null, created_at: 0 }).execute()
  const partner = await new Client(app).signInAs(partnerPerson)
  const anonymous = new Client(app)

  const staffOnly = app.routeTable.filter((r) => r.method === 'GET' && (r.access === 'coordinator' || r.access === 'admin' || r.access === 'partner'))
  t.ok(staffOnly.length >= 2, 'there are coordinator and admin pages')
  for (const route of staffOnly) {
    const url = concrete(route.url)
    const asVolunteer = await volunteer.get(url)
    t.equal(asVolunteer.statusCode, 403, `a volunteer cannot open ${route.url}`)
    t.match(asVolunteer.body, /You cannot do that/)
    const asAnonymous = await anonymous.get(url)
    t.equal(asAnonymous.statusCode, 303, `a stranger is sent to sign in from ${route.url}`)
    if (route.access === 'admin') {
      t.equal((await coordinator.get(url)).statusCode, 403, `a coordinator cannot open admin page ${route.url}`)
    }
    if (route.access === 'partner') t.equal((await coordinator.get(url)).statusCode, 403, `a coordinator cannot open the partners' ${route.url}`)
    else t.equal((await partner.get(url)).statusCode, 403, `a partner cannot open ${route.access} page ${route.url}`)
  }
  for (const route of app.routeTable.filter((r) => r.method === 'GET' && r.access === 'volunteer')) {
    t.equal((await anonymous.get(concrete(route.url))).statusCode, 303, `a stranger is sent to sign in from ${route.url}`)
  }
})
