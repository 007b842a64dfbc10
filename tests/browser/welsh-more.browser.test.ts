// In Chromium (issue 16): the pages the other Welsh browser tests do not reach, in Welsh, axe-clean
// with lang="cy": signing in (the expired-link page, the confirm page), a coordinator's emails not
// delivered, a branch's check-in sheet and taking someone off a session, the development mailbox's
// message page, the page for someone with no role yet, the reminder and group-message switches, and a
// recording link that has been used or whose session was cancelled, and an admin's refused change.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, signInLink } from './browser.js'
import { createPerson, createSession, givePlace } from '../helpers/fixtures.js'
import { switchUrl } from '../../src/mail/switches.js'
import { queueRecordingPrompts } from '../../src/evidence/recording-links.service.js'

async function checkPage(t: Test, page: Page, label: string, heading: string | RegExp) {
  const h1 = (await page.locator('h1').first().innerText()).trim()
  if (typeof heading === 'string') t.equal(h1, heading, `${label}: the Welsh heading`)
  else t.match(h1, heading, `${label}: the Welsh heading`)
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  t.equal(await page.getAttribute('html', 'lang'), 'cy', `${label}: lang="cy"`)
  t.equal(await page.locator('.rota-not-translated').count(), 0, `${label}: no "not translated" notice`)
}

/** Signs in through the Welsh pages (the form, the emailed link, the confirm page), checking the confirm page. */
async function signInInWelsh(t: Test, page: Page, served: Awaited<ReturnType<typeof serve>>, email: string) {
  await page.goto(served.baseUrl + '/language/cy')
  await page.goto(served.baseUrl + '/sign-in')
  await page.getByLabel('Cyfeiriad e-bost').fill(email)
  await page.getByRole('button', { name: 'Anfon dolen mewngofnodi ataf' }).click()
  await page.waitForURL('**/sign-in/check-email')
  await page.goto(await signInLink(served.app, email))
  await checkPage(t, page, 'the sign-in confirm page', 'Mewngofnodi i Champion Rota')
  await page.getByRole('button', { name: 'Mewngofnodi' }).last().click()
  await page.waitForLoadState()
}

