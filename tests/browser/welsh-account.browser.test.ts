// In Chromium (issue 16): the volunteer's account pages in Welsh, axe-clean with lang="cy", no
// "not translated" notice: privacy, Your data and its readable copy, deleting an account, Your
// calendar with the reminder emails switch, and answering an invitation. With JavaScript on at
// 320 px without sideways scrolling; with it off, the forms posted as plain forms (the reminder
// switch, a new calendar link, accepting the invitation, deleting the account).
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'
import { addVolunteer } from '../bookings/world.js'
import { createSession } from '../helpers/fixtures.js'
import { inTransaction } from '../../src/db/transaction.js'
import { inviteOneInTx } from '../../src/coordination/invitations.service.js'

const NOW = Date.parse('2026-11-30T09:00:00Z')

async function check(t: Test, page: Page, label: string, width320: boolean) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  t.equal(await page.getAttribute('html', 'lang'), 'cy', `${label}: lang="cy"`)
  t.equal(await page.locator('.rota-not-translated').count(), 0, `${label}: no “not translated” notice`)
  if (width320) t.equal(await sidewaysOverflow(page), 0, `${label} does not scroll sideways at 320 px`)
}

for (const javaScript of [true, false]) {
  t.test(`a volunteer’s account pages in Welsh, JavaScript ${javaScript ? 'on, at 320 px' : 'off'}`, async (t) => {
    const served = await serve(t, { now: NOW })
    const { app, baseUrl } = served
    const db = app.db
    const central = await db.selectFrom('branches').select(['id', 'library_service_id']).where('name', '=', 'Westmoor Central Library').executeTakeFirstOrThrow()
    const trainings = await db.selectFrom('training_kinds').select('id').where('library_service_id', '=', central.library_service_id).execute()
    const email = javaScript ? 'gwen.js@example.org' : 'gwen.nojs@example.org'
    const gwen = await addVolunteer(db, email, central.library_service_id, central.id, { name: 'Gwen Jones', trainings: trainings.map((k) => k.id) })
    // An invitation to a session Gwen can help at, as a coordinator would send it.
    const coordinator = await db.selectFrom('people').select('id').where('email', '=', 'coordinator@example.org').executeTakeFirstOrThrow()
    const sessionId = await createSession(db, central.id, { date: '2026-12-09', start: '10:00', end: '12:00', title: 'Sesiwn galw heibio', min: 1, max: 2 })
    const invited = await inTransaction(db, (tx) => inviteOneInTx(tx, app.ctx, { sessionId, volunteerId: gwen.volunteerId, source: 'invitation', actorPersonId: coordinator.id }))
    t.equal(invited.kind, 'invited')
    const mail = await db.selectFrom('outbox').select('text_body').where('to_address', '=', email).where('kind', '=', 'invitation').executeTakeFirstOrThrow()
    const invitation = /https?:\/\/\S+(\/invitations\/[A-Za-z0-9_-]+)\?answer=accept/.exec(mail.text_body)![1]!

    const browser = await launch(t)
    const context = await newContext(browser, { javaScript, width: javaScript ? 320 : 1024 })
    const page = await context.newPage()
    await signInThroughPages(page, app, baseUrl, email)
    await page.waitForURL('**/dashboard')
    await page.getByRole('link', { name: 'Cymraeg' }).click()
    await page.getByRole('heading', { name: 'Helo, Gwen Jones' }).waitFor()

    await page.getByRole('link', { name: 'Preifatrwydd' }).click()
    await page.getByRole('heading', { name: 'Preifatrwydd: sut rydyn ni’n defnyddio eich gwybodaeth', level: 1 }).waitFor()
    await check(t, page, 'privacy', javaScript)
    await page.getByRole('link', { name: 'Eich data' }).click()
    await page.getByRole('heading', { name: 'Eich data', level: 1 }).waitFor()
    await check(t, page, 'your data', javaScript)
    await page.getByRole('link', { name: 'Gweld eich data ar dudalen' }).click()
    await page.getByRole('heading', { name: 'Popeth sydd gennym amdanoch chi', level: 1 }).waitFor()
    await check(t, page, 'everything we hold', javaScript)

    await page.goto(baseUrl + '/calendar')
    await page.getByRole('heading', { name: 'Eich calendr', level: 1 }).waitFor()
    await check(t, page, 'your calendar', javaScript)
    t.ok(await page.getByLabel('Dolen y calendr (cyfeiriad gwe)').inputValue(), 'the feed’s address, labelled in Welsh')
    await page.getByRole('button', { name: 'Stopio negeseuon e-bost atgoffa' }).click()
    await page.getByRole('button', { name: 'Troi negeseuon e-bost atgoffa yn ôl ymlaen' }).waitFor()
    await check(t, page, 'your calendar with reminders off', javaScript)
    if (!javaScript) {
      await page.getByRole('button', { name: 'Cael dolen newydd i’r calendr' }).click()
      await page.getByText('Mae gennych chi ddolen newydd i’ch calendr').waitFor()
    }

    await page.goto(baseUrl + invitation + '?answer=accept')
    await page.getByRole('heading', { name: 'Allwch chi helpu yn y sesiwn hon?', level: 1 }).waitFor()
    await check(t, page, 'the invitation', javaScript)
    await page.getByRole('button', { name: 'Gallaf, rwy’n gallu helpu' }).click()
    await page.getByRole('heading', { name: 'Rydych chi wedi archebu lle', level: 1 }).waitFor()
    await check(t, page, 'the invitation once accepted', javaScript)

    await page.goto(baseUrl + '/profile/delete')
    await page.getByRole('heading', { name: 'Dileu eich cyfrif', level: 1 }).waitFor()
    await check(t, page, 'delete your account', javaScript)
    if (!javaScript) {
      await page.getByRole('button', { name: 'Dileu fy nghyfrif' }).click()
      await page.waitForURL('**/account-deleted')
      await page.getByRole('heading', { name: 'Mae eich cyfrif wedi’i ddileu' }).waitFor()
      await check(t, page, 'the account deleted', javaScript)
    }
  })
}
