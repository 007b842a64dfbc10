// Page HTML is sent compressed to browsers that accept it, with a Vary header that keeps htmx fragments and whole pages apart in caches.
import zlib from 'node:zlib'
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { world } from '../bookings/world.js'

t.comment(`database: ${databaseLabel}`)

const varyOf = (h: unknown) => String(h ?? '').toLowerCase().split(/\s*,\s*/).sort()

t.test('a coordinator page asked for with Accept-Encoding: gzip, br comes back compressed', async (t) => {
  const w = await world(t)
  for (let i = 0; i < 12; i++) await w.session({ date: `2026-12-${String(i + 1).padStart(2, '0')}`, title: `Drop-in ${i}` })
  const coordinator = await w.signIn(w.coordinator)

  const plain = await coordinator.get('/coordinate/sessions')
  t.equal(plain.statusCode, 200)
  t.notOk(plain.headers['content-encoding'], 'not compressed for a client that did not ask')

  const res = await w.app.inject({ method: 'GET', url: '/coordinate/sessions', headers: { cookie: coordinator.cookieHeader(), 'accept-encoding': 'gzip, br' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-encoding'], 'br', 'brotli, the better of the two offered')
  const html = zlib.brotliDecompressSync(res.rawPayload).toString('utf8')
  t.match(html, /<title>[^<]*Champion Rota<\/title>/, 'to the whole page')
  t.ok(res.rawPayload.length < Buffer.byteLength(html) / 3, `much smaller (${res.rawPayload.length} of ${Buffer.byteLength(html)} bytes)`)
  t.same(varyOf(res.headers.vary), ['accept-encoding', 'hx-request'], 'Vary names both HX-Request and Accept-Encoding')

  const gzip = await w.app.inject({ method: 'GET', url: '/coordinate/sessions', headers: { cookie: coordinator.cookieHeader(), 'accept-encoding': 'gzip' } })
  t.equal(gzip.headers['content-encoding'], 'gzip')
  t.match(zlib.gunzipSync(gzip.rawPayload).toString('utf8'), /<\/html>\s*$/)

  // The htmx fragment of the same URL: compressed too, and still told apart by Vary.
  const fragment = await w.app.inject({ method: 'GET', url: '/coordinate/gaps', headers: { cookie: coordinator.cookieHeader(), 'accept-encoding': 'gzip, br', 'hx-request': 'true' } })
  t.equal(fragment.statusCode, 200)
  t.same(varyOf(fragment.headers.vary), ['accept-encoding', 'hx-request'])
  const fragmentHtml = fragment.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(fragment.rawPayload).toString('utf8') : fragment.body
  t.notMatch(fragmentHtml, /<html/, 'the fragment, not the page')
})

t.test('static files keep their precompressed versions', async (t) => {
  const w = await world(t)
  const css = await w.app.inject({ method: 'GET', url: '/static/app.css', headers: { 'accept-encoding': 'br' } })
  t.equal(css.statusCode, 200)
  t.equal(css.headers['content-encoding'], 'br')
  t.match(zlib.brotliDecompressSync(css.rawPayload).toString('utf8'), /font-family/, 'decompresses once, to the CSS')
})
