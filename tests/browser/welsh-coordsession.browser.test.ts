// In Chromium (issue 16): the coordinator's session page, auto-fill and a volunteer's record in
// Welsh, axe-clean with lang="cy", no "not translated" notice and no sideways scrolling at 320 px
// with JavaScript on (auto-fill's proposal through htmx); with JavaScript off, inviting a
// candidate from the session page is a plain form whose message comes back in Welsh.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'

async function check(t: Test, page: Page, label: string, width320: boolean) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  t.equal(await page.getAttribute('html', 'lang'), 'cy', `${label}: lang="cy"`)
  t.equal(await page.locator('.rota-not-translated').count(), 0, `${label}: no "not translated" notice`)
  if (width320) t.equal(await sidewaysOverflow(page), 0, `${label} does not scroll sideways at 320 px`)
}

/** A session from the gap board whose page lists people who could come (the demo data has several). */
async function sessionWithCandidates(page: Page, baseUrl: string): Promise<string> {
  await page.goto(baseUrl + '/coordinate/gaps')
  const links = await page.locator('a[href^="/coordinate/sessions/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!).filter((h) => /^\/coordinate\/sessions\/\d+$/.test(h)))
  for (const href of [...new Set(links)].slice(0, 8)) {
    await page.goto(baseUrl + href)
    if ((await page.locator('input[name="invite"]').count()) > 0) return href
  }
  throw new Error('no session on the gap board has candidates')
}

for (const javaScript of [true, false]) {
  t.test(`the coordinator’s session, auto-fill and volunteer pages in Welsh, JavaScript ${javaScript ? 'on, at 320 px' : 'off'}`, async (t) => {
    const { app, baseUrl } = await serve(t)
    const browser = await launch(t)
    const context = await newContext(browser, { javaScript, width: javaScript ? 320 : 1024 })
    const page = await context.newPage()
    await signInThroughPages(page, app, baseUrl, 'coordinator@example.org')
    await page.waitForURL('**/coordinate')
    await page.getByRole('link', { name: 'Cymraeg' }).click()
    await page.getByRole('heading', { name: 'Eich canghennau', level: 1 }).waitFor()

    const href = await sessionWithCandidates(page, baseUrl)
    await page.getByRole('heading', { name: 'Pwy allai ddod', level: 2 }).waitFor()
    t.match(await page.locator('.rota-reasons').first().innerText(), /diwrnod diwethaf|Ar gael ar/, 'the reasons are Welsh')
    await check(t, page, 'the session page', javaScript)

    if (!javaScript) {
      // A plain form: tick the first candidate, invite, and read the message on the page it returns to.
      await page.locator('input[name="invite"]').first().check()
      await page.getByRole('button', { name: 'Gwahodd y bobl a ddewiswyd' }).first().click()
      await page.waitForURL(new RegExp(`${href}#invitations$`))
      await page.getByText(/^Anfonwyd gwahoddiad at /).waitFor()
      t.match(await page.locator('#invitations-list').innerText(), /Yn aros am ateb/, 'the new invitation is listed, in Welsh')
      await check(t, page, 'the session page after inviting', javaScript)
      return
    }

    await page.goto(baseUrl + '/coordinate/autofill')
    await page.getByRole('heading', { name: 'Llenwi’n awtomatig', level: 1 }).waitFor()
    await check(t, page, 'auto-fill', javaScript)
    await page.getByRole('button', { name: 'Cynnig' }).click()
    await page.locator('#proposal-heading').waitFor()
    t.match(await page.locator('#proposal-heading').innerText(), /^(Cynnig: |Dim byd i’w gynnig)/, 'the swapped proposal is Welsh')
    await check(t, page, 'the auto-fill proposal after an htmx swap', javaScript)

    await page.goto(baseUrl + '/coordinate/volunteers?status=active')
    await page.locator('#volunteer-list a[href^="/coordinate/volunteers/"], a[href^="/coordinate/volunteers/"]').filter({ hasNotText: /^(Nesaf|Blaenorol)/ }).last().click()
    await page.getByText('Fel arfer yn rhydd').waitFor()
    await check(t, page, 'a volunteer’s record', javaScript)
    await page.getByRole('link', { name: 'Nodi fel wedi gadael' }).click()
    await page.getByRole('heading', { name: /^Ydych chi’n siŵr bod .* wedi gadael\?$/ }).waitFor()
    await check(t, page, 'marking a volunteer as left', javaScript)
  })
}
