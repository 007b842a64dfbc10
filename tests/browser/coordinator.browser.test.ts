// In Chromium, with JavaScript on and off: a coordinator creates a series, sees the gap, invites a candidate who accepts from the email, sees the gap close; auto-fill; axe on every page and after every htmx swap.
import t, { type Test } from 'tap'
import fs from 'node:fs'
import { DateTime } from 'luxon'
import type { Browser, Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'
import { switchToken } from '../../src/mail/switches.js'

async function checkPage(t: Test, page: Page, label: string) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
}

async function signIn(page: Page, app: FastifyInstance, baseUrl: string, email: string) {
  await signInThroughPages(page, app, baseUrl, email)
  await page.waitForURL('**/coordinate')
}

/** After an htmx swap, focus lands on the new results (the element marked data-focus-after-swap). */
async function afterSwap(page: Page) {
  // Polled from here: the page's CSP (rightly) forbids the eval that waitForFunction's polling uses.
  const deadline = Date.now() + 10_000
  while (!(await page.evaluate('!!(document.activeElement && document.activeElement.hasAttribute("data-focus-after-swap"))'))) {
    if (Date.now() > deadline) throw new Error('focus did not move to the swapped results')
    await new Promise((r) => setTimeout(r, 50))
  }
  // Unmark it, so focus left here is not mistaken for the next swap’s.
  await page.evaluate('document.activeElement && document.activeElement.removeAttribute("data-focus-after-swap")')
}

function scriptErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text())
  })
  return errors
}

const today = () => DateTime.now().setZone('Europe/London').startOf('day')

