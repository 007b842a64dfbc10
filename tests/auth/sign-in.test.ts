// The emailed-link sign-in: single use, 10 minutes, POST to confirm, no account enumeration, sign-out revokes.
import t, { type Test } from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client, firstLink, latestMailTo } from '../helpers/client.js'
import { createService, createBranch, createCoordinator } from '../helpers/fixtures.js'

t.comment(`database: ${databaseLabel}`)

async function setup(t: Test) {
  const ctx = await testApp(t)
  const serviceId = await createService(ctx.app.db)
  await createBranch(ctx.app.db, serviceId)
  const personId = await createCoordinator(ctx.app.db, 'coord@example.org', serviceId, null, 'Casey Coordinator')
  return { ...ctx, personId }
}

async function requestLink(client: Client, email: string) {
  return client.post('/sign-in', { email })
}

async function linkFor(app: Awaited<ReturnType<typeof setup>>['app'], email: string) {
  const mail = await latestMailTo(app, email)
  if (!mail) throw new Error('no mail')
  const link = firstLink(mail.text_body)!
  return new URL(link).pathname
}

t.test('the emailed link signs in once, via the confirm button', async (t) => {
  const { app } = await setup(t)
  const browser = new Client(app)
  const res = await requestLink(browser, 'Coord@Example.org ')
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/sign-in/check-email')

  const path = await linkFor(app, 'coord@example.org')
  const token = path.split('/').pop()!

  // Opening the link (as a mail scanner would) does not sign in or spend it.
  const confirmPage = await browser.get(path)
  t.equal(confirmPage.statusCode, 200)
  t.match(confirmPage.body, /Sign in to Champion Rota/)
  t.notOk([...browser.cookies.keys()].includes('rota_session'), 'GET alone gives no session')
  const again = await new Client(app).get(path)
  t.equal(again.statusCode, 200, 'the link still works after being viewed')

  const confirmed = await browser.post('/sign-in/confirm', { token })
  t.equal(confirmed.statusCode, 303)
  t.equal(confirmed.headers.location, '/dashboard')
  t.ok(browser.cookies.get('rota_session'), 'a session cookie is set')
  const setCookie = String(confirmed.headers['set-cookie'])
  t.match(setCookie, /HttpOnly/i)
  t.match(setCookie, /SameSite=Lax/i)

  const page = await browser.get('/coordinate')
  t.equal(page.statusCode, 200)
  t.match(page.body, /Signed in as <strong>Casey Coordinator<\/strong>/)

  // Second use of the same link: refused, no new session.
  const other = new Client(app)
  const second = await other.post('/sign-in/confirm', { token })
  t.equal(second.statusCode, 410)
  t.match(second.body, /expired or been used/)
  t.notOk(other.cookies.get('rota_session'))
})

t.test('a link older than 10 minutes does not work', async (t) => {
  const { app, clock } = await setup(t)
  const browser = new Client(app)
  await requestLink(browser, 'coord@example.org')
  const path = await linkFor(app, 'coord@example.org')
  clock.advance(10 * 60_000 + 1000)
  const view = await browser.get(path)
  t.equal(view.statusCode, 410)
  const res = await browser.post('/sign-in/confirm', { token: path.split('/').pop()! })
  t.equal(res.statusCode, 410)
  t.notOk(browser.cookies.get('rota_session'))
})

t.test('a link just under 10 minutes old still works', async (t) => {
  const { app, clock } = await setup(t)
  const browser = new Client(app)
  await requestLink(browser, 'coord@example.org')
  const path = await linkFor(app, 'coord@example.org')
  clock.advance(9 * 60_000 + 50_000)
  const res = await browser.post('/sign-in/confirm', { token: path.split('/').pop()! })
  t.equal(res.statusCode, 303)
})

t.test('the answer is the same for a known and an unknown address', async (t) => {
  const { app } = await setup(t)
  const knownClient = new Client(app)
  const unknownClient = new Client(app)
  const known = await requestLink(knownClient, 'coord@example.org')
  const unknown = await requestLink(unknownClient, 'nobody@example.org')
  t.equal(known.statusCode, unknown.statusCode)
  t.equal(known.headers.location, unknown.headers.location)
  t.same(Object.keys(known.headers).sort(), Object.keys(unknown.headers).sort())
  const knownPage = await knownClient.get(String(known.headers.location))
  const unknownPage = await unknownClient.get(String(unknown.headers.location))
  // Only the CSRF tokens and the address typed differ.
  const strip = (html: string, email: string) =>
    html.replace(/value="[^"]*"/g, '').replace(/x-csrf-token&quot;:&quot;[^&]*/g, '').replaceAll(email, 'ADDRESS')
  t.match(knownPage.body, /coord@example.org/, 'the page repeats the address typed')
  t.equal(strip(knownPage.body, 'coord@example.org'), strip(unknownPage.body, 'nobody@example.org'))
  await app.mail.worker.drain()
  const toUnknown = await app.db.selectFrom('mailbox').selectAll().where('to_address', '=', 'nobody@example.org').execute()
  t.equal(toUnknown.length, 0, 'nothing is sent to an unknown address')
})

