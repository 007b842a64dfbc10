// Security headers: a CSP that allows no inline script, no-store on signed-in pages, body size limits.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createService, createBranch, createCoordinator } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

t.test('headers on pages', async (t) => {
  const { app } = await testApp(t)
  const service = await createService(app.db)
  await createBranch(app.db, service)
  const person = await createCoordinator(app.db, 'c@example.org', service)
  const home = await app.inject('/')
  const csp = String(home.headers['content-security-policy'])
  t.match(csp, /script-src 'self'(;|$)/)
  t.notMatch(csp, /unsafe-inline|unsafe-eval/)
  t.match(csp, /frame-ancestors 'none'/)
  t.equal(home.headers['x-content-type-options'], 'nosniff')
  t.equal(home.headers['referrer-policy'], 'same-origin')
  t.equal(home.headers['x-frame-options'], 'SAMEORIGIN')
  // Every answer carries them, not only pages: a 404, an asset, the health check.
  for (const url of ['/no/such/page', '/static/app.js', '/healthz']) {
    const other = await app.inject(url)
    t.equal(other.headers['content-security-policy'], home.headers['content-security-policy'], `${url}: the same policy`)
    t.equal(other.headers['x-content-type-options'], 'nosniff', `${url}: nosniff`)
  }
  t.notMatch(home.body, /<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in the page')
  t.notMatch(home.body, /\shx-on[:-]/, 'no hx-on attributes (they need eval)')
  t.match(home.body, /"allowEval":false/)
  t.match(home.body, /"includeIndicatorStyles":false/)

  const browser = await new Client(app).signInAs(person)
  const page = await browser.get('/coordinate')
  t.equal(page.headers['cache-control'], 'no-store')
  t.equal(page.headers['vary'], 'HX-Request')
})

t.test('a huge or malformed body gets a clear 4xx and changes nothing', async (t) => {
  const { app } = await testApp(t)
  const browser = new Client(app)
  const token = await browser.csrf()
  const huge = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookieHeader() },
    payload: `_csrf=${token}&email=${'a'.repeat(200_000)}`,
  })
  t.equal(huge.statusCode, 413)
  t.match(huge.body, /too large/)
  const json = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { 'content-type': 'application/json', cookie: browser.cookieHeader() },
    payload: '{"email": ',
  })
  t.ok(json.statusCode >= 400 && json.statusCode < 500, `malformed JSON → ${json.statusCode}`)
  const tokens = await app.db.selectFrom('sign_in_tokens').selectAll().execute()
  t.equal(tokens.length, 0)
})

t.test('unknown pages are a friendly 404', async (t) => {
  const { app } = await testApp(t)
  const res = await app.inject('/no/such/page')
  t.equal(res.statusCode, 404)
  t.match(res.body, /Page not found/)
  const badId = await app.inject('/dev/mail/not-a-number')
  t.equal(badId.statusCode, 400)
  t.match(badId.body, /There is a problem/)
})
