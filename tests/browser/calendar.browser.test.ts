// In Chromium: "Your calendar", the reminders switch, branch calendars and undelivered emails, with JavaScript on and off, axe-core and 320 px.
import t, { type Test } from 'tap'
import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'
import { switchToken } from '../../src/mail/switches.js'

const shots = 'tests/browser/screenshots'
fs.mkdirSync(shots, { recursive: true })

async function checkPage(t: Test, page: Page, label: string) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
}

async function signedIn(browser: Browser, app: FastifyInstance, baseUrl: string, email: string, options: { javaScript: boolean; width: number }): Promise<Page> {
  const context = await newContext(browser, options)
  const page = await context.newPage()
  await signInThroughPages(page, app, baseUrl, email)
  return page
}

for (const javaScript of [true, false]) {
  t.test(`a volunteer's calendar page, JavaScript ${javaScript ? 'on' : 'off'}`, async (t) => {
    const { app, baseUrl } = await serve(t)
    const browser = await launch(t)
    const page = await signedIn(browser, app, baseUrl, 'volunteer1@example.org', { javaScript, width: 320 })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))

    await page.getByRole('link', { name: 'Your calendar' }).click()
    await page.waitForURL('**/calendar')
    await page.getByRole('heading', { name: 'Your calendar', exact: true }).waitFor()
    await checkPage(t, page, 'your calendar')
    if (javaScript) t.equal(await sidewaysOverflow(page), 0, 'fits 320 px')
    const https = await page.getByLabel('Calendar link (web address)').inputValue()
    const webcal = await page.getByLabel('Calendar link (webcal)').inputValue()
    t.match(https, new RegExp(`^${baseUrl}/feeds/[A-Za-z0-9_-]{43}\\.ics$`))
    t.equal(webcal, https.replace(/^http:/, 'webcal:'))
    t.equal(await page.getByRole('link', { name: 'Add to my calendar app' }).getAttribute('href'), webcal)
    t.equal(await page.getByRole('button', { name: 'Copy web address' }).isVisible(), javaScript, `the copy button ${javaScript ? 'shows' : 'stays hidden'}`)
    await page.getByText('Google Calendar', { exact: true }).click()
    t.ok(await page.getByText('Other calendars').isVisible(), 'the Google steps open')
    if (javaScript) await page.screenshot({ path: `${shots}/calendar-320.png`, fullPage: true })

    const feed = await page.request.get(https)
    t.equal(feed.status(), 200)
    t.match(await feed.text(), /BEGIN:VCALENDAR/)

    await page.getByRole('button', { name: 'Get a new calendar link' }).click()
    await page.getByText('You have a new calendar link').waitFor()
    await checkPage(t, page, 'your calendar after a reset')
    const fresh = await page.getByLabel('Calendar link (web address)').inputValue()
    t.not(fresh, https)
    t.equal((await page.request.get(https)).status(), 404, 'the old link is dead')
    t.equal((await page.request.get(fresh)).status(), 200)

    await page.getByRole('button', { name: 'Stop reminder emails' }).click()
    await page.getByText('Reminder emails are off.').first().waitFor()
    await checkPage(t, page, 'reminders off')
    await page.getByRole('button', { name: 'Turn reminder emails back on' }).click()
    await page.getByText('Reminder emails are back on.').waitFor()
    t.same(errors, [], 'no script errors')
  })
}

t.test('the reminders link from an email, signed out, at 320 px', async (t) => {
  const { app, baseUrl } = await serve(t)
  const browser = await launch(t)
  const volunteer = await app.db.selectFrom('volunteers').innerJoin('people', 'people.id', 'volunteers.person_id').select('volunteers.id').where('people.email', '=', 'volunteer2@example.org').executeTakeFirstOrThrow()
  const page = await (await newContext(browser, { width: 320 })).newPage()
  await page.goto(`${baseUrl}/reminders/${switchToken(app.config.sessionSecret, 'reminders', volunteer.id)}`)
  await page.getByRole('heading', { name: 'Reminder emails' }).first().waitFor()
  await checkPage(t, page, 'reminders page')
  t.equal(await sidewaysOverflow(page), 0)
  await page.getByRole('button', { name: 'Stop reminder emails' }).click()
  await page.getByText('Reminder emails are off.').first().waitFor()
  await checkPage(t, page, 'reminders page, off')
  const row = await app.db.selectFrom('volunteers').select('reminders_enabled').where('id', '=', volunteer.id).executeTakeFirstOrThrow()
  t.equal(row.reminders_enabled, 0)
  await page.goto(`${baseUrl}/reminders/${volunteer.id}-${'x'.repeat(43)}`)
  await checkPage(t, page, 'a broken reminders link')
})

for (const javaScript of [true, false]) {
  t.test(`a coordinator's branch calendars and undelivered emails, JavaScript ${javaScript ? 'on' : 'off'}`, async (t) => {
    const { app, baseUrl } = await serve(t)
    // One email that could not be delivered, to a volunteer on a session of the coordinator's branches.
    const session = await app.db.selectFrom('sessions').select(['id']).orderBy('starts_at').executeTakeFirstOrThrow()
    const service = await app.db.selectFrom('library_services').select('id').executeTakeFirstOrThrow()
    await app.db
      .insertInto('outbox')
      .values({ dedupe_key: 'browser:failed', kind: 'invite', to_address: 'volunteer3@example.org', to_name: 'A Volunteer With A Rather Long Name', subject: 'You are booked: Digital help drop-in with a long title, Tuesday 8 December 2026', text_body: 't', html_body: '<p>h</p>', status: 'failed', attempts: 1, next_attempt_at: 0, last_error: 'EENVELOPE 550 Can\'t send mail - all recipients were rejected: 550 5.1.1 <volunteer3@example.org>: Recipient address rejected: User unknown in virtual mailbox table', session_id: session.id, library_service_id: service.id, created_at: app.clock.now() })
      .execute()
    const browser = await launch(t)
    const page = await signedIn(browser, app, baseUrl, 'coordinator@example.org', { javaScript, width: 320 })
    await page.waitForURL('**/coordinate')
    t.ok(await page.getByRole('link', { name: '1 email to your volunteers was not delivered' }).isVisible())
    await checkPage(t, page, 'coordinator page with the calendars and emails panel')

    await page.getByRole('link', { name: "Subscribe to your branches' calendars" }).click()
    await page.getByRole('heading', { name: 'Branch calendars' }).waitFor()
    await checkPage(t, page, 'branch calendars')
    if (javaScript) t.equal(await sidewaysOverflow(page), 0, 'branch calendars fit 320 px')
    const first = page.locator('input.rota-copy-input').first()
    const url = await first.inputValue()
    const feed = await page.request.get(url)
    t.equal(feed.status(), 200)
    t.match(await feed.text(), /SUMMARY:.*\d+ of \d+ volunteer/)
    if (javaScript) await page.screenshot({ path: `${shots}/branch-calendars-320.png`, fullPage: true })

    await page.goto(baseUrl + '/coordinate/undelivered')
    await page.getByRole('heading', { name: 'Emails not delivered' }).waitFor()
    await checkPage(t, page, 'emails not delivered')
    if (javaScript) t.equal(await sidewaysOverflow(page), 0, 'emails not delivered fits 320 px')
    t.ok(await page.getByText('The email address was refused').isVisible())
    if (javaScript) await page.screenshot({ path: `${shots}/undelivered-320.png`, fullPage: true })
    await page.getByRole('button', { name: /Try again/ }).click()
    await page.getByText('The email will be sent again').waitFor()
    await checkPage(t, page, 'emails not delivered after a retry')
  })
}
