// In Chromium at 320 px, JavaScript on and off: the reports page with its charts and filters (plain and htmx), a partner's network view, and a volunteer recording a session report; axe-clean throughout.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'
import { createSession, givePlace } from '../helpers/fixtures.js'
import { queueRecordingPrompts } from '../../src/evidence/recording-links.service.js'

async function checkPage(t: Test, page: Page, label: string, javaScript: boolean) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  if (javaScript) t.equal(await sidewaysOverflow(page), 0, `${label}: nothing scrolls sideways at 320 px`)
}

async function afterSwap(page: Page) {
  const deadline = Date.now() + 10_000
  while (!(await page.evaluate('!!(document.activeElement && document.activeElement.hasAttribute("data-focus-after-swap"))'))) {
    if (Date.now() > deadline) throw new Error('focus did not move to the swapped figures')
    await new Promise((r) => setTimeout(r, 50))
  }
  await page.evaluate('document.activeElement && document.activeElement.removeAttribute("data-focus-after-swap")')
}

for (const javaScript of [true, false]) {
  t.test(`the reports page: charts, tables and filters (JavaScript ${javaScript ? 'on' : 'off'})`, async (t) => {
    const { app, baseUrl } = await serve(t)
    const browser = await launch(t)
    const page = await (await newContext(browser, { javaScript, width: 320 })).newPage()
    await signInThroughPages(page, app, baseUrl, 'coordinator@example.org')
    await page.goto(baseUrl + '/reports')
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor()
    t.equal(await page.locator('svg[role="img"]').count(), 2, 'two charts')
    t.ok(await page.locator('#chart-months-desc').textContent(), 'the trend has a text alternative')
    t.ok((await page.locator('#table-months-people tbody tr').count()) >= 5, 'a row per month')
    await checkPage(t, page, 'reports', javaScript)

    const branch = (await app.db.selectFrom('branches').select(['id', 'name']).orderBy('name').executeTakeFirstOrThrow())
    await page.getByLabel('Branch', { exact: true }).selectOption({ label: branch.name })
    await page.getByRole('button', { name: 'Show figures' }).click()
    if (javaScript) await afterSwap(page)
    await page.waitForURL(`**/reports?*branch=${branch.id}*`)
    const rows = await page.locator('#table-branches tbody th').allTextContents()
    t.ok(rows.length > 0 && rows.every((r) => r.startsWith(branch.name)), 'only that branch')
    await checkPage(t, page, 'reports for one branch', javaScript)

    await page.getByRole('link', { name: 'the last 3 months' }).click()
    if (javaScript) await afterSwap(page)
    await page.waitForURL('**/reports?from=*')
    t.equal(await page.locator('#table-months-sessions tbody tr').count(), 3, 'three months')
    await checkPage(t, page, 'reports, last 3 months', javaScript)
  })

  t.test(`a partner's network view: per service and month, small numbers hidden (JavaScript ${javaScript ? 'on' : 'off'})`, async (t) => {
    const { app, baseUrl } = await serve(t)
    const service = await app.db.selectFrom('library_services').select(['id', 'name']).orderBy('id').executeTakeFirstOrThrow()
    const partner = await app.db.insertInto('people').values({ email: 'partner@example.org', name: 'Pat Partner', phone: null, created_at: 0, anonymised_at: null }).returning('id').executeTakeFirstOrThrow()
    await app.db.insertInto('role_grants').values({ person_id: partner.id, role: 'partner', library_service_id: service.id, branch_id: null, created_at: 0 }).execute()
    const browser = await launch(t)
    const page = await (await newContext(browser, { javaScript, width: 320 })).newPage()
    await signInThroughPages(page, app, baseUrl, 'partner@example.org')
    await page.waitForURL('**/network')
    await page.getByRole('heading', { name: 'Network figures', level: 1 }).waitFor()
    t.ok((await page.locator(`#table-service-${service.id}-people tbody tr`).count()) >= 5, 'a row per month')
    await checkPage(t, page, 'network', javaScript)

    await page.getByLabel('Library service', { exact: true }).selectOption({ label: service.name })
    await page.getByRole('button', { name: 'Show figures' }).click()
    if (javaScript) await afterSwap(page)
    await page.waitForURL(`**/network?*service=${service.id}*`)
    await page.getByRole('link', { name: 'the last 3 months' }).click()
    if (javaScript) await afterSwap(page)
    await page.waitForURL('**/network?from=*')
    t.equal(await page.locator(`#table-service-${service.id}-sessions tbody tr`).count(), 3, 'three months')
    await checkPage(t, page, 'network, last 3 months', javaScript)
  })

  t.test(`a volunteer records a session report on a phone (JavaScript ${javaScript ? 'on' : 'off'})`, async (t) => {
    const { app, baseUrl, clock } = await serve(t)
    const now = clock.now()
    // A volunteer who had a place on a session that ended in the last week.
    const place = await app.db
      .selectFrom('assignments')
      .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
      .innerJoin('volunteers', 'volunteers.id', 'assignments.volunteer_id')
      .innerJoin('people', 'people.id', 'volunteers.person_id')
      .select(['sessions.id as session_id', 'people.email', 'sessions.title'])
      .where('assignments.state', 'in', ['confirmed', 'attended'])
      .where('sessions.ends_at', '<', now)
      .where('sessions.ends_at', '>', now - 7 * 86_400_000)
      .orderBy('sessions.ends_at', 'desc')
      .executeTakeFirstOrThrow()
    // The demo may have reported that session already (which one the date picks varies): this
    // journey is the first report, so any earlier one goes.
    await app.db.deleteFrom('session_report_topics').where('session_id', '=', place.session_id).execute()
    await app.db.deleteFrom('session_reports').where('session_id', '=', place.session_id).execute()
    const browser = await launch(t)
    const page = await (await newContext(browser, { javaScript, width: 320 })).newPage()
    await signInThroughPages(page, app, baseUrl, place.email)
    await page.goto(baseUrl + `/sessions/${place.session_id}/report`)
    await page.getByText('any personal details of members of the public').waitFor()
    await checkPage(t, page, 'the report form', javaScript)

    await page.getByLabel('How many people did you help?').fill('-3')
    await page.getByRole('button', { name: /Save/ }).click()
    await page.getByText('How many people you helped must be 0 or more').first().waitFor()
    await checkPage(t, page, 'the report form with an error', javaScript)
    if (javaScript) t.match(String(await page.evaluate('document.activeElement.className')), /govuk-error-summary/, 'focus on the error summary')

    await page.getByLabel('How many people did you help?').fill('4')
    await page.getByLabel('Smartphones and tablets').fill('3')
    await page.getByRole('button', { name: /Save/ }).click()
    await page.waitForURL('**/my-sessions')
    await page.getByText('Session report saved. Thank you.').waitFor()
    await checkPage(t, page, 'My sessions after recording', javaScript)
    const saved = await app.db.selectFrom('session_reports').select('people_helped').where('session_id', '=', place.session_id).executeTakeFirstOrThrow()
    t.equal(saved.people_helped, 4)
  })

  t.test(`the recording link from the email, on a phone, without signing in (JavaScript ${javaScript ? 'on' : 'off'})`, async (t) => {
    const { app, baseUrl, clock } = await serve(t)
    // A session tomorrow (10:00 to 12:00) with a place for a demo volunteer; then the clock moves to just after it.
    const day = new Date(clock.now() + 86_400_000).toISOString().slice(0, 10)
    const who = await app.db
      .selectFrom('volunteers')
      .innerJoin('people', 'people.id', 'volunteers.person_id')
      .innerJoin('volunteer_branches', 'volunteer_branches.volunteer_id', 'volunteers.id')
      .select(['volunteers.id', 'people.email', 'volunteer_branches.branch_id'])
      .where('volunteers.status', '=', 'active')
      .where('people.anonymised_at', 'is', null)
      .orderBy('volunteers.id')
      .executeTakeFirstOrThrow()
    const sessionId = await createSession(app.db, who.branch_id, { date: day, start: '10:00', end: '12:00', title: 'Phone help drop-in', max: 5 })
    await givePlace(app.db, { sessionId, volunteerId: who.id })
    clock.set(Date.parse(`${day}T13:00:00Z`))
    t.ok((await queueRecordingPrompts(app.ctx)) >= 1, 'the prompt is queued')
    const mail = await app.db.selectFrom('outbox').select('text_body').where('kind', '=', 'recording-prompt').where('to_address', '=', who.email).where('session_id', '=', sessionId).executeTakeFirstOrThrow()
    const link = /https?:\/\/\S+\/record\/[A-Za-z0-9_-]+/.exec(mail.text_body)![0]
    t.ok(link.startsWith(baseUrl), 'the link is on the service')

    const browser = await launch(t)
    const page = await (await newContext(browser, { javaScript, width: 320 })).newPage()
    await page.goto(link)
    await page.getByRole('heading', { name: 'How did Phone help drop-in go?', level: 1 }).waitFor()
    await page.getByText('Do not write anything about the people you helped: no names, no contact details.').waitFor()
    await checkPage(t, page, 'the recording form', javaScript)

    await page.getByLabel('I was there').check()
    await page.getByLabel('How many people did you help?').fill('abc')
    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByText('How many people you helped must be a whole number, like 6').first().waitFor()
    await checkPage(t, page, 'the recording form with an error', javaScript)
    if (javaScript) t.match(String(await page.evaluate('document.activeElement.className')), /govuk-error-summary/, 'focus on the error summary')
    t.ok(await page.getByLabel('I was there').isChecked(), 'the answer is kept')

    await page.getByLabel('How many people did you help?').fill('4')
    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByRole('heading', { name: 'Thank you', level: 1 }).waitFor()
    await page.getByText('You were there, and the session report is saved.').waitFor()
    await checkPage(t, page, 'the thank-you page', javaScript)
    const saved = await app.db.selectFrom('session_reports').select('people_helped').where('session_id', '=', sessionId).executeTakeFirstOrThrow()
    t.equal(saved.people_helped, 4)

    await page.goto(link)
    await page.getByRole('heading', { name: 'This link has been used', level: 1 }).waitFor()
    await checkPage(t, page, 'the used link', javaScript)
  })
}
