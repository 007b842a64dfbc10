// In Chromium (issue 16): the coordinator's translated pages in Welsh, axe-clean with lang="cy",
// JavaScript on; the gap board's and the volunteer search's htmx swaps stay Welsh; 320 px without
// sideways scrolling.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'

async function checkPage(t: Test, page: Page, label: string) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  t.equal(await page.getAttribute('html', 'lang'), 'cy', `${label}: lang="cy"`)
  t.equal(await page.locator('.rota-not-translated').count(), 0, `${label}: no "not translated" notice`)
}

t.test('the coordinator’s pages in Welsh, JavaScript on', async (t) => {
  const { app, baseUrl } = await serve(t)
  const browser = await launch(t)
  const context = await newContext(browser, { javaScript: true })
  const page = await context.newPage()
  await signInThroughPages(page, app, baseUrl, 'coordinator@example.org')
  await page.waitForURL('**/coordinate')
  await page.getByRole('link', { name: 'Cymraeg' }).click()
  await page.getByRole('heading', { name: 'Eich canghennau', level: 1 }).waitFor()
  await checkPage(t, page, '/coordinate in Welsh')

  await page.goto(baseUrl + '/coordinate/gaps')
  await page.getByRole('heading', { name: 'Bylchau i’w llenwi', level: 1 }).waitFor()
  await checkPage(t, page, 'the gap board in Welsh')
  await page.getByRole('link', { name: 'y 2 wythnos nesaf' }).click()
  await page.waitForURL(/weeks=2/)
  await page.locator('#gaps-heading').waitFor()
  t.match(await page.locator('#gap-board').innerText(), /Ystodau cyflym/, 'the swapped board is in Welsh')
  await checkPage(t, page, 'the gap board after an htmx swap')

  await page.goto(baseUrl + '/coordinate/sessions')
  await page.getByRole('heading', { name: 'Sesiynau', level: 1 }).waitFor()
  await checkPage(t, page, 'the session list in Welsh')

  await page.goto(baseUrl + '/coordinate/volunteers')
  await page.getByRole('heading', { name: 'Gwirfoddolwyr', level: 1 }).waitFor()
  await checkPage(t, page, 'the volunteer list in Welsh')
  await page.getByLabel('Enw neu gyfeiriad e-bost').fill('zzz-neb')
  await page.getByRole('button', { name: 'Chwilio' }).click()
  await page.getByRole('heading', { name: 'Heb ddod o hyd i neb' }).waitFor()
  await checkPage(t, page, 'the volunteer search after an htmx swap')

  await page.goto(baseUrl + '/coordinate/calendars')
  await page.getByRole('heading', { name: 'Calendrau canghennau', level: 1 }).waitFor()
  await checkPage(t, page, 'branch calendars in Welsh')

  await page.goto(baseUrl + '/reports/unreported')
  await page.getByRole('heading', { name: 'Sesiynau heb adroddiad eto', level: 1 }).waitFor()
  await checkPage(t, page, 'sessions with no report in Welsh')

  await page.goto(baseUrl + '/coordinate/sessions')
  const first = await page.locator('#session-list a[href^="/coordinate/sessions/"]').first().getAttribute('href')
  await page.goto(baseUrl + first + '/cancel')
  await page.getByRole('heading', { name: 'Canslo’r sesiwn hon', level: 1 }).waitFor()
  await checkPage(t, page, 'cancel a session in Welsh')

  const phone = await newContext(browser, { javaScript: true, width: 320 })
  const small = await phone.newPage()
  await small.context().addCookies(await context.cookies())
  for (const url of ['/coordinate', '/coordinate/gaps', '/coordinate/sessions', '/coordinate/volunteers', '/coordinate/calendars']) {
    await small.goto(baseUrl + url)
    t.equal(await small.getAttribute('html', 'lang'), 'cy', `${url} at 320 px is Welsh`)
    t.equal(await sidewaysOverflow(small), 0, `${url}: no sideways scrolling at 320 px`)
  }
})
