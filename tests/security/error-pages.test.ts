// No answer is ever Fastify's raw JSON: router, parser and body refusals all get the service's own error page (or its htmx fragment).
import t, { type Test } from 'tap'
import net from 'node:net'
import { testApp, databaseLabel } from '../helpers/app.js'

t.comment(`database: ${databaseLabel}`)

function isServicePage(t: Test, res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, what: string) {
  t.equal(res.statusCode, status, `${what}: ${status}`)
  t.match(String(res.headers['content-type']), /^text\/html/, `${what}: HTML, not JSON`)
  t.match(res.body, /<html lang="en-GB"/, `${what}: the whole page`)
  t.match(res.body, /Champion Rota/, `${what}: the service's own page`)
  t.notMatch(res.body, /"statusCode"|FST_ERR/, `${what}: no framework error`)
  t.ok(res.headers['content-security-policy'], `${what}: the security headers`)
}

t.test('router and body refusals answer with the error page, whole or as an htmx fragment', async (t) => {
  const { app } = await testApp(t)
  const cases: Array<{ what: string; status: number; method?: 'GET' | 'POST'; url: string; type?: string; body?: string }> = [
    { what: 'a malformed %-escape in the path', status: 400, url: '/sessions/%zz' },
    { what: 'a token longer than any token', status: 414, url: `/sign-in/confirm/${'a'.repeat(300)}` },
    { what: 'an unknown page', status: 404, url: '/no-such-page' },
    { what: 'a body too large', status: 413, method: 'POST', url: '/sign-in', type: 'application/x-www-form-urlencoded', body: `email=${'a'.repeat(70_000)}` },
    { what: 'a body that is not a form', status: 415, method: 'POST', url: '/sign-in', type: 'application/xml', body: '<x/>' },
    { what: 'a query too long', status: 400, url: `/sign-in?next=/${'a'.repeat(600)}` },
  ]
  for (const c of cases) {
    const request = { method: c.method ?? 'GET', url: c.url, payload: c.body, headers: c.type ? { 'content-type': c.type } : {} } as const
    isServicePage(t, await app.inject(request), c.status, c.what)
    const htmx = await app.inject({ ...request, headers: { ...request.headers, 'hx-request': 'true' } })
    t.equal(htmx.statusCode, c.status, `${c.what} (htmx): ${c.status}`)
    t.notMatch(htmx.body, /<html/, `${c.what} (htmx): only the fragment`)
    t.match(htmx.body, /class="rota-error"/, `${c.what} (htmx): the error fragment`)
    t.notMatch(htmx.body, /"statusCode"|FST_ERR/, `${c.what} (htmx): no framework error`)
  }
})

/** Writes raw bytes to a listening app and reads the whole answer. */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => (answer += chunk))
    socket.on('close', () => resolve(answer))
    socket.on('error', (error) => (answer ? resolve(answer) : reject(error)))
    socket.write(bytes)
  })
}

t.test('what the HTTP parser refuses (431, 400) gets the error page too', async (t) => {
  const { app } = await testApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as net.AddressInfo).port

  const big = await rawRequest(port, `GET / HTTP/1.1\r\nHost: rota.test\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`)
  t.match(big, /^HTTP\/1\.1 431 /, 'headers too large: 431')
  t.match(big, /Content-Type: text\/html/i, '431: HTML, not JSON')
  t.match(big, /Clear the cookies for this site/, '431: the page says what to do')
  t.match(big, /<html lang="en-GB"/, "431: the service's own page")

  const broken = await rawRequest(port, `GET / HTTP/1.1\r\nHost: rota.test\r\nContent-Length: nope\r\n\r\n`)
  t.match(broken, /^HTTP\/1\.1 400 /, 'a broken request: 400')
  t.match(broken, /Content-Type: text\/html/i, '400: HTML, not JSON')
  t.notMatch(broken, /"statusCode"/)
})
