// In Chromium: the sign-in journey with JavaScript on and off, axe-core on every page, and 320 px without sideways scrolling.
import t, { type Test } from 'tap'
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInLink, signInThroughPages } from './browser.js'

async function checkPage(t: Test, page: Page, label: string) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
}

for (const javaScript of [true, false]) {
  t.test(`signing in as the coordinator through /dev/mail, JavaScript ${javaScript ? 'on' : 'off'}`, async (t) => {
    const { app, baseUrl } = await serve(t)
    const browser = await launch(t)
    const context = await newContext(browser, { javaScript })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    // Error statuses of pages we meant to reach (400, 410) are not script errors.
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()) })

    await page.goto(baseUrl + '/')
    await checkPage(t, page, 'home')
    await page.getByRole('button', { name: 'Sign in' }).or(page.getByRole('link', { name: 'Sign in' }).first()).first().click()
    await page.waitForURL('**/sign-in')
    await checkPage(t, page, 'sign in')

    // A mistake first: the error summary and inline error.
    await page.getByLabel('Email address').fill('not an email')
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
    await page.getByText('There is a problem').first().waitFor()
    await checkPage(t, page, 'sign in with an error')
    if (javaScript) {
      const focused = await page.evaluate('document.activeElement && document.activeElement.className')
      t.match(String(focused), /govuk-error-summary/, 'focus moves to the error summary')
    }

    await page.getByLabel('Email address').fill('coordinator@example.org')
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
    await page.waitForURL('**/sign-in/check-email')
    t.ok(await page.getByText('coordinator@example.org').first().isVisible())
    await checkPage(t, page, 'check your email')

    // Read the mail in the development mailbox, as a person trying the demo would.
    await app.mail.worker.drain()
    await page.goto(baseUrl + '/dev/mail')
    await checkPage(t, page, 'development mailbox')
    await page.getByRole('link', { name: 'Your link to sign in to Champion Rota' }).first().click()
    await checkPage(t, page, 'a message in the mailbox')
    const link = await signInLink(app, 'coordinator@example.org')
    await page.getByRole('link', { name: link }).click()
    await page.waitForURL('**/sign-in/confirm/**')
    await checkPage(t, page, 'confirm sign-in')
    await page.getByRole('button', { name: 'Sign in' }).last().click()
    await page.waitForURL('**/coordinate')
    t.ok(await page.getByText('Signed in as').isVisible())
    await checkPage(t, page, 'coordinator dashboard')

    // The same link again: expired page.
    await page.goto(link)
    t.ok(await page.getByRole('heading', { name: 'This sign-in link has expired or been used' }).isVisible())
    await checkPage(t, page, 'link expired')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(baseUrl + '/')
    t.ok(await page.getByText('You have signed out.').isVisible())
    t.same(errors, [], 'no script errors')
  })
}

t.test('every page of the foundation passes axe and fits 320 px', async (t) => {
  const { app, baseUrl } = await serve(t)
  const browser = await launch(t)
  const shots = 'tests/browser/screenshots'
  fs.mkdirSync(shots, { recursive: true })

  async function signedInPage(email: string, width: number) {
    const context = await newContext(browser, { width })
    const page = await context.newPage()
    await signInThroughPages(page, app, baseUrl, email)
    return page
  }

  const anonymous = await (await newContext(browser, { width: 320 })).newPage()
  for (const [path, label] of [
    ['/', 'home'],
    ['/sign-in', 'sign in'],
    ['/apply', 'apply'],
    ['/accessibility', 'accessibility statement'],
    ['/no-such-page', 'not found'],
  ] as const) {
    await anonymous.goto(baseUrl + path)
    await checkPage(t, anonymous, label)
    t.equal(await sidewaysOverflow(anonymous), 0, `${label} does not scroll sideways at 320 px`)
  }
  await anonymous.goto(baseUrl + '/')
  await anonymous.screenshot({ path: `${shots}/home-320.png`, fullPage: true })

  // Apply with mistakes, then properly.
  await anonymous.goto(baseUrl + '/apply')
  await anonymous.getByRole('button', { name: 'Send application' }).click()
  await anonymous.getByText('Enter your full name').first().waitFor()
  await checkPage(t, anonymous, 'apply with errors')
  t.equal(await sidewaysOverflow(anonymous), 0)
  await anonymous.getByLabel('Full name').fill('Robin Newcomer')
  await anonymous.getByLabel('Email address').fill('robin@example.org')
  await anonymous.getByLabel('Eastfield Library').check()
  await anonymous.getByRole('button', { name: 'Send application' }).click()
  await anonymous.waitForURL('**/apply/sent')
  await checkPage(t, anonymous, 'application sent')
  const applied = await app.db.selectFrom('volunteers').innerJoin('people', 'people.id', 'volunteers.person_id').select('volunteers.status').where('people.email', '=', 'robin@example.org').executeTakeFirst()
  t.equal(applied?.status, 'applied', 'the applicant lands as applied')

  const volunteer = await signedInPage('volunteer1@example.org', 320)
  t.match(volunteer.url(), /\/dashboard$/)
  await checkPage(t, volunteer, 'volunteer dashboard')
  t.equal(await sidewaysOverflow(volunteer), 0, 'volunteer dashboard fits 320 px')
  await volunteer.screenshot({ path: `${shots}/volunteer-dashboard-320.png`, fullPage: true })

  const coordinator = await signedInPage('coordinator@example.org', 320)
  await checkPage(t, coordinator, 'coordinator dashboard')
  t.equal(await sidewaysOverflow(coordinator), 0, 'coordinator dashboard fits 320 px')
  await coordinator.screenshot({ path: `${shots}/coordinator-dashboard-320.png`, fullPage: true })

  const admin = await signedInPage('admin@example.org', 320)
  await admin.goto(baseUrl + '/admin')
  await checkPage(t, admin, 'admin dashboard')
  t.equal(await sidewaysOverflow(admin), 0, 'admin dashboard fits 320 px')
})
