// Every (from, to) pair of place states through moveAssignmentInTx: exactly the allowed moves succeed, with their counts, emails and waiting-list promotion; the rest throw and change nothing.
import t from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { createService, createBranch, createVolunteer, createSession, givePlace } from '../helpers/fixtures.js'
import { inTransaction } from '../../src/db/transaction.js'
import { IllegalMoveError, lockPlaceInTx, markAttendanceInTx, moveAssignmentInTx, ASSIGNMENT_STATES, canMove } from '../../src/assignments/places.service.js'
import { setAssignmentState } from '../../src/assignments/assignments.repository.js'
import type { AssignmentState } from '../../src/db/schema.js'

t.comment(`database: ${databaseLabel}`)

type From = AssignmentState | null
/**
 * What each allowed move must do, written out here (not read from the table under test):
 * take: +1 place and a calendar invite; give-up: -1 place, a calendar cancellation, the first
 * waiting volunteer confirmed in it; quiet: nothing else; told: an email that the session is off.
 */
type Kind = 'take' | 'give-up' | 'quiet' | 'told'
const ENDED = ['declined', 'withdrawn', 'cancelled'] as const
const ALLOWED = new Map<string, Kind>([
  ...[null, 'invited', 'waitlisted', ...ENDED].map((f) => [`${f}>confirmed`, 'take'] as const),
  ...[null, 'invited', ...ENDED].map((f) => [`${f}>waitlisted`, 'quiet'] as const),
  ...[null, 'invited', 'waitlisted', ...ENDED].map((f) => [`${f}>invited`, 'quiet'] as const),
  ['invited>declined', 'quiet'],
  ['invited>withdrawn', 'quiet'],
  ['invited>cancelled', 'quiet'],
  ['waitlisted>withdrawn', 'quiet'],
  ['waitlisted>cancelled', 'told'],
  ['confirmed>withdrawn', 'give-up'],
  ['confirmed>cancelled', 'give-up'],
  ['confirmed>attended', 'quiet'],
  ['confirmed>no_show', 'quiet'],
  ['attended>no_show', 'quiet'],
  ['no_show>attended', 'quiet'],
])
const HOLDS_PLACE: readonly From[] = ['confirmed', 'attended', 'no_show']

