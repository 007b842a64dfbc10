// In Chromium (issue 16): the volunteer's profile and the application to volunteer in Welsh,
// axe-clean with lang="cy" and no "not translated" notice. With JavaScript on, at 320 px without
// sideways scrolling: the profile page and each of its forms, and a mistake on one. With it off:
// applying (a mistake, then the application sent) and adding time off, as plain forms.
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

async function volunteer(served: Awaited<ReturnType<typeof serve>>, email: string) {
  const db = served.app.db
  const central = await db.selectFrom('branches').select(['id', 'library_service_id']).where('name', '=', 'Westmoor Central Library').executeTakeFirstOrThrow()
  await addVolunteer(db, email, central.library_service_id, central.id, { name: 'Gwen Jones', windows: [{ day: 2, start: '09:30', end: '13:00' }] })
}

t.test('the profile pages in Welsh, JavaScript on, at 320 px', async (t) => {
  const served = await serve(t, { now: NOW })
  await volunteer(served, 'gwen.js@example.org')
  const browser = await launch(t)
  const context = await newContext(browser, { javaScript: true, width: 320 })
  const page = await context.newPage()
  await signInThroughPages(page, served.app, served.baseUrl, 'gwen.js@example.org')
  await page.waitForURL('**/dashboard')
  await page.getByRole('link', { name: 'Cymraeg' }).click()
  await page.getByRole('heading', { name: 'Helo, Gwen Jones' }).waitFor()

  await page.goto(served.baseUrl + '/profile')
  await page.getByRole('heading', { name: 'Eich proffil', level: 1 }).waitFor()
  await check(t, page, 'the profile page', true)

  const forms: Array<[string, string]> = [
    ['Eich manylion', 'your details'],
    ['Sgiliau ac ieithoedd', 'skills and languages'],
    ['Llyfrgelloedd', 'libraries'],
    ['Pryd gallwch chi helpu', 'availability'],
    ['Amser i ffwrdd', 'time off'],
    ['Pa mor aml', 'how often'],
  ]
  for (const [card, label] of forms) {
    await page.goto(served.baseUrl + '/profile')
    await page.getByRole('link', { name: `Newid ${card.toLowerCase()}` }).click()
    await page.locator('h1').waitFor()
    await check(t, page, `the ${label} form`, true)
  }

  // A mistake on the availability form: the summary and the message by the field, in Welsh.
  await page.goto(served.baseUrl + '/profile/availability')
  await page.getByLabel('Dydd Mawrth').check()
  await page.getByLabel('O', { exact: true }).fill('11yb')
  await page.getByLabel('Tan', { exact: true }).fill('2yh')
  await page.getByRole('button', { name: 'Ychwanegu’r amser hwn' }).click()
  await page.getByText('Mae problem wedi codi').waitFor()
  t.equal(await page.title(), 'Gwall: Pryd gallwch chi helpu – Champion Rota')
  await check(t, page, 'the availability form with a mistake', true)
  await page.getByLabel('O', { exact: true }).fill('2yh')
  await page.getByLabel('Tan', { exact: true }).fill('5yh')
  await page.getByRole('button', { name: 'Ychwanegu’r amser hwn' }).click()
  await page.getByText('Mae’r amser wedi’i ychwanegu at eich argaeledd').waitFor()
  await check(t, page, 'the availability form after adding a time', true)
})

t.test('applying and adding time off in Welsh, JavaScript off', async (t) => {
  const served = await serve(t, { now: NOW })
  await volunteer(served, 'gwen.nojs@example.org')
  const browser = await launch(t)
  const context = await newContext(browser, { javaScript: false, width: 1024 })
  const page = await context.newPage()
  // Signed in first, in English (the sign-in helper reads the English page); the application is public.
  await signInThroughPages(page, served.app, served.baseUrl, 'gwen.nojs@example.org')

  await page.goto(served.baseUrl + '/apply')
  await page.getByRole('link', { name: 'Cymraeg' }).click()
  await page.getByRole('heading', { name: 'Gwneud cais i fod yn hyrwyddwr digidol' }).waitFor()
  await check(t, page, 'the application form', false)
  await page.getByRole('button', { name: 'Anfon y cais' }).click()
  await page.getByText('Mae problem wedi codi').waitFor()
  t.equal(await page.title(), 'Gwall: Gwneud cais i wirfoddoli – Champion Rota')
  await check(t, page, 'the application form with mistakes', false)
  await page.getByLabel('Enw llawn').fill('Alys Evans')
  await page.getByLabel('Cyfeiriad e-bost').fill('alys@example.org')
  await page.getByLabel('Westmoor Central Library').check()
  await page.getByRole('button', { name: 'Anfon y cais' }).click()
  await page.getByRole('heading', { name: 'Cais wedi’i anfon' }).waitFor()
  await check(t, page, 'application sent', false)

  await page.goto(served.baseUrl + '/profile/time-off')
  await page.getByRole('heading', { name: 'Amser i ffwrdd', level: 1 }).waitFor()
  const first = page.getByRole('group', { name: 'Y diwrnod cyntaf i ffwrdd' })
  await first.getByLabel('Diwrnod').fill('14')
  await first.getByLabel('Mis').fill('12')
  await first.getByLabel('Blwyddyn').fill('2026')
  await page.getByLabel('Nodyn (dewisol)').fill('Gwyliau')
  await page.getByRole('button', { name: 'Ychwanegu amser i ffwrdd' }).click()
  await page.getByText('Mae eich amser i ffwrdd wedi’i gadw').waitFor()
  await check(t, page, 'time off after adding some', false)
})
