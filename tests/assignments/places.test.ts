// The core place rules, without HTTP: capacity, clashes, eligibility, waitlist promotion, calendar SEQUENCE.
import t, { type Test } from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { createService, createBranch, createVolunteer, createSession } from '../helpers/fixtures.js'
import { joinWaitlist, releasePlace, takePlace } from '../../src/assignments/places.service.js'

t.comment(`database: ${databaseLabel}`)

async function setup(t: Test) {
  const ctx = await testApp(t)
  const db = ctx.app.db
  const service = await createService(db)
  const branch = await createBranch(db, service)
  const session = await createSession(db, branch, { date: '2026-12-08', start: '10:00', end: '12:00', max: 2 })
  const overlapping = await createSession(db, branch, { date: '2026-12-08', start: '11:00', end: '13:00', title: 'Overlap' })
  const vols = []
  for (let i = 1; i <= 4; i++) vols.push(await createVolunteer(db, `v${i}@example.org`, service, [branch], { name: `Vol ${i}` }))
  return { ...ctx, db, service, branch, session, overlapping, vols }
}

const book = (app: Awaited<ReturnType<typeof setup>>['app'], sessionId: number, volunteerId: number) =>
  takePlace(app.ctx, { sessionId, volunteerId, source: 'self', actorPersonId: null, bookingWindow: true, wording: 'booked' })

t.test('capacity, clash and waitlist promotion', async (t) => {
  const { app, db, session, overlapping, vols } = await setup(t)
  t.equal((await book(app, session, vols[0]!.volunteerId)).kind, 'confirmed')
  t.equal((await book(app, session, vols[0]!.volunteerId)).kind, 'already-confirmed')
  t.equal((await book(app, session, vols[1]!.volunteerId)).kind, 'confirmed')
  t.equal((await book(app, session, vols[2]!.volunteerId)).kind, 'full')
  const clash = await book(app, overlapping, vols[0]!.volunteerId)
  t.equal(clash.kind, 'refused')
  t.match(clash.kind === 'refused' ? clash.message : '', /already booked on Digital help drop-in at the same time/)

  const w1 = await joinWaitlist(app.ctx, { sessionId: session, volunteerId: vols[2]!.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  t.same(w1.kind === 'waitlisted' ? w1.position : 0, 1)
  const w2 = await joinWaitlist(app.ctx, { sessionId: session, volunteerId: vols[3]!.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  t.same(w2.kind === 'waitlisted' ? w2.position : 0, 2)

  const released = await releasePlace(app.ctx, { sessionId: session, volunteerId: vols[0]!.volunteerId, toState: 'withdrawn', actorPersonId: null, wording: 'withdrew' })
  t.same(released.kind === 'released' ? released.promoted : [], [vols[2]!.volunteerId], 'first on the waitlist is promoted')
  const s = await db.selectFrom('sessions').select('confirmed_count').where('id', '=', session).executeTakeFirstOrThrow()
  t.equal(s.confirmed_count, 2)

  // Rebooking after withdrawing: same UID, SEQUENCE only goes up.
  const outbox = await db.selectFrom('outbox').select(['to_address', 'ical_method', 'ical']).orderBy('id').execute()
  const v1 = outbox.filter((m) => m.to_address === 'v1@example.org')
  t.same(v1.map((m) => m.ical_method), ['REQUEST', 'CANCEL'])
  t.match(outbox.find((m) => m.to_address === 'v3@example.org')?.ical ?? '', /METHOD:REQUEST/)
  const seq = (ics: string | null) => Number(/SEQUENCE:(\d+)/.exec(ics ?? '')?.[1])
  t.ok(seq(v1[1]!.ical) > seq(v1[0]!.ical))
})

t.test('ineligible volunteers are refused with the reason', async (t) => {
  const { app, db, session, service, branch } = await setup(t)
  const other = await createBranch(db, service, 'Far Library')
  const far = await createVolunteer(db, 'far@example.org', service, [other])
  const r = await book(app, session, far.volunteerId)
  t.match(r.kind === 'refused' ? r.message : '', /Central Library is not one of the libraries in your profile/)
  const paused = await createVolunteer(db, 'paused@example.org', service, [branch], { status: 'paused' })
  const p = await book(app, session, paused.volunteerId)
  t.match(p.kind === 'refused' ? p.message : '', /paused/)
})
