// The cookie signer that remembers genuine signatures answers exactly as @fastify/cookie's own: a forged or altered value is refused every time.
import t from 'tap'
import { Signer } from '@fastify/cookie'
import { rememberingSigner } from '../../src/plugins/security.js'

t.test('same answers as the plain signer, before and after a value is remembered', async (t) => {
  const secret = 'a'.repeat(48)
  const plain = new Signer(secret)
  const remembering = rememberingSigner(secret, 3)
  const signed = plain.sign('csrf-secret-value')
  t.equal(remembering.sign('csrf-secret-value'), signed, 'signs the same')
  t.same(remembering.unsign(signed), plain.unsign(signed), 'genuine, first time')
  t.same(remembering.unsign(signed), { valid: true, renew: false, value: 'csrf-secret-value' }, 'genuine, remembered')
  const forged = `${'csrf-secret-value'}.${'x'.repeat(43)}`
  for (let i = 0; i < 2; i++) t.same(remembering.unsign(forged), { valid: false, renew: false, value: null }, `forged signature refused (${i + 1})`)
  const altered = signed.replace('csrf', 'CSRF')
  t.same(remembering.unsign(altered), { valid: false, renew: false, value: null }, 'the value changed under a genuine signature is refused')
  t.same(remembering.unsign('no-signature'), plain.unsign('no-signature'))
  t.same(remembering.unsign(''), plain.unsign(''))
  const other = rememberingSigner('b'.repeat(48))
  t.equal(other.unsign(signed).valid, false, 'another secret does not accept it')
  // Past its bound it forgets and checks again, with the same answers.
  for (let i = 0; i < 5; i++) t.equal(remembering.unsign(plain.sign(`v${i}`)).value, `v${i}`)
  t.same(remembering.unsign(signed), plain.unsign(signed))
})
