// Nobody can lock a person out of sign-in by asking for their link: past the per-address cap the newest still-valid link is sent again, without flooding them.
import t, { type Test } from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createService, createBranch, createCoordinator } from '../helpers/fixtures.js'
import { hashToken } from '../../src/auth/tokens.js'
import { MAX_LINKS_PER_ADDRESS_PER_HOUR, RESEND_INTERVAL_MS } from '../../src/auth/auth.service.js'

t.comment(`database: ${databaseLabel}`)

async function setup(t: Test) {
  const ctx = await testApp(t)
  const serviceId = await createService(ctx.app.db)
  await createBranch(ctx.app.db, serviceId)
  await createCoordinator(ctx.app.db, 'coord@example.org', serviceId, null, 'Casey Coordinator')
  const inbox = async () => {
    await ctx.app.mail.worker.drain()
    const rows = await ctx.app.db.selectFrom('mailbox').select(['text_body']).where('to_address', '=', 'coord@example.org').orderBy('id').execute()
    return rows.map((r) => /\/sign-in\/confirm\/([A-Za-z0-9_-]+)/.exec(r.text_body)![1]!)
  }
  return { ...ctx, inbox }
}

t.test('after someone else used up the hourly links, the person still gets one that works', async (t) => {
  const { app, clock, inbox } = await setup(t)
  // An attacker, from many addresses (so the per-client limit does not stop them), spends the cap.
  for (let i = 0; i < MAX_LINKS_PER_ADDRESS_PER_HOUR; i++) {
    t.equal((await app.inject({ method: 'POST', url: '/sign-in', remoteAddress: `198.51.100.${i}`, payload: 'email=coord%40example.org', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode, 403, 'without a form token they are refused…')
    await new Client(app).post('/sign-in', { email: 'coord@example.org' })
    clock.advance(1000)
  }
  const spent = await inbox()
  t.equal(spent.length, MAX_LINKS_PER_ADDRESS_PER_HOUR, 'the cap of new links is reached')

  clock.advance(RESEND_INTERVAL_MS)
  const person = new Client(app)
  t.equal((await person.post('/sign-in', { email: 'coord@example.org' })).statusCode, 303, 'the person is answered as always')
  const after = await inbox()
  t.equal(after.length, spent.length + 1, 'and gets an email')
  // The mailbox is in the order the worker sent, not the order asked: find the newest link by its stored hash.
  const newest = await app.db.selectFrom('sign_in_tokens').select('token_hash').orderBy('created_at', 'desc').executeTakeFirstOrThrow()
  const resent = after.filter((link) => hashToken(link) === newest.token_hash)
  t.equal(resent.length, 2, 'carrying the newest still-valid link (sent before, and now again)')
  const confirmed = await person.post('/sign-in/confirm', { token: resent[0]! })
  t.equal(confirmed.statusCode, 303, 'which signs them in')
  t.equal(confirmed.headers.location, '/dashboard')
})

t.test('past the cap, repeats are not a flood: one resend per interval, and a fresh link once none is left', async (t) => {
  const { app, clock, inbox } = await setup(t)
  for (let i = 0; i < MAX_LINKS_PER_ADDRESS_PER_HOUR; i++) {
    await new Client(app).post('/sign-in', { email: 'coord@example.org' })
    clock.advance(1000)
  }
  clock.advance(RESEND_INTERVAL_MS)
  for (let i = 0; i < 10; i++) await new Client(app).post('/sign-in', { email: 'coord@example.org' })
  t.equal((await inbox()).length, MAX_LINKS_PER_ADDRESS_PER_HOUR + 1, 'ten more requests within the interval send one email')

  // Every link has expired: the next request sends a new one, still within the hour.
  clock.advance(11 * 60_000)
  const person = new Client(app)
  await person.post('/sign-in', { email: 'coord@example.org' })
  const links = await inbox()
  t.equal(links.length, MAX_LINKS_PER_ADDRESS_PER_HOUR + 2)
  const newest = await app.db.selectFrom('sign_in_tokens').select('token_hash').orderBy('created_at', 'desc').executeTakeFirstOrThrow()
  const fresh = links.filter((link) => hashToken(link) === newest.token_hash)
  t.equal(fresh.length, 1, 'a new link, since none was still valid')
  t.equal((await person.post('/sign-in/confirm', { token: fresh[0]! })).statusCode, 303, 'and it works')
})
