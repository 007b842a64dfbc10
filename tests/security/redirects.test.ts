// Redirect targets a request supplies (`next` at sign-in, `return` after booking) stay on this site and never break the answer.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { safeRedirectPath } from '../../src/auth/safe-redirect.js'
import { world } from '../bookings/world.js'

t.comment(`database: ${databaseLabel}`)

const BASE = 'http://rota.test'

// What a browser does with a Location: strips tabs and newlines, reads "\" as "/", resolves against the page.
function browserTarget(location: string): URL {
  return new URL(location.replace(/[\t\n\r]/g, ''), `${BASE}/sign-in`)
}

const HOSTILE = [
  '/\t/evil.example/phish',
  '/%09/evil.example/phish',
  '//evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '/..//evil.example',
  '/./\t/evil.example',
  'https://evil.example/',
  'http://rota.test@evil.example/',
  '/\n/evil.example',
  ' //evil.example',
  'javascript:alert(1)',
  '/sessions\u0000',
  '/sessions\u007f',
  '/caf\u00e9',
  '/\u20ac',
  '/sessions#frag',
]

t.test('the one redirect check refuses every off-site or unsafe target', async (t) => {
  for (const value of HOSTILE) {
    const got = safeRedirectPath(value, BASE, '/dashboard')
    t.equal(browserTarget(got).origin, BASE, `${JSON.stringify(value)} stays on the site`)
    t.match(got, /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/, `${JSON.stringify(value)} gives safe characters only`)
  }
  t.equal(safeRedirectPath('/sessions?branch=2&page=3', BASE, '/x'), '/sessions?branch=2&page=3', 'an ordinary path is kept')
  t.equal(safeRedirectPath('/my-sessions', BASE, '/x'), '/my-sessions')
})

t.test('GET /sign-in?next= for a signed-in person never sends them off the site, and never 500s', async (t) => {
  const w = await world(t)
  const me = await w.volunteer()
  const browser = await w.signIn(me.personId)
  for (const value of HOSTILE) {
    const res = await browser.get(`/sign-in?next=${encodeURIComponent(value)}`)
    t.ok(res.statusCode < 500, `${JSON.stringify(value)}: no 500 (${res.statusCode})`)
    if (res.statusCode === 303) {
      const location = String(res.headers.location)
      t.equal(browserTarget(location).origin, BASE, `${JSON.stringify(value)} → ${JSON.stringify(location)} stays on the site`)
    } else {
      t.match(String(res.headers['content-type']), /text\/html/, `${JSON.stringify(value)}: the service's own page`)
    }
  }
  // The signed-out sign-in page carries only a safe `next` in its form.
  const stranger = await w.app.inject({ method: 'GET', url: `/sign-in?next=${encodeURIComponent('/\t/evil.example/phish')}` })
  t.equal(stranger.statusCode, 200)
  t.notMatch(stranger.body, /evil\.example/)
})

t.test('booking with a hostile or unencodable return address books once and answers with a page on this site', async (t) => {
  const w = await world(t)
  for (const value of ['/\t/evil.example', '/sessions/\u20ac', '/sessions\u007f', '/sessions\u0001', '//evil.example', '/\\evil.example', '/my-sessions/..//evil.example']) {
    const session = await w.session({ date: '2026-12-08', max: 3 })
    const me = await w.volunteer()
    const browser = await w.signIn(me.personId)
    const res = await browser.post(`/sessions/${session}/book`, { return: value })
    t.equal(res.statusCode, 303, `${JSON.stringify(value)}: the booking's own redirect, not an error`)
    t.equal(browserTarget(String(res.headers.location)).origin, BASE, `${JSON.stringify(value)} stays on the site`)
    const rows = await w.app.db.selectFrom('assignments').select('state').where('session_id', '=', session).where('volunteer_id', '=', me.volunteerId).execute()
    t.same(rows.map((r) => r.state), ['confirmed'], `${JSON.stringify(value)}: booked exactly once`)
  }
})
