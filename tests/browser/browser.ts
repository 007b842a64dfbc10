// Browser tests' harness: the real app listening on loopback, Debian's Chromium via playwright-core, axe-core.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { ManualClock } from '../../src/clock.js'
import { seedDemoIfEmpty } from '../../src/seed/demo.js'
import { freshDatabase, testConfig, type Teardown } from '../helpers/app.js'

const require = createRequire(import.meta.url)
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface Served {
  app: FastifyInstance
  baseUrl: string
  clock: ManualClock
}

/** The app with the demo data, listening on a free loopback port (browsers need real HTTP). */
export async function serve(t: Teardown, options: { seed?: boolean; now?: number } = {}): Promise<Served> {
  const database = await freshDatabase(t)
  // BASE_URL is only known once listening: links in emails use the port we get.
  const probe = testConfig(database)
  const clock = new ManualClock(options.now ?? Date.now())
  let app = await buildApp(probe, { clock, logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  await app.close()
  const config = testConfig(database, { BASE_URL: `http://127.0.0.1:${port}` })
  app = await buildApp(config, { clock, logger: false })
  if (options.seed !== false) await seedDemoIfEmpty(app.ctx)
  await app.listen({ port, host: '127.0.0.1' })
  t.teardown(() => app.close())
  return { app, baseUrl: `http://127.0.0.1:${port}`, clock }
}

export async function launch(t: Teardown): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  })
  t.teardown(() => browser.close())
  return browser
}

const scriptless = new WeakSet<BrowserContext>()

export async function newContext(browser: Browser, options: { javaScript?: boolean; width?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: options.width ?? 1024, height: 800 },
  })
  context.setDefaultTimeout(15_000)
  if (options.javaScript === false) scriptless.add(context)
  return context
}

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: string[]; html: string }>
}

/** axe-core on the page as it is now. Evaluated through the debugging protocol, so the CSP stays strict. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  if (scriptless.has(page.context())) return axeWithoutScripts(page)
  const hasAxe = await page.evaluate('typeof window.axe !== "undefined"')
  if (!hasAxe) await page.evaluate(axeSource)
  const result = (await page.evaluate(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] })`,
  )) as { violations: AxeViolation[] }
  return result.violations
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n')
}

/** Horizontal overflow in CSS pixels (0 means nothing scrolls sideways). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  if (scriptless.has(page.context())) throw new Error('measure overflow in a page with JavaScript on')
  return (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number
}

/** The newest sign-in link sent to `email` (from the kept-in-database mailbox). */
export async function signInLink(app: FastifyInstance, email: string): Promise<string> {
  await app.mail.worker.drain()
  const row = await app.db.selectFrom('mailbox').select('text_body').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow()
  return /https?:\/\/\S+\/sign-in\/confirm\/\S+/.exec(row.text_body)![0]
}

/** Signs in as a person would: the sign-in form, the emailed link, the confirm button. Waits for the page it lands on. */
export async function signInThroughPages(page: Page, app: FastifyInstance, baseUrl: string, email: string): Promise<void> {
  await page.goto(baseUrl + '/sign-in')
  await page.getByLabel('Email address').fill(email)
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
  await page.waitForURL('**/sign-in/check-email')
  await page.goto(await signInLink(app, email))
  await page.getByRole('button', { name: 'Sign in' }).last().click()
  await page.waitForLoadState()
}

/**
 * With JavaScript off the page cannot run axe itself, so its HTML, exactly as served, is shown in a
 * second page at the same address with every script blocked, and axe runs there through the
 * debugging protocol. One such mirror page per browser serves every check (a context per check cost
 * about a third of each check), taking turns, and keeps the stylesheets it has fetched.
 */
interface Auditor {
  mirror: Page
  served: { url: string; html: string }
  turn: Promise<unknown>
}
const auditors = new WeakMap<Browser, Promise<Auditor>>()

async function openAuditor(browser: Browser): Promise<Auditor> {
  const context = await browser.newContext()
  const auditor: Auditor = { mirror: await context.newPage(), served: { url: '', html: '' }, turn: Promise.resolve() }
  await context.route('**/*', (route) => {
    const request = route.request()
    if (request.url() === auditor.served.url && request.resourceType() === 'document') {
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: auditor.served.html })
    }
    if (request.resourceType() === 'script') return route.abort()
    return route.continue()
  })
  return auditor
}

async function axeWithoutScripts(page: Page): Promise<AxeViolation[]> {
  const html = await page.content()
  const url = page.url()
  const viewport = page.viewportSize() ?? { width: 1024, height: 800 }
  const browser = page.context().browser()!
  if (!auditors.has(browser)) auditors.set(browser, openAuditor(browser))
  const auditor = await auditors.get(browser)!
  const check = auditor.turn.then(async () => {
    auditor.served = { url, html }
    await auditor.mirror.setViewportSize(viewport)
    // From a blank page, so an address differing only in its #fragment still loads the document.
    await auditor.mirror.goto('about:blank')
    await auditor.mirror.goto(url)
    await auditor.mirror.evaluate(axeSource)
    const result = (await auditor.mirror.evaluate(
      `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] })`,
    )) as { violations: AxeViolation[] }
    return result.violations
  })
  auditor.turn = check.catch(() => undefined)
  return check
}
