// Bad input to the booking routes: odd ids, tampered fields, huge or malformed bodies → a 4xx with a message, nothing changed.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { encodeForm } from '../helpers/client.js'
import { world, textOf } from './world.js'

t.comment(`database: ${databaseLabel}`)

t.test('bad ids, tampered fields and bodies never book anything and never give a 500', async (t) => {
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08', max: 3 })
  const me = await w.volunteer()
  const other = await w.volunteer()
  const browser = await w.signIn(me.personId)
  const token = await browser.csrf()
  const before = await w.snapshot()

  const cases: Array<{ name: string; url: string; body: string; type?: string; status: number; message: RegExp }> = [
    { name: 'a session id that is not a number', url: '/sessions/abc/book', body: encodeForm({ _csrf: token }), status: 400, message: /Something in the form or address was not right/ },
    { name: 'a session id too big to be one', url: '/sessions/99999999999999/book', body: encodeForm({ _csrf: token }), status: 400, message: /Something in the form or address was not right/ },
    { name: 'a negative session id', url: '/sessions/-4/book', body: encodeForm({ _csrf: token }), status: 400, message: /Something in the form or address was not right/ },
    { name: 'a session that does not exist', url: '/sessions/987654/book', body: encodeForm({ _csrf: token }), status: 404, message: /We could not find that session/ },
    { name: 'a waiting list of a session that does not exist', url: '/sessions/987654/waitlist', body: encodeForm({ _csrf: token }), status: 404, message: /We could not find that session/ },
    {
      name: 'a return address that is too long',
      url: `/sessions/${session}/book`,
      body: encodeForm({ _csrf: token, return: '/sessions?' + 'x'.repeat(2000) }),
      status: 400,
      message: /Something in the form or address was not right/,
    },
    { name: 'a field sent twice', url: `/sessions/${session}/book`, body: encodeForm({ _csrf: token, return: ['/sessions', '/my-sessions'] }), status: 400, message: /Something in the form or address was not right/ },
    { name: 'a body far too large', url: `/sessions/${session}/book`, body: encodeForm({ _csrf: token, return: '/sessions', padding: 'x'.repeat(70_000) }), status: 413, message: /What you sent was too large/ },
    { name: 'a body that is not a form', url: `/sessions/${session}/book`, body: '<book/>', type: 'application/xml', status: 415, message: /The form could not be read/ },
    { name: 'plain text instead of a form', url: `/sessions/${session}/book`, body: `_csrf=${token}`, type: 'text/plain', status: 403, message: /This form has expired/ },
    { name: 'broken JSON', url: `/sessions/${session}/book`, body: '{"_csrf": ', type: 'application/json', status: 400, message: /That request could not be understood/ },
    { name: 'a reason sent as a list', url: `/my-sessions/1/withdraw`, body: encodeForm({ _csrf: token, reason: ['a', 'b'] }), status: 400, message: /Something in the form or address was not right/ },
  ]
  for (const c of cases) {
    const res = await w.app.inject({
      method: 'POST',
      url: c.url,
      payload: c.body,
      headers: { 'content-type': c.type ?? 'application/x-www-form-urlencoded', cookie: browser.cookieHeader() },
    })
    t.equal(res.statusCode, c.status, `${c.name} → ${c.status}`)
    t.match(textOf(res.body), c.message, `${c.name}: says so`)
  }
  t.same(await w.snapshot(), before, 'nothing changed')

  // Tampered fields are ignored: you book as yourself, and only ever go back to your own pages.
  const tampered = await browser.post(`/sessions/${session}/book`, { return: 'https://evil.example/steal', volunteerId: other.volunteerId, volunteer_id: other.volunteerId, sessionId: 1 })
  t.equal(tampered.statusCode, 303)
  t.equal(tampered.headers.location, '/sessions', 'never an open redirect')
  const held = await w.db.selectFrom('assignments').select(['volunteer_id', 'state']).where('session_id', '=', session).execute()
  t.same(held, [{ volunteer_id: me.volunteerId, state: 'confirmed' }], 'the booking is the signed-in volunteer’s, whatever the form says')
  for (const bad of ['//evil.example', '/\\evil', '/admin', '/sessions\r\nSet-Cookie: x=1']) {
    const res = await browser.post(`/sessions/${session}/book`, { return: bad })
    t.equal(res.headers.location, '/sessions', `return=${JSON.stringify(bad)} goes back to /sessions`)
  }
})

t.test('a forged or missing CSRF token books nothing', async (t) => {
  const w = await world(t)
  const session = await w.session({ date: '2026-12-08' })
  const browser = await w.signIn((await w.volunteer()).personId)
  const before = await w.snapshot()
  const missing = await browser.post(`/sessions/${session}/book`, {}, { csrf: false })
  t.equal(missing.statusCode, 403)
  t.match(textOf(missing.body), /This form has expired/)
  const forged = await browser.post(`/sessions/${session}/book`, { _csrf: 'forged' })
  t.equal(forged.statusCode, 403)
  t.same(await w.snapshot(), before)
})
