// In Chromium (issue 16): the coordinator's session forms, the training form and group messages in
// Welsh, axe-clean with lang="cy", no "not translated" notice and no sideways scrolling at 320 px,
// JavaScript on (a message written, checked and sent); with it off, the session form posted with a
// mistake and then made, all in Welsh.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'

const NOW = Date.parse('2026-11-30T09:00:00Z')

async function check(t: Test, page: Page, label: string, width320 = false) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  t.equal(await page.getAttribute('html', 'lang'), 'cy', `${label}: lang="cy"`)
  t.equal(await page.locator('.rota-not-translated').count(), 0, `${label}: no “not translated” notice`)
  if (width320) t.equal(await sidewaysOverflow(page), 0, `${label} does not scroll sideways at 320 px`)
}

t.test('the session, training and message forms in Welsh, JavaScript on, at 320 px', async (t) => {
  const { app, baseUrl } = await serve(t, { now: NOW })
  const browser = await launch(t)
  const context = await newContext(browser, { javaScript: true, width: 320 })
  const page = await context.newPage()
  await signInThroughPages(page, app, baseUrl, 'coordinator@example.org')
  await page.waitForURL('**/coordinate')
  await page.getByRole('link', { name: 'Cymraeg' }).click()
  await page.getByRole('heading', { name: 'Eich canghennau', level: 1 }).waitFor()

  await page.goto(baseUrl + '/coordinate/sessions/new')
  await page.getByRole('heading', { name: 'Trefnu sesiwn', level: 1 }).waitFor()
  await check(t, page, 'scheduling a session', true)

  await page.goto(baseUrl + '/coordinate/sessions')
  const session = await page.locator('#session-list a[href^="/coordinate/sessions/"]').first().getAttribute('href')
  await page.goto(baseUrl + session + '/edit')
  await page.getByRole('heading', { name: 'Newid y sesiwn hon', level: 1 }).waitFor()
  await check(t, page, 'changing a session', true)

  await page.goto(baseUrl + '/coordinate/volunteers')
  const volunteer = await page.locator('a[href^="/coordinate/volunteers/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')).find((h) => /^\/coordinate\/volunteers\/\d+$/.test(h ?? '')))
  await page.goto(baseUrl + volunteer + '/trainings/new')
  await page.getByRole('heading', { name: 'Cofnodi hyfforddiant neu wiriad', level: 1 }).waitFor()
  await check(t, page, 'recording a training', true)

  await page.goto(baseUrl + '/coordinate/messages/new')
  await page.getByRole('heading', { name: 'Anfon neges at wirfoddolwyr', level: 1 }).waitFor()
  await check(t, page, 'writing a message', true)
  const branch = await page.locator('optgroup[label="Cangen"] option').first().getAttribute('value')
  await page.getByLabel('At bwy mae hi?').selectOption(branch!)
  await page.getByLabel('Pwnc').fill('Cau’n gynnar ddydd Gwener')
  await page.getByLabel('Neges').fill('Bydd y llyfrgell yn cau am 3yh.')
  await page.getByRole('button', { name: 'Rhagolwg' }).click()
  await page.getByRole('heading', { name: 'Gwirio eich neges', level: 1 }).waitFor()
  t.match(await page.locator('#recipient-count').innerText(), /^Bydd \d+ g?wirfoddolwr yn ei chael$/, 'how many, in Welsh')
  await check(t, page, 'checking a message', true)
  await page.getByRole('button', { name: /^Anfon at / }).click()
  await page.getByText(/Mae eich neges ar ei ffordd at/).waitFor()
  t.match(await page.locator('.govuk-summary-list').innerText(), /Cangen: Gwirfoddolwyr yn /, 'who it went to, in Welsh')
  await check(t, page, 'a sent message', true)
  await page.getByRole('link', { name: 'Yr holl negeseuon rydych chi wedi’u hanfon' }).click()
  await page.getByRole('heading', { name: 'Negeseuon rydych chi wedi’u hanfon', level: 1 }).waitFor()
  await check(t, page, 'the sent list', true)
})

t.test('the session form in Welsh with JavaScript off: a mistake, then a session made', async (t) => {
  const { app, baseUrl } = await serve(t, { now: NOW })
  const browser = await launch(t)
  const context = await newContext(browser, { javaScript: false })
  const page = await context.newPage()
  await signInThroughPages(page, app, baseUrl, 'coordinator@example.org')
  await page.waitForURL('**/coordinate')
  await page.getByRole('link', { name: 'Cymraeg' }).click()
  await page.getByRole('heading', { name: 'Eich canghennau', level: 1 }).waitFor()

  await page.goto(baseUrl + '/coordinate/sessions/new')
  await page.getByRole('heading', { name: 'Trefnu sesiwn', level: 1 }).waitFor()
  await page.getByLabel('Unwaith').check()
  await page.getByRole('button', { name: 'Creu' }).click()
  await page.getByRole('heading', { name: 'Mae problem wedi codi' }).waitFor()
  t.match(await page.title(), /^Gwall: Trefnu sesiwn – Champion Rota$/)
  t.match(await page.locator('.govuk-error-summary').innerText(), /Dewiswch y gangen[\s\S]*Rhowch deitl ar gyfer y sesiwn/, 'the mistakes, in Welsh')
  await check(t, page, 'the session form with its mistakes')

  const branch = await page.locator('#branch option[value]:not([value=""])').first().getAttribute('value')
  await page.getByLabel('Cangen', { exact: true }).selectOption(branch!)
  await page.getByLabel('Teitl').fill('Help gyda ffonau clyfar')
  await page.getByLabel('Galw heibio').check()
  await page.getByLabel('Amser dechrau').fill('10:00')
  await page.getByLabel('Amser gorffen').fill('12:00')
  await page.getByLabel('Dyddiad', { exact: true }).fill('2026-12-10')
  await page.getByRole('button', { name: 'Creu' }).click()
  await page.getByText('Mae’r sesiwn wedi’i chreu').waitFor()
  t.match(page.url(), /\/coordinate\/sessions\/\d+$/, 'on the new session’s page')
})