t.test('every pair of states', async (t) => {
  const { app } = await testApp(t)
  const db = app.db
  const service = await createService(db)
  const branch = await createBranch(db, service)
  let n = 0
  const T = Date.parse('2026-11-29T12:00:00Z')

  /** A session of two places: a filler holds one; the subject is in `from`; if the subject holds the other, someone waits. */
  async function arrange(from: From) {
    const session = await createSession(db, branch, { date: '2026-12-08', start: '10:00', end: '12:00', max: 2 })
    const person = async (state: AssignmentState | null, at: number) => {
      const v = await createVolunteer(db, `p${++n}@example.org`, service, [branch], { name: `Person ${n}` })
      if (state) await givePlace(db, { sessionId: session, volunteerId: v.volunteerId, state, at })
      return { ...v, email: `p${n}@example.org` }
    }
    await person('confirmed', T)
    const waiting = HOLDS_PLACE.includes(from) ? await person('waitlisted', T) : null
    const subject = await person(from, T + 1)
    return { session, subject, waiting }
  }

  const snapshot = async (session: number) => ({
    count: (await db.selectFrom('sessions').select('confirmed_count').where('id', '=', session).executeTakeFirstOrThrow()).confirmed_count,
    rows: await db.selectFrom('assignments').select(['volunteer_id', 'state']).where('session_id', '=', session).orderBy('id').execute(),
    events: (await db.selectFrom('assignment_events').innerJoin('assignments', 'assignments.id', 'assignment_events.assignment_id').select('assignment_events.id').where('assignments.session_id', '=', session).execute()).length,
    mail: await db.selectFrom('outbox').select(['to_address', 'kind', 'ical_method']).where('session_id', '=', session).orderBy('id').execute(),
  })

  const froms: From[] = [null, ...ASSIGNMENT_STATES]
  let allowed = 0
  for (const from of froms) {
    for (const to of ASSIGNMENT_STATES) {
      const pair = `${from}>${to}`
      const kind = ALLOWED.get(pair)
      const { session, subject, waiting } = await arrange(from)
      const before = await snapshot(session)
      // The move is tried, and a refusal caught, inside a transaction that then commits: a refused move must have written nothing itself.
      const outcome = await inTransaction(db, async (tx) => {
        const { existing } = await lockPlaceInTx(tx, session, subject.volunteerId)
        try {
          return await moveAssignmentInTx(tx, app.ctx, { sessionId: session, volunteerId: subject.volunteerId, existing }, to, {
            source: 'coordinator',
            actorPersonId: null,
            reason: 'Testing',
            confirmWording: 'assigned',
            cancelWording: 'removed',
          })
        } catch (err) {
          return err as Error
        }
      })
      const after = await snapshot(session)
      t.equal(canMove(from, to), kind !== undefined, `${pair}: the table ${kind ? 'allows' : 'refuses'} it`)
      if (!kind) {
        t.ok(outcome instanceof IllegalMoveError, `${pair}: refused with IllegalMoveError`)
        t.same(after, before, `${pair}: nothing changed`)
        continue
      }
      allowed++
      if (outcome instanceof Error) {
        t.fail(`${pair}: should be allowed, threw ${outcome.message}`)
        continue
      }
      const stateOf = (volunteerId: number) => after.rows.find((r) => r.volunteer_id === volunteerId)?.state
      t.equal(stateOf(subject.volunteerId), to, `${pair}: the row is now ${to}`)
      t.equal(after.events, before.events + 1 + (kind === 'give-up' ? 1 : 0), `${pair}: the step is in the history`)
      const newMail = after.mail.slice(before.mail.length).map((m) => `${m.to_address} ${m.kind} ${m.ical_method ?? ''}`.trim())
      if (kind === 'take') {
        t.equal(after.count, before.count + 1, `${pair}: one more place taken`)
        t.same(newMail, [`${subject.email} invite REQUEST`], `${pair}: a calendar invite`)
      } else if (kind === 'give-up') {
        t.equal(after.count, before.count, `${pair}: the freed place is taken again at once`)
        t.equal(stateOf(waiting!.volunteerId), 'confirmed', `${pair}: by the first on the waiting list`)
        t.same(outcome.promoted, [waiting!.volunteerId], `${pair}: who is reported promoted`)
        t.same(newMail, [`${subject.email} cancellation CANCEL`, `${waiting!.email} invite REQUEST`], `${pair}: a cancellation, and an invite for the promoted`)
      } else if (kind === 'told') {
        t.equal(after.count, before.count, `${pair}: no place changes`)
        t.same(newMail, [`${subject.email} waitlist-cancelled`], `${pair}: told the session is off`)
      } else {
        t.equal(after.count, before.count, `${pair}: no place changes`)
        t.same(newMail, [], `${pair}: no email from the move`)
        if (waiting) t.equal(stateOf(waiting.volunteerId), 'waitlisted', `${pair}: the waiting list stays`)
      }
    }
  }
  t.equal(allowed, ALLOWED.size, 'every allowed move was tried')
})

t.test('the repository refuses a move the table does not allow, before writing', async (t) => {
  const { app } = await testApp(t)
  const db = app.db
  const service = await createService(db)
  const branch = await createBranch(db, service)
  const session = await createSession(db, branch, { date: '2026-12-08' })
  const v = await createVolunteer(db, 'v@example.org', service, [branch])
  await t.rejects(
    inTransaction(db, (tx) => setAssignmentState(tx, { sessionId: session, volunteerId: v.volunteerId, state: 'attended', source: 'self', actorPersonId: null, now: app.clock.now(), existing: null })),
    IllegalMoveError,
  )
  t.equal((await db.selectFrom('assignments').select('id').execute()).length, 0, 'no row')
})

t.test('attendance marks and corrections go through the table', async (t) => {
  const { app } = await testApp(t)
  const db = app.db
  const service = await createService(db)
  const branch = await createBranch(db, service)
  const session = await createSession(db, branch, { date: '2026-12-08' })
  const v = await createVolunteer(db, 'v@example.org', service, [branch])
  const w = await createVolunteer(db, 'w@example.org', service, [branch])
  const { takePlace } = await import('../../src/assignments/places.service.js')
  t.equal((await takePlace(app.ctx, { sessionId: session, volunteerId: v.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  const mark = (volunteerId: number, to: 'attended' | 'no_show') => inTransaction(db, (tx) => markAttendanceInTx(tx, app.ctx, { sessionId: session, volunteerId, to, actorPersonId: null }))
  await mark(v.volunteerId, 'attended')
  await mark(v.volunteerId, 'no_show')
  const row = await db.selectFrom('assignments').select('state').where('volunteer_id', '=', v.volunteerId).executeTakeFirstOrThrow()
  t.equal(row.state, 'no_show', 'corrected')
  const s = await db.selectFrom('sessions').select('confirmed_count').where('id', '=', session).executeTakeFirstOrThrow()
  t.equal(s.confirmed_count, 1, 'a place still counted')
  await t.rejects(mark(w.volunteerId, 'attended'), IllegalMoveError, 'someone with no place cannot be marked')
})
