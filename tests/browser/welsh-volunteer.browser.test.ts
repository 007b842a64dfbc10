// In Chromium (issue 16): the volunteer's pages in Welsh, axe-clean with lang="cy" and without
// sideways scrolling at 320 px: the dashboard, finding sessions, booking one (htmx with JavaScript
// on, a plain form with it off), the session page, My sessions and the withdraw page.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'
import { addVolunteer } from '../bookings/world.js'

const NOW = Date.parse('2026-11-30T09:00:00Z')

async function check(t: Test, page: Page, label: string, width320: boolean) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  t.equal(await page.getAttribute('html', 'lang'), 'cy', `${label}: lang="cy"`)
  t.equal(await page.locator('.rota-not-translated').count(), 0, `${label}: no “not translated” notice`)
  if (width320) t.equal(await sidewaysOverflow(page), 0, `${label} does not scroll sideways at 320 px`)
}

for (const javaScript of [true, false]) {
  t.test(`a volunteer’s pages in Welsh, JavaScript ${javaScript ? 'on, at 320 px' : 'off'}`, async (t) => {
    const served = await serve(t, { now: NOW })
    const db = served.app.db
    const central = await db.selectFrom('branches').select(['id', 'library_service_id']).where('name', '=', 'Westmoor Central Library').executeTakeFirstOrThrow()
    const trainings = await db.selectFrom('training_kinds').select('id').where('library_service_id', '=', central.library_service_id).execute()
    const email = javaScript ? 'gwen.js@example.org' : 'gwen.nojs@example.org'
    await addVolunteer(db, email, central.library_service_id, central.id, { name: 'Gwen Jones', trainings: trainings.map((k) => k.id) })
    const browser = await launch(t)
    const context = await newContext(browser, { javaScript, width: javaScript ? 320 : 1024 })
    const page = await context.newPage()

    await signInThroughPages(page, served.app, served.baseUrl, email)
    await page.waitForURL('**/dashboard')
    await page.getByRole('link', { name: 'Cymraeg' }).click()
    await page.getByRole('heading', { name: 'Helo, Gwen Jones' }).waitFor()
    await check(t, page, 'the dashboard', javaScript)

    await page.getByRole('link', { name: 'Dod o hyd i sesiynau i helpu ynddyn nhw' }).click()
    await page.waitForURL('**/sessions')
    await page.getByRole('heading', { name: 'Dod o hyd i sesiynau', level: 1 }).waitFor()
    await check(t, page, 'find sessions', javaScript)

    const book = page.getByRole('button', { name: /^Archebu / }).first()
    await book.click()
    await page.getByText('Rydych chi wedi archebu lle ar').first().waitFor()
    await check(t, page, javaScript ? 'find sessions after the htmx booking' : 'find sessions after booking', javaScript)

    await page.getByRole('link', { name: 'Gweld Fy sesiynau' }).first().click()
    await page.waitForURL('**/my-sessions')
    await page.getByRole('heading', { name: 'Fy sesiynau', level: 1 }).waitFor()
    await check(t, page, 'my sessions', javaScript)

    await page.locator('.rota-session-list__item h3 a').first().click()
    await page.getByRole('heading', { name: 'Eich lle' }).waitFor()
    await check(t, page, 'the session page', javaScript)

    await page.getByRole('link', { name: 'Tynnu’n ôl o’r sesiwn hon' }).click()
    await page.getByRole('heading', { name: 'Tynnu’n ôl o’r sesiwn hon?' }).waitFor()
    await check(t, page, 'the withdraw page', javaScript)
    await page.getByRole('button', { name: 'Tynnu’n ôl' }).click()
    await page.waitForURL('**/my-sessions')
    await page.getByText('Rydych chi wedi tynnu’n ôl o').waitFor()
    await check(t, page, 'my sessions after withdrawing', javaScript)
  })
}