t.test('the pages no other Welsh journey reaches, in Welsh', async (t) => {
  const served = await serve(t)
  const { app, baseUrl } = served
  const db = app.db
  const browser = await launch(t)

  // Signed out: a sign-in link that no longer works.
  const coordinatorPage = await (await newContext(browser, { javaScript: true })).newPage()
  await coordinatorPage.goto(baseUrl + '/language/cy')
  await coordinatorPage.goto(baseUrl + '/sign-in/confirm/' + 'x'.repeat(43))
  await checkPage(t, coordinatorPage, 'an expired sign-in link', 'Mae’r ddolen fewngofnodi hon wedi dod i ben neu wedi’i defnyddio')

  // The coordinator's remaining pages.
  await signInInWelsh(t, coordinatorPage, served, 'coordinator@example.org')
  await coordinatorPage.waitForURL('**/coordinate')
  await coordinatorPage.goto(baseUrl + '/coordinate/undelivered')
  await checkPage(t, coordinatorPage, 'emails not delivered', 'Negeseuon e-bost heb eu danfon')

  const person = await db.selectFrom('people').select('id').where('email', '=', 'coordinator@example.org').executeTakeFirstOrThrow()
  const grant = await db.selectFrom('role_grants').select(['branch_id', 'library_service_id']).where('person_id', '=', person.id).where('role', '=', 'coordinator').executeTakeFirstOrThrow()
  const branches = db.selectFrom('branches').select('id').where('library_service_id', '=', grant.library_service_id)
  const branchId = grant.branch_id ?? (await branches.executeTakeFirstOrThrow()).id
  await coordinatorPage.goto(baseUrl + `/coordinate/branches/${branchId}/checkin`)
  await checkPage(t, coordinatorPage, 'the check-in sheet', /^Taflen gofrestru ar gyfer /)

  const place = await db
    .selectFrom('assignments')
    .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
    .select(['assignments.session_id', 'assignments.volunteer_id'])
    .where('assignments.state', '=', 'confirmed')
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.starts_at', '>', served.clock.now())
    .where('sessions.branch_id', '=', branchId)
    .orderBy('sessions.starts_at')
    .executeTakeFirstOrThrow()
  await coordinatorPage.goto(baseUrl + `/coordinate/sessions/${place.session_id}/remove?volunteer=${place.volunteer_id}`)
  await checkPage(t, coordinatorPage, 'taking someone off a session', /^Tynnu .+ oddi ar .+\?$/)

  // The development mailbox's own chrome, for a message.
  const message = await db.selectFrom('mailbox').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
  await coordinatorPage.goto(baseUrl + `/dev/mail/${message.id}`)
  t.equal(await coordinatorPage.getAttribute('html', 'lang'), 'cy', 'the dev mailbox’s message page: lang="cy"')
  t.equal((await axe(coordinatorPage)).length, 0, 'axe: no violations on the dev mailbox’s message page')

  // Someone signed in who has no role yet.
  await createPerson(db, 'newcomer@example.org', 'Nia Newydd')
  const newcomer = await (await newContext(browser, { javaScript: true })).newPage()
  await signInInWelsh(t, newcomer, served, 'newcomer@example.org')
  await newcomer.goto(baseUrl + '/dashboard')
  await checkPage(t, newcomer, 'the page for someone with no role', 'Eich cyfrif')

  // An admin's change refused: a topic retired in one tab, then again from a page opened before
  // (JavaScript off, so the refusal is the whole page rather than htmx's error region).
  const adminContext = await newContext(browser, { javaScript: false })
  const adminPage = await adminContext.newPage()
  await signInInWelsh(t, adminPage, served, 'admin@example.org')
  const stale = await adminContext.newPage()
  await adminPage.goto(baseUrl + '/admin/skills')
  await stale.goto(baseUrl + '/admin/skills')
  await adminPage.locator('form[action$="/retire"] button').first().click()
  await adminPage.waitForURL('**/admin/skills')
  await stale.locator('form[action$="/retire"] button').first().click()
  await stale.waitForLoadState()
  await checkPage(t, stale, 'an admin’s refused change', 'Mae problem wedi codi')
  t.match(await stale.locator('main').innerText(), /wedi’i ymddeol yn barod/, 'why, in Welsh')

  // The switches a volunteer's emails link to, opened signed out in a Welsh browser.
  const volunteer = await db.selectFrom('volunteers').select('id').where('status', '=', 'active').orderBy('id').executeTakeFirstOrThrow()
  await db.updateTable('people').set({ language: 'cy' }).where('id', '=', db.selectFrom('volunteers').select('person_id').where('id', '=', volunteer.id)).execute()
  const reader = await (await newContext(browser, { javaScript: true, width: 320 })).newPage()
  await reader.goto(switchUrl(app.ctx, 'reminders', volunteer.id))
  await checkPage(t, reader, 'the reminder emails switch', 'Negeseuon e-bost atgoffa')
  await reader.goto(switchUrl(app.ctx, 'group-messages', volunteer.id))
  await checkPage(t, reader, 'the group messages switch', 'Negeseuon gan gydlynwyr')
  await reader.getByRole('button', { name: 'Stopio negeseuon gan gydlynwyr' }).click()
  await reader.getByText('Mae negeseuon gan gydlynwyr wedi’u diffodd.').first().waitFor()
  await checkPage(t, reader, 'the group messages switch, turned off', 'Negeseuon gan gydlynwyr')

  // Recording links from the emails sent when a session ends (one tomorrow, two places; the clock
  // then moves to just after it): one link used already, one whose session was then cancelled.
  const day = new Date(served.clock.now() + 86_400_000).toISOString().slice(0, 10)
  const two = await db
    .selectFrom('volunteers')
    .innerJoin('people', 'people.id', 'volunteers.person_id')
    .select(['volunteers.id', 'people.email'])
    .where('volunteers.status', '=', 'active')
    .where('people.anonymised_at', 'is', null)
    .orderBy('volunteers.id')
    .limit(2)
    .execute()
  const drop = await createSession(db, branchId, { date: day, start: '10:00', end: '12:00', title: 'Sesiwn ffonau', max: 5 })
  const drop2 = await createSession(db, branchId, { date: day, start: '13:00', end: '14:00', title: 'Ail sesiwn', max: 5 })
  await givePlace(db, { sessionId: drop, volunteerId: two[0]!.id })
  await givePlace(db, { sessionId: drop2, volunteerId: two[1]!.id })
  served.clock.set(Date.parse(`${day}T15:00:00Z`))
  await queueRecordingPrompts(app.ctx)
  const linkOn = async (sessionId: number) => {
    const mail = await db.selectFrom('outbox').select('text_body').where('kind', '=', 'recording-prompt').where('session_id', '=', sessionId).executeTakeFirstOrThrow()
    return /https?:\/\/[^/\s]+(\/record\/[A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!
  }
  const used = await linkOn(drop)
  const cancelled = await linkOn(drop2)
  await reader.goto(baseUrl + '/language/cy')
  await reader.goto(baseUrl + used)
  await reader.getByRole('radio', { name: 'Doeddwn i ddim yn gallu mynd' }).check()
  await reader.getByRole('button', { name: 'Anfon' }).click()
  await reader.waitForLoadState()
  await reader.goto(baseUrl + used)
  await checkPage(t, reader, 'a recording link already used', 'Mae’r ddolen hon wedi’i defnyddio')
  await db.updateTable('sessions').set({ status: 'cancelled' }).where('id', '=', drop2).execute()
  await reader.goto(baseUrl + cancelled)
  await checkPage(t, reader, 'a recording link whose session was cancelled', 'Dim i’w gofnodi ar gyfer Ail sesiwn')
})
