// The CSRF secret is bound to the login session: signing in and signing out each start a new one, so an old form token stops working.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client, csrfFrom, encodeForm, latestMailTo } from '../helpers/client.js'
import { createService, createBranch, createCoordinator } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

t.test('sign-in and sign-out rotate the CSRF secret', async (t) => {
  const { app } = await testApp(t)
  const serviceId = await createService(app.db)
  await createBranch(app.db, serviceId)
  await createCoordinator(app.db, 'coord@example.org', serviceId, null, 'Casey Coordinator')
  const browser = new Client(app)
  await browser.get('/sign-in')
  const secretBefore = browser.cookies.get('rota_csrf')
  const tokenBefore = await browser.csrf()
  t.ok(secretBefore, 'a CSRF secret before signing in')

  await browser.post('/sign-in', { email: 'coord@example.org' })
  const token = /\/sign-in\/confirm\/([A-Za-z0-9_-]+)/.exec((await latestMailTo(app, 'coord@example.org'))!.text_body)![1]!
  const confirmed = await browser.post('/sign-in/confirm', { token })
  t.equal(confirmed.statusCode, 303)
  t.match(String(confirmed.headers['set-cookie']), /rota_csrf=;/, 'signing in drops the old secret')

  const dashboard = await browser.get('/coordinate')
  const secretAfter = browser.cookies.get('rota_csrf')
  t.ok(secretAfter, 'the next page sets a new secret')
  t.not(secretAfter, secretBefore, 'a different one')
  t.not(csrfFrom(dashboard.body), tokenBefore)

  // A form token from before signing in no longer works for the signed-in person.
  const stale = await app.inject({
    method: 'POST',
    url: '/sign-out',
    payload: encodeForm({ _csrf: tokenBefore }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookieHeader() },
  })
  t.equal(stale.statusCode, 403, 'the token from before sign-in is refused')

  const out = await browser.post('/sign-out')
  t.equal(out.statusCode, 303)
  t.match(String(out.headers['set-cookie']), /rota_csrf=;/, 'signing out drops the secret too')
})
