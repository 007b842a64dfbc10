// In Chromium: a volunteer asks for cover from the withdraw page, an invited volunteer accepts from the email's link, and the asker's place is gone — with JavaScript on (at 320 px) and off.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'
import { addVolunteer } from '../bookings/world.js'
import { createSession } from '../helpers/fixtures.js'
import { takePlace } from '../../src/assignments/places.service.js'

const NOW = Date.parse('2026-11-30T09:00:00Z')

async function check(t: Test, page: Page, label: string, width320: boolean) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  if (width320) t.equal(await sidewaysOverflow(page), 0, `${label} does not scroll sideways at 320 px`)
}

for (const javaScript of [true, false]) {
  t.test(`asking for cover and accepting it, JavaScript ${javaScript ? 'on, at 320 px' : 'off'}`, async (t) => {
    const served = await serve(t, { now: NOW })
    const db = served.app.db
    const central = await db.selectFrom('branches').select(['id', 'library_service_id']).where('name', '=', 'Westmoor Central Library').executeTakeFirstOrThrow()
    const trainings = await db.selectFrom('training_kinds').select('id').where('library_service_id', '=', central.library_service_id).execute()
    const email = javaScript ? 'asker.js@example.org' : 'asker.nojs@example.org'
    const asker = await addVolunteer(db, email, central.library_service_id, central.id, { name: 'Alex Asker', trainings: trainings.map((k) => k.id), maxPerMonth: 20 })
    // Two more who can do the session, so at least two are invited (the demo's own may be busy then).
    for (const name of ['Hana Helper', 'Ira Idle']) {
      await addVolunteer(db, `${name.split(' ')[0]!.toLowerCase()}.${javaScript ? 'js' : 'nojs'}@example.org`, central.library_service_id, central.id, { name, trainings: trainings.map((k) => k.id), maxPerMonth: 20 })
    }
    const session = await createSession(db, central.id, { date: '2026-12-09', start: '13:00', end: '14:00', title: 'Cover me please', min: 1, max: 1 })
    t.equal((await takePlace(served.app.ctx, { sessionId: session, volunteerId: asker.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
    const assignment = await db.selectFrom('assignments').select('id').where('session_id', '=', session).where('volunteer_id', '=', asker.volunteerId).executeTakeFirstOrThrow()

    const browser = await launch(t)
    const width320 = javaScript
    const page = await (await newContext(browser, { javaScript, width: javaScript ? 320 : 1024 })).newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await signInThroughPages(page, served.app, served.baseUrl, email)
    await page.waitForURL('**/dashboard')

    await page.goto(served.baseUrl + `/my-sessions/${assignment.id}/withdraw`)
    await check(t, page, 'the withdraw page with "Ask for cover instead"', width320)
    await page.getByRole('button', { name: 'Ask for cover' }).click()
    await page.waitForURL('**/my-sessions')
    await page.getByText(/You are still booked until someone takes your place/).waitFor()
    await check(t, page, 'My sessions after asking for cover', width320)
    t.ok(await page.getByText('Cover me please').first().isVisible(), 'still booked: the session is still listed')
    t.ok(await page.getByText('Cover asked').isVisible(), 'and marked as asked for cover')
    await page.goto(served.baseUrl + `/my-sessions/${assignment.id}/withdraw`)
    await page.getByText('You have asked for cover').waitFor()
    await check(t, page, 'the withdraw page once cover is asked', width320)

    // Someone invited opens the email's link (not signed in) and accepts.
    const invited = await db
      .selectFrom('outbox')
      .select('text_body')
      .where('kind', '=', 'invitation')
      .where('subject', 'like', 'Can you take a place?%')
      .orderBy('id')
      .execute()
    t.ok(invited.length >= 2, `${invited.length} volunteers invited`)
    const link = /https?:\/\/[^/\s]+(\/invitations\/[A-Za-z0-9_-]+)\?answer=accept/.exec(invited[0]!.text_body)![1]!
    const helper = await (await newContext(browser, { javaScript, width: javaScript ? 320 : 1024 })).newPage()
    await helper.goto(served.baseUrl + link + '?answer=accept')
    await helper.getByText('The first person to accept takes their place').waitFor()
    await check(t, helper, 'the cover invitation', width320)
    await helper.getByRole('button', { name: 'Yes, I can help' }).click()
    await helper.getByText('You are booked').first().waitFor()
    await check(t, helper, 'the invitation once accepted', width320)

    // A second invitee is told it is covered.
    {
      const second = /https?:\/\/[^/\s]+(\/invitations\/[A-Za-z0-9_-]+)\?answer=accept/.exec(invited[1]!.text_body)![1]!
      const other = await (await newContext(browser, { javaScript, width: javaScript ? 320 : 1024 })).newPage()
      await other.goto(served.baseUrl + second)
      await other.getByText('Someone else has already covered this session. Thank you').waitFor()
      await check(t, other, 'the "already covered" answer', width320)
    }

    // The asker's place has gone.
    await page.goto(served.baseUrl + '/my-sessions')
    await check(t, page, 'My sessions once covered', width320)
    t.equal(await page.getByText('Cover me please').count(), 0, 'the covered session has left My sessions')
    t.same(errors, [], 'no script errors')
  })
}
