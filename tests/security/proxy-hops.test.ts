// Per-address limits key on the address the trusted proxy hops vouch for (TRUSTED_PROXY_HOPS), never on X-Forwarded-For values a client wrote.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { loadConfig } from '../../src/config.js'

t.comment(`database: ${databaseLabel}`)

const PRODUCTION = { NODE_ENV: 'production', SESSION_SECRET: 'a-production-secret-for-these-tests-0123456789' }
const FLY_PROXY = '172.16.0.1'

/** Asks for sign-in links as one client behind the proxy, each time with a different forged X-Forwarded-For. */
async function askRepeatedly(client: Client, count: number, forwarded: (i: number) => string, remoteAddress = FLY_PROXY) {
  const statuses: number[] = []
  const token = await client.csrf()
  for (let i = 0; i < count; i++) {
    const res = await client.app.inject({
      method: 'POST',
      url: '/sign-in',
      remoteAddress,
      payload: `email=someone${i}%40example.org&_csrf=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: client.cookieHeader(), 'x-forwarded-for': forwarded(i) },
    })
    statuses.push(res.statusCode)
  }
  return statuses
}

t.test('behind one trusted hop (Fly), a forged X-Forwarded-For does not escape the /sign-in limit', async (t) => {
  const { app } = await testApp(t, { env: { ...PRODUCTION, TRUSTED_PROXY_HOPS: '1' } })
  // The client writes its own header; Fly appends the address it saw (203.0.113.7).
  const statuses = await askRepeatedly(new Client(app), 25, (i) => `198.51.100.${i}, 203.0.113.7`)
  t.ok(statuses.slice(0, 20).every((s) => s === 303), 'the first 20 are answered')
  t.ok(statuses.slice(20).every((s) => s === 429), 'then the limit holds, whatever the client wrote')
  // Someone else behind the same proxy is another address, with their own allowance.
  const other = await askRepeatedly(new Client(app), 1, () => '203.0.113.8')
  t.same(other, [303], 'another client is not held up by the first')
})

t.test('with no trusted hops (the default), X-Forwarded-For is ignored altogether', async (t) => {
  const { app } = await testApp(t, { env: PRODUCTION })
  const statuses = await askRepeatedly(new Client(app), 25, (i) => `198.51.100.${i}`, '203.0.113.9')
  t.ok(statuses.slice(20).every((s) => s === 429), 'the socket address is the client')
})

t.test('TRUSTED_PROXY_HOPS is checked at start with a one-line error', async (t) => {
  t.equal(loadConfig({}).trustedProxyHops, 0, 'none by default')
  t.equal(loadConfig({ TRUSTED_PROXY_HOPS: '1' }).trustedProxyHops, 1)
  for (const bad of ['-1', 'one', '1.5', '99']) {
    t.throws(() => loadConfig({ TRUSTED_PROXY_HOPS: bad }), /^TRUSTED_PROXY_HOPS must be a whole number from 0 to 10/, `${bad} is refused`)
  }
})