for (const javaScript of [true, false]) {
  t.test(`create a series, see the gap, invite, accept from the email, see the gap close (JavaScript ${javaScript ? 'on' : 'off'})`, async (t) => {
    const { app, baseUrl } = await serve(t)
    const browser = await launch(t)
    const page = await (await newContext(browser, { javaScript })).newPage()
    const errors = scriptErrors(page)
    await signIn(page, app, baseUrl, 'coordinator@example.org')
    const title = `Browser drop-in ${javaScript ? 'A' : 'B'}`

    // 1. Schedule a weekly series: first with a mistake.
    await page.goto(baseUrl + '/coordinate/sessions/new')
    await checkPage(t, page, 'schedule a session')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByText('Enter a title for the session').first().waitFor()
    await checkPage(t, page, 'schedule a session, with errors')
    if (javaScript) t.match(String(await page.evaluate('document.activeElement.className')), /govuk-error-summary/, 'focus on the error summary')
    const firstWednesday = today().plus({ days: 2 + ((3 - today().plus({ days: 2 }).weekday + 7) % 7) })
    await page.getByLabel('Branch').selectOption({ label: 'Westmoor Central Library' })
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Drop-in').check()
    await page.getByLabel('Start time').fill('10:00')
    await page.getByLabel('End time').fill('12:00')
    await page.getByLabel('Fewest volunteers needed').fill('1')
    await page.getByLabel('Most volunteers it can use').fill('2')
    await page.getByLabel('Every week (a series)').check()
    await page.getByLabel('Wednesday').check()
    await page.getByLabel('Starting from').fill(firstWednesday.toISODate()!)
    await page.getByLabel('Until', { exact: true }).fill(firstWednesday.plus({ days: 14 }).toISODate()!)
    await page.getByRole('button', { name: 'Create' }).click()
    await page.waitForURL(/\/coordinate\/sessions\/\d+$/)
    t.ok(await page.getByText('Weekly series created: 3 sessions').isVisible())
    await checkPage(t, page, 'the new session')
    const firstId = Number(/sessions\/(\d+)$/.exec(page.url())![1])
    const central = await app.db.selectFrom('branches').select('id').where('name', '=', 'Westmoor Central Library').executeTakeFirstOrThrow()

    // 2. The gap board, filtered to the branch (an htmx swap with JavaScript, a page without).
    await page.goto(baseUrl + '/coordinate/gaps')
    await checkPage(t, page, 'gap board')
    await page.locator('#filter-branch').selectOption({ label: 'Westmoor Central Library' })
    await page.getByRole('button', { name: 'Show gaps' }).click()
    await page.waitForURL(/branch=/)
    if (javaScript) await afterSwap(page)
    await checkPage(t, page, 'gap board filtered to a branch')
    const belowMinimum = page.locator('table:has(caption:has-text("Below their minimum"))')
    t.equal(await belowMinimum.locator(`a[href="/coordinate/sessions/${firstId}"]`).count(), 1, 'the new session is a gap')
    await belowMinimum.locator(`a[href="/coordinate/sessions/${firstId}"]`).click()
    await page.waitForURL(`**/coordinate/sessions/${firstId}`)

    // 3. Invite the best-ranked candidate.
    const firstCandidate = page.locator('input[name="invite"]').first()
    const volunteerId = Number(await firstCandidate.getAttribute('value'))
    await firstCandidate.check()
    await page.getByRole('button', { name: 'Invite the people selected' }).first().click()
    await page.getByText(/Invitation sent to/).waitFor()
    await checkPage(t, page, 'session page after inviting')
    const person = await app.db.selectFrom('volunteers').innerJoin('people', 'people.id', 'volunteers.person_id').select(['people.email', 'people.name']).where('volunteers.id', '=', volunteerId).executeTakeFirstOrThrow()
    t.ok(await page.locator('#invitations-list').getByText('Waiting for reply').isVisible())

    // 4. The volunteer opens the email and accepts from its link.
    await app.mail.worker.drain()
    const volunteerPage = await (await newContext(browser, { javaScript })).newPage()
    await volunteerPage.goto(`${baseUrl}/dev/mail?to=${encodeURIComponent(person.email)}`)
    await volunteerPage.getByRole('link', { name: new RegExp(`Can you help\\? ${title}`) }).first().click()
    await volunteerPage.getByRole('link', { name: /answer=accept/ }).click()
    await volunteerPage.waitForURL(/\/invitations\/[^/]+\?answer=accept$/)
    await checkPage(t, volunteerPage, 'invitation page')
    await volunteerPage.getByRole('button', { name: 'Yes, I can help' }).click()
    await volunteerPage.getByText('You are booked').waitFor()
    await checkPage(t, volunteerPage, 'invitation accepted')

    // 5. The coordinator sees the answer: by polling with JavaScript, on reload without.
    if (javaScript) {
      await page.locator('#invitations-list').getByText('Accepted').waitFor({ timeout: 20_000 })
      await checkPage(t, page, 'session page after the invitations updated themselves')
    } else {
      await page.reload()
      t.ok(await page.locator('#invitations-list').getByText('Accepted').isVisible())
    }
    t.ok(await page.getByRole('link', { name: person.name }).first().isVisible())

    // 6. The gap has closed: the session now only has room for more.
    await page.goto(`${baseUrl}/coordinate/gaps?branch=${central.id}`)
    t.equal(await page.locator(`table:has(caption:has-text("Below their minimum")) a[href="/coordinate/sessions/${firstId}"]`).count(), 0, 'no longer below its minimum')
    t.equal(await page.locator(`table:has(caption:has-text("room for more")) a[href="/coordinate/sessions/${firstId}"]`).count(), 1, 'shown apart, with room for more')

    // 7. Taking them off asks first, with an optional reason; too long a reason is refused.
    await page.goto(`${baseUrl}/coordinate/sessions/${firstId}`)
    await page.getByRole('link', { name: `Take off ${person.name}` }).click()
    await page.getByRole('heading', { name: `Take ${person.name} off ${title}?` }).waitFor()
    await checkPage(t, page, 'take-off confirmation')
    await page.getByLabel('Reason (optional)').fill('x'.repeat(600))
    await page.getByRole('button', { name: 'Yes, take them off' }).click()
    await page.locator('.govuk-error-summary').getByText('Reason must be 500 characters or fewer').waitFor()
    await checkPage(t, page, 'take-off confirmation with an error')
    const still = await app.db.selectFrom('assignments').select('state').where('session_id', '=', firstId).where('volunteer_id', '=', volunteerId).executeTakeFirstOrThrow()
    t.equal(still.state, 'confirmed', 'a refused reason changes nothing')
    await page.getByLabel('Reason (optional)').fill('The session is now run by library staff')
    await page.getByRole('button', { name: 'Yes, take them off' }).click()
    await page.getByText(`${person.name} has been taken off this session and emailed`).waitFor()
    t.equal(await page.getByRole('link', { name: `Take off ${person.name}` }).count(), 0, 'no longer booked')
    t.same(errors, [], 'no script errors')
  })

  t.test(`auto-fill: propose, drop a line, send the invitations (JavaScript ${javaScript ? 'on' : 'off'})`, async (t) => {
    const { app, baseUrl } = await serve(t)
    const browser = await launch(t)
    const page = await (await newContext(browser, { javaScript })).newPage()
    const errors = scriptErrors(page)
    await signIn(page, app, baseUrl, 'coordinator@example.org')
    await page.goto(baseUrl + '/coordinate/autofill')
    await checkPage(t, page, 'auto-fill')
    await page.getByRole('button', { name: 'Propose' }).click()
    if (javaScript) await afterSwap(page)
    else await page.waitForURL(/run=1/)
    await checkPage(t, page, 'auto-fill proposal')
    const lines = page.locator('input[name="lines"]')
    const proposed = await lines.count()
    t.ok(proposed > 2, `${proposed} places proposed`)
    await lines.first().uncheck()
    await page.getByLabel('Send invitations').check()
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByRole('heading', { name: /invitations? sent/ }).waitFor()
    await checkPage(t, page, 'auto-fill sent')
    const sent = await app.db.selectFrom('invitations').innerJoin('assignments', 'assignments.id', 'invitations.assignment_id').select('assignments.source').execute()
    t.equal(sent.filter((s) => s.source === 'auto_fill').length, proposed - 1, 'one invitation per kept line')
    t.same(errors, [], 'no script errors')
  })
}

