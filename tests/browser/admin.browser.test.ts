// In Chromium: an admin runs the library service's pages, and a volunteer downloads their data and deletes their account — JavaScript on and off, 320 px, axe-clean.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'

const NOW = Date.parse('2026-11-30T09:00:00Z')

// Every axe rule must pass at 320 px, target size (WCAG 2.2 2.5.8) included.
async function check(t: Test, page: Page, label: string, javaScript: boolean) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  // Measuring needs the page's own JavaScript; with it off the same HTML was measured in the other run.
  if (javaScript) t.equal(await sidewaysOverflow(page), 0, `${label} does not scroll sideways at 320 px`)
}

for (const javaScript of [true, false]) {
  t.test(`admin pages and "Your data" with JavaScript ${javaScript ? 'on' : 'off'}, at 320 px`, async (t) => {
    const served = await serve(t, { now: NOW })
    const browser = await launch(t)
    const context = await newContext(browser, { javaScript, width: 320 })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))

    await signInThroughPages(page, served.app, served.baseUrl, 'admin@example.org')
    await page.goto(served.baseUrl + '/admin')
    await check(t, page, 'admin overview', javaScript)

    await page.goto(served.baseUrl + '/admin/settings')
    await check(t, page, 'settings', javaScript)
    await page.getByLabel('Another reminder: days before (optional)').fill('0')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.waitForLoadState()
    t.ok(await page.locator('.govuk-error-summary').getByText('0 days before at the session’s time is when it starts').isVisible(), 'the error summary says what is wrong')
    await check(t, page, 'settings with an error', javaScript)
    await page.getByLabel('At this time (optional)').fill('18:30')
    await page.getByRole('button', { name: 'Preview the reminders' }).click()
    await page.waitForLoadState()
    t.ok(await page.getByText('Preview: Volunteers get a reminder email').isVisible())
    t.match(await page.locator('#reminder-preview').innerText(), 'at 6:30pm on the day')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.waitForURL('**/admin/settings')
    t.ok(await page.getByText('The settings have been saved').isVisible())

    await page.goto(served.baseUrl + '/admin/branches/new')
    await check(t, page, 'add a branch', javaScript)
    await page.getByLabel('Name', { exact: true }).fill('Moonbase Library')
    await page.getByLabel('Time zone').fill('Mars/Olympus')
    await page.getByRole('button', { name: 'Add the branch' }).click()
    await page.waitForLoadState()
    t.ok(await page.locator('.govuk-error-summary').getByText('is not a time zone we know').isVisible())
    await check(t, page, 'add a branch with an error', javaScript)
    await page.getByLabel('Time zone').fill('Europe/London')
    await page.getByRole('button', { name: 'Add the branch' }).click()
    await page.waitForURL('**/admin/branches')
    t.ok(await page.getByText('Moonbase Library has been added').isVisible())
    await check(t, page, 'branches', javaScript)

    for (const [path, label] of [['/admin/skills', 'topics and languages'], ['/admin/skills/new', 'add a topic'], ['/admin/trainings', 'training'], ['/admin/trainings/new', 'add training'], ['/admin/people', 'people with rights'], ['/admin/people/new', 'invite'], ['/admin/audit', 'audit log'], ['/privacy', 'privacy']] as const) {
      await page.goto(served.baseUrl + path)
      await check(t, page, label, javaScript)
    }
    t.ok(await page.locator('footer').getByRole('link', { name: 'Privacy' }).isVisible(), 'the footer links to the privacy page')

    // A topic's framework areas: the form, a mistake, then a change.
    await page.goto(served.baseUrl + '/admin/skills')
    await page.getByRole('link', { name: /^Framework areas for / }).first().click()
    await page.waitForURL('**/admin/skills/*/areas')
    await check(t, page, 'framework areas of a topic', javaScript)
    for (const box of await page.getByRole('checkbox').all()) await box.uncheck()
    await page.getByRole('button', { name: 'Save the areas' }).click()
    await page.waitForLoadState()
    t.ok(await page.locator('.govuk-error-summary').getByText('Choose at least one area this topic counts towards').isVisible(), 'the error summary says what is wrong')
    await check(t, page, 'framework areas with an error', javaScript)
    await page.getByLabel('Being safe and legal online').check()
    await page.getByRole('button', { name: 'Save the areas' }).click()
    await page.waitForURL('**/admin/skills')
    t.ok(await page.getByText('counts towards: Being safe and legal online').first().isVisible(), 'the change is confirmed')

    // A volunteer: their data, then deleting the account.
    const volunteer = await (await newContext(browser, { javaScript, width: 320 })).newPage()
    const email = javaScript ? 'volunteer1@example.org' : 'volunteer2@example.org'
    await signInThroughPages(volunteer, served.app, served.baseUrl, email)
    await volunteer.goto(served.baseUrl + '/profile')
    await volunteer.getByRole('link', { name: 'Your data' }).click()
    await volunteer.waitForURL('**/profile/data')
    await check(t, volunteer, 'your data', javaScript)
    const [download] = await Promise.all([volunteer.waitForEvent('download'), volunteer.getByRole('link', { name: 'Download your data as a file (JSON)' }).click()])
    t.match(download.suggestedFilename(), /^champion-rota-data-\d{4}-\d\d-\d\d\.json$/)
    await volunteer.getByRole('link', { name: 'See your data on a page' }).click()
    await volunteer.waitForURL('**/profile/data/view')
    t.ok(await volunteer.getByText(email).first().isVisible())
    await check(t, volunteer, 'your data on a page', javaScript)
    await volunteer.goto(served.baseUrl + '/profile/delete')
    await check(t, volunteer, 'delete your account', javaScript)
    await volunteer.getByRole('button', { name: 'Delete my account' }).click()
    await volunteer.waitForURL('**/account-deleted')
    t.ok(await volunteer.getByRole('heading', { name: 'Your account has been deleted' }).isVisible())
    await check(t, volunteer, 'account deleted', javaScript)
    const person = await served.app.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst()
    t.notOk(person, 'their address is gone from the database')
    t.same(errors, [], 'no script errors')
  })
}
