// Outside production with no SMTP_URL, sent mail is browsable at /dev/mail and /dev/mail.json, newest first.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client, firstLink, latestMailTo } from '../helpers/client.js'
import { createService, createBranch, createCoordinator } from '../helpers/fixtures.js'
import { buildApp } from '../../src/app.js'
import { freshDatabase, migrateFresh, testConfig } from '../helpers/app.js'

t.comment(`database: ${databaseLabel}`)

t.test('mail.json lists messages newest first with their parts', async (t) => {
  const { app } = await testApp(t)
  const service = await createService(app.db)
  await createBranch(app.db, service)
  await createCoordinator(app.db, 'one@example.org', service, null, 'One')
  await createCoordinator(app.db, 'two@example.org', service, null, 'Two')
  await new Client(app).post('/sign-in', { email: 'one@example.org' })
  await new Client(app).post('/sign-in', { email: 'two@example.org' })
  await app.mail.worker.drain()
  const res = await app.inject('/dev/mail.json')
  t.equal(res.statusCode, 200)
  const mail = res.json() as Array<Record<string, unknown>>
  t.equal(mail.length, 2)
  t.equal(mail[0]!.to, 'two@example.org', 'newest first')
  for (const key of ['to', 'subject', 'text', 'html', 'headers', 'calendar', 'attachments']) t.ok(key in mail[0]!, `has ${key}`)
  t.match(String(mail[0]!.text), /http:\/\/rota\.test\/sign-in\/confirm\//)
  const page = await app.inject('/dev/mail')
  t.equal(page.statusCode, 200)
  t.match(page.body, /Your link to sign in/)
  t.match((await app.inject('/')).body, /href="\/dev\/mail"/, 'the footer links to the mailbox')
})

t.test('no dev mailbox when SMTP_URL is set: mail leaves by SMTP and is not kept', async (t) => {
  // Nothing listens on this port and nothing is sent: the app only has to be built with SMTP selected.
  const { app } = await testApp(t, { env: { SMTP_URL: 'smtp://127.0.0.1:2525' } })
  t.equal(app.mail.transport.kind, 'smtp')
  t.equal((await app.inject('/dev/mail.json')).statusCode, 404)
  t.equal((await app.inject('/dev/mail')).statusCode, 404)
  const home = await app.inject('/')
  t.equal(home.statusCode, 200)
  t.notMatch(home.body, /href="\/dev\/mail"/, 'the footer does not link to a mailbox that is not there')
})

t.test('no dev mailbox in production', async (t) => {
  const database = await freshDatabase(t)
  const config = testConfig(database, {
    NODE_ENV: 'production',
    SESSION_SECRET: 'a-production-secret-that-is-long-enough-0123456789',
    BASE_URL: 'https://rota.example.org',
  })
  await migrateFresh(database)
  const app = await buildApp(config, { logger: false, migrate: false })
  t.teardown(() => app.close())
  t.equal((await app.inject('/dev/mail.json')).statusCode, 404)
  t.equal((await app.inject('/dev/mail')).statusCode, 404)
  const home = await app.inject('/')
  t.match(String(home.headers['set-cookie']), /__Host-rota_csrf=.*Secure/i, 'cookies are Secure and __Host- in production')
  t.match(String(home.headers['strict-transport-security']), /max-age/)

  // The login session cookie after a real emailed-link sign-in: __Host-, HttpOnly, Secure, SameSite=Lax, Path=/.
  const service = await createService(app.db)
  await createBranch(app.db, service)
  await createCoordinator(app.db, 'prod@example.org', service, null, 'Pat Production')
  const browser = new Client(app)
  await browser.post('/sign-in', { email: 'prod@example.org' })
  const mail = await latestMailTo(app, 'prod@example.org')
  const link = firstLink(mail?.text_body ?? '')
  t.ok(link, 'the sign-in email carries a link')
  const confirmed = await browser.post('/sign-in/confirm', { token: new URL(link!).pathname.split('/').pop()! })
  t.equal(confirmed.statusCode, 303)
  const setCookies = ([] as string[]).concat(confirmed.headers['set-cookie'] ?? [])
  const session = setCookies.find((c) => c.startsWith('__Host-rota_session='))
  t.ok(session, 'the session cookie is named __Host-rota_session')
  t.notOk(setCookies.some((c) => c.startsWith('rota_session=')), 'no un-prefixed session cookie')
  const attributes = (session ?? '').split(';').slice(1).map((a) => a.trim().toLowerCase())
  t.ok(attributes.includes('httponly'), 'HttpOnly')
  t.ok(attributes.includes('secure'), 'Secure')
  t.ok(attributes.includes('samesite=lax'), 'SameSite=Lax')
  t.ok(attributes.includes('path=/'), 'Path=/')
  t.notOk(attributes.some((a) => a.startsWith('domain=')), 'no Domain (as __Host- requires)')
  const signedIn = await browser.get('/coordinate')
  t.equal(signedIn.statusCode, 200, 'the cookie signs the browser in')
  t.match(signedIn.body, /Signed in as <strong>Pat Production<\/strong>/)
})
