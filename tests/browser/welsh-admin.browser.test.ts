// In Chromium (issue 16): the admin's pages in Welsh, axe-clean with lang="cy", JavaScript on and
// off, at 320 px; a Welsh mistake and the reminders preview; the language switch back to English.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'

const NOW = Date.parse('2026-11-30T09:00:00Z')

async function check(t: Test, page: Page, label: string, javaScript: boolean) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  t.equal(await page.getAttribute('html', 'lang'), 'cy', `${label}: lang="cy"`)
  if (javaScript) t.equal(await sidewaysOverflow(page), 0, `${label} does not scroll sideways at 320 px`)
}

const PAGES: Array<[string, string]> = [
  ['/admin', 'Gweinyddu’r gwasanaeth llyfrgell'],
  ['/admin/settings', 'Gosodiadau'],
  ['/admin/branches', 'Canghennau'],
  ['/admin/branches/new', 'Ychwanegu cangen'],
  ['/admin/skills', 'Pynciau ac ieithoedd'],
  ['/admin/skills/new', 'Ychwanegu pwnc neu iaith'],
  ['/admin/trainings', 'Hyfforddiant a gwiriadau'],
  ['/admin/trainings/new', 'Ychwanegu hyfforddiant neu wiriad'],
  ['/admin/people', 'Pobl â hawliau'],
  ['/admin/people/new', 'Gwahodd cydlynydd, gweinyddwr neu bartner'],
  ['/admin/audit', 'Log archwilio'],
  ['/dev/mail', 'Blwch post datblygu'],
]

for (const javaScript of [true, false]) {
  t.test(`the admin's pages in Welsh, JavaScript ${javaScript ? 'on' : 'off'}, at 320 px`, async (t) => {
    const served = await serve(t, { now: NOW })
    const browser = await launch(t)
    const context = await newContext(browser, { javaScript, width: 320 })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))

    await signInThroughPages(page, served.app, served.baseUrl, 'admin@example.org')
    await page.goto(served.baseUrl + '/language/cy?return=%2Fadmin')
    for (const [path, heading] of PAGES) {
      await page.goto(served.baseUrl + path)
      await page.getByRole('heading', { level: 1, name: heading }).waitFor()
      await check(t, page, path, javaScript)
    }

    await page.goto(served.baseUrl + '/admin/settings')
    await page.getByLabel('Nodyn atgoffa arall: diwrnodau cyn (dewisol)').fill('0')
    await page.getByRole('button', { name: 'Cadw’r gosodiadau' }).click()
    await page.waitForLoadState()
    t.ok(await page.locator('.govuk-error-summary').getByText('Mae problem wedi codi').isVisible(), 'the error summary in Welsh')
    await check(t, page, 'settings with an error', javaScript)
    await page.getByLabel('Ar yr amser hwn (dewisol)').fill('18:30')
    await page.getByRole('button', { name: 'Rhagweld y nodiadau atgoffa' }).click()
    await page.waitForLoadState()
    t.match(await page.locator('#reminder-preview').innerText(), 'am 6:30yh ar y diwrnod')

    await page.goto(served.baseUrl + '/admin/skills/new')
    await page.getByLabel('Iaith y mae gwirfoddolwyr yn ei siarad, fel Pwyleg neu BSL').check()
    await page.getByLabel('Enw', { exact: true }).fill('Italian')
    await page.getByLabel('Enw yn Gymraeg (dewisol)').fill('Eidaleg')
    await page.getByRole('button', { name: 'Ei ychwanegu' }).click()
    await page.waitForURL('**/admin/skills')
    t.ok(await page.getByText('Mae Italian wedi’i ychwanegu').isVisible(), 'the flash in Welsh')
    await check(t, page, 'topics after adding one', javaScript)

    await page.getByRole('link', { name: 'English' }).click()
    await page.getByRole('heading', { level: 1, name: 'Topics and languages' }).waitFor()
    t.equal(await page.getAttribute('html', 'lang'), 'en-GB', 'back to English')
    t.same(errors, [], 'no script errors')
  })
}