t.test('a bad email address gets a clear message and sends nothing', async (t) => {
  const { app } = await setup(t)
  const browser = new Client(app)
  const blank = await requestLink(browser, '')
  t.equal(blank.statusCode, 400)
  t.match(blank.body, /There is a problem/)
  t.match(blank.body, /Enter your email address/)
  const bad = await requestLink(browser, 'not-an-email')
  t.match(bad.body, /Enter an email address in the correct format/)
  await app.mail.worker.drain()
  t.equal((await app.db.selectFrom('mailbox').selectAll().execute()).length, 0)
})

t.test('links per address are limited; the page does not say so', async (t) => {
  const { app } = await setup(t)
  for (let i = 0; i < 8; i++) {
    const res = await requestLink(new Client(app), 'coord@example.org')
    t.equal(res.statusCode, 303)
  }
  await app.mail.worker.drain()
  const sent = await app.db.selectFrom('mailbox').selectAll().where('to_address', '=', 'coord@example.org').execute()
  t.equal(sent.length, 6, 'at most 5 new links an hour to one address, then the newest once more (see sign-in-lockout.test.ts)')
})

t.test('one client is rate-limited after many requests', async (t) => {
  const { app } = await setup(t)
  const browser = new Client(app)
  let limited = 0
  for (let i = 0; i < 25; i++) {
    const res = await requestLink(browser, `someone${i}@example.org`)
    if (res.statusCode === 429) {
      limited++
      t.match(res.body, /Too many attempts/)
    }
  }
  t.ok(limited > 0, 'later requests are refused with 429')
})

t.test('sign-out revokes the session on the server', async (t) => {
  const { app } = await setup(t)
  const browser = new Client(app)
  await requestLink(browser, 'coord@example.org')
  const path = await linkFor(app, 'coord@example.org')
  await browser.post('/sign-in/confirm', { token: path.split('/').pop()! })
  const stolenCookie = browser.cookies.get('rota_session')!
  t.equal((await browser.get('/coordinate')).statusCode, 200)

  const out = await browser.post('/sign-out')
  t.equal(out.statusCode, 303)
  const replay = await app.inject({ method: 'GET', url: '/coordinate', headers: { cookie: `rota_session=${stolenCookie}` } })
  t.equal(replay.statusCode, 303, 'the old cookie no longer works')
  t.match(String(replay.headers.location), /^\/sign-in/)
})

t.test('each sign-in gets a new session id', async (t) => {
  const { app } = await setup(t)
  const browser = new Client(app)
  const ids: string[] = []
  for (let i = 0; i < 2; i++) {
    await requestLink(browser, 'coord@example.org')
    const path = await linkFor(app, 'coord@example.org')
    await browser.post('/sign-in/confirm', { token: path.split('/').pop()! })
    ids.push(browser.cookies.get('rota_session')!)
  }
  t.not(ids[0], ids[1])
  const stored = await app.db.selectFrom('login_sessions').select('id_hash').execute()
  t.notOk(stored.some((s) => ids.includes(s.id_hash)), 'only hashes are stored')
})

t.test('a session ends after a day idle and after 14 days in all', async (t) => {
  const { app, clock, personId } = await setup(t)
  const browser = await new Client(app).signInAs(personId)
  clock.advance(23 * 3600_000)
  t.equal((await browser.get('/coordinate')).statusCode, 200, 'still signed in after 23 hours idle')
  clock.advance(24 * 3600_000 + 1000)
  t.equal((await browser.get('/coordinate')).statusCode, 303, 'signed out after more than a day idle')

  const busy = await new Client(app).signInAs(personId)
  // Used every 20 hours: never idle for a day, but 14 days (336 hours) is the end.
  let hours = 0
  while (hours + 20 < 336) {
    clock.advance(20 * 3600_000)
    hours += 20
    t.equal((await busy.get('/coordinate')).statusCode, 200, `still signed in after ${hours} hours of use`)
  }
  clock.advance(20 * 3600_000)
  t.equal((await busy.get('/coordinate')).statusCode, 303, 'signed out after the absolute limit')
})