t.test('every coordinator page passes axe, also after htmx swaps, and fits 320 px', async (t) => {
  const { app, baseUrl } = await serve(t)
  const browser: Browser = await launch(t)
  const page = await (await newContext(browser, { width: 320 })).newPage()
  const errors = scriptErrors(page)
  await signIn(page, app, baseUrl, 'coordinator@example.org')
  const shots = 'tests/browser/screenshots'
  fs.mkdirSync(shots, { recursive: true })
  const session = await app.db
    .selectFrom('sessions')
    .select(['id', 'branch_id', 'local_date'])
    .where('status', '=', 'scheduled')
    .where('series_id', 'is not', null)
    .where('starts_at', '>', Date.now() + 86_400_000)
    .whereRef('confirmed_count', '<', 'max_volunteers')
    .orderBy('starts_at')
    .executeTakeFirstOrThrow()
  const applicant = await app.db.selectFrom('volunteers').select('id').where('status', '=', 'applied').executeTakeFirstOrThrow()
  const active = await app.db.selectFrom('volunteers').select('id').where('status', '=', 'active').executeTakeFirstOrThrow()
  for (const [path, label] of [
    ['/coordinate', 'coordinator home'],
    ['/coordinate/sessions', 'sessions'],
    [`/coordinate/sessions/${session.id}`, 'a session'],
    [`/sessions/${session.id}`, 'the preview of what volunteers see'],
    [`/coordinate/sessions/${session.id}/edit`, 'change a session'],
    [`/coordinate/sessions/${session.id}/edit?scope=future`, 'change this and later sessions'],
    [`/coordinate/sessions/${session.id}/cancel?scope=rest`, 'cancel the rest'],
    ['/coordinate/gaps', 'gaps'],
    ['/coordinate/volunteers', 'volunteers'],
    [`/coordinate/volunteers/${applicant.id}`, 'an applicant'],
    [`/coordinate/volunteers/${applicant.id}/trainings/new`, 'record a training'],
    [`/coordinate/branches/${session.branch_id}/checkin?date=${session.local_date}`, 'the check-in sheet'],
    [`/coordinate/messages/new?session=${session.id}`, 'a message to a session\'s volunteers'],
    ['/coordinate/messages', 'sent messages'],
    [`/group-messages/${switchToken(app.config.sessionSecret, 'group-messages', active.id)}`, 'a volunteer\'s switch for messages from coordinators'],
  ] as const) {
    await page.goto(baseUrl + path)
    await checkPage(t, page, label)
    t.equal(await sidewaysOverflow(page), 0, `${label} does not scroll sideways at 320 px`)
  }
  await page.goto(`${baseUrl}/coordinate/sessions/${session.id}`)
  await page.screenshot({ path: `${shots}/coordinator-session-320.png`, fullPage: true })

  // htmx swaps: the sessions list, the volunteer search, and withdrawing an invitation.
  await page.goto(baseUrl + '/coordinate/sessions')
  await page.locator('#filter-weeks').selectOption('1')
  await page.getByRole('button', { name: 'Show sessions' }).click()
  await afterSwap(page)
  await checkPage(t, page, 'sessions after a filter swap')
  await page.goto(baseUrl + '/coordinate/volunteers')
  await page.getByLabel('Status').selectOption('applied')
  await page.getByRole('button', { name: 'Search' }).click()
  await afterSwap(page)
  t.match(page.url(), /status=applied/, 'the URL follows the filter')
  await checkPage(t, page, 'volunteers after a search swap')
  t.equal(await sidewaysOverflow(page), 0)

  // A session with someone to invite (some need skills nobody free has).
  const open = await app.db.selectFrom('sessions').select('id').where('status', '=', 'scheduled').where('starts_at', '>', Date.now() + 86_400_000).whereRef('confirmed_count', '<', 'max_volunteers').orderBy('starts_at').limit(30).execute()
  for (const o of open) {
    await page.goto(`${baseUrl}/coordinate/sessions/${o.id}`)
    if (await page.locator('input[name="invite"]').count()) break
  }
  await page.locator('input[name="invite"]').first().check()
  await page.getByRole('button', { name: 'Invite the people selected' }).first().click()
  await page.getByText(/Invitation sent to/).waitFor()
  await page.getByRole('button', { name: /^Withdraw/ }).first().click()
  await afterSwap(page)
  t.ok(await page.getByText(/has been withdrawn and they have been told/).isVisible())
  await checkPage(t, page, 'session after withdrawing an invitation in place')

  // A form with errors at 320 px.
  await page.goto(`${baseUrl}/coordinate/volunteers/${applicant.id}/trainings/new`)
  await page.getByRole('button', { name: 'Record it' }).click()
  await page.getByText('Select the training or check').first().waitFor()
  await checkPage(t, page, 'record a training, with errors')
  t.equal(await sidewaysOverflow(page), 0)
  await page.goto(`${baseUrl}/coordinate/autofill?run=1`)
  await checkPage(t, page, 'auto-fill proposal at 320 px')
  t.equal(await sidewaysOverflow(page), 0, 'auto-fill proposal fits 320 px')
  t.same(errors, [], 'no script errors')
})
