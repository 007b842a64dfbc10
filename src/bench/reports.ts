// `npm run bench:reports`: a library service's year report and the network year report on a national rota with 12 months of past sessions, each against a full scan of its own rows measured in the same run.
//
// In-process: the app is built as `npm start` builds it (production mode, SQLite, no worker) and
// the services are called with its AppContext, as the routes call them, by a signed-in admin and
// signed-in partners. The baseline for each report is one query that sums the hours of every
// assignment row of the report's scope and range: the least a report over that data can cost.
// Target: each report within 3× its baseline. Then the pages themselves through app.inject
// (routing, access, templates, compression): target under 1 s.
import os from 'node:os'
import path from 'node:path'
import { DateTime } from 'luxon'
import { buildApp } from '../app.js'
import { loadConfig } from '../config.js'
import { randomToken } from '../auth/tokens.js'
import { resolveSession } from '../auth/auth.service.js'
import type { SignedInUser } from '../auth/access.js'
import { reportFor, todayForReports } from '../evidence/reports.service.js'
import { networkFor } from '../evidence/network.service.js'
import { ensureNationalDataset } from './national-data.js'
import { buildReportsDataset, signInReaders, PAST_WEEKS } from './reports-data.js'
import * as repo from './reports-data.repository.js'
import * as reports from '../evidence/reports.repository.js'

const REPEATS = Number(process.env.BENCH_REPEATS ?? 7)
/** The library service whose admin asks for the year report (services 1–20 have 12 branches, the rest 11). */
const SERVICE = Number(process.env.BENCH_SERVICE ?? 1)
/** Sizes of network measured: a partner granted the first n library services, for each n. */
const NETWORKS = (process.env.BENCH_NETWORKS ?? '20,180').split(',').map(Number).filter((n) => n >= 1 && n <= 180)
const RATIO_TARGET = 3
const PAGE_TARGET_MS = 1000

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const dataDir = path.join(root, 'data', 'bench')
const pristine = path.join(dataDir, 'national.sqlite')
const working = path.join(dataDir, 'reports.sqlite')

const log = (line: string) => console.log(line)
const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

/** A warm-up of each, then REPEATS rounds, the two taking turns so that the machine's drift falls on both alike. */
async function pair(baseline: () => Promise<unknown>, report: () => Promise<unknown>): Promise<{ baseline: number[]; report: number[] }> {
  await baseline()
  await report()
  const out = { baseline: [] as number[], report: [] as number[] }
  for (let i = 0; i < REPEATS; i++) {
    out.baseline.push(await timed(baseline))
    out.report.push(await timed(report))
  }
  return out
}

/** Where a report's time goes: each of its grouped reads alone (median of 3), for the breakdown printed at the end. */
async function breakdown(db: Parameters<typeof reports.sessionCells>[0], range: reports.Range, now: number, by: reports.GroupBy): Promise<string> {
  const parts: Array<[string, () => Promise<unknown[]>]> =
    by === 'branch'
      ? [
          ['sessions and places', () => reports.sessionCells(db, range, now, 'branch')],
          ['volunteers (per branch and month, per month, in all)', () => reports.attendedVolunteersPerBranch(db, range, now)],
          ['new volunteers', () => reports.newVolunteers(db, range, now)],
          ['topics', () => reports.topicPeople(db, range, now, 'all')],
        ]
      : [
          ['sessions and places', () => reports.sessionCells(db, range, now, 'service')],
          ['volunteers', () => reports.attendedVolunteersPerService(db, range, now)],
          ['topics', () => reports.topicPeople(db, range, now, 'service')],
        ]
  const out: string[] = []
  for (const [name, fn] of parts) {
    const n = (await fn()).length
    const ms = median([await timed(fn), await timed(fn), await timed(fn)])
    out.push(`${name} ${fmt(ms, 1)} ms (${fmt(n)} rows)`)
  }
  return out.join(', ')
}

interface Row {
  what: string
  baselineMs: number
  reportMs: number
  rows: number
  pageMs: number
  pageBytes: number
  breakdown: string
}

async function main(): Promise<void> {
  const now = Date.now()
  const dataset = await ensureNationalDataset(pristine, now, log)
  if (dataset.reused) log(`Reusing the national dataset made ${DateTime.fromMillis(dataset.generatedAt).toRelative()} (${pristine})`)
  log(`Adding ${PAST_WEEKS} weeks of past sessions at every branch to a copy (${working}) …`)
  const past = buildReportsDataset(pristine, working, dataset.firstDay, now)
  log(`Added in ${fmt(past.ms / 1000, 1)} s (one transaction): ${Object.entries(past.added).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}; sessions from ${past.from} to ${past.to}`)
  const readers = signInReaders(working, SERVICE, NETWORKS, now)
  const totals = repo.tableCounts(working)
  log(`The copy holds ${Object.entries(totals).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}`)

  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: working,
    BASE_URL: 'http://127.0.0.1:3000',
    SESSION_SECRET: randomToken(48),
    RUN_WORKER: 'false',
    LOG_LEVEL: 'silent',
  })
  const app = await buildApp(config, { migrate: false, logger: false })
  await app.ready()
  const rows: Row[] = []
  const ctx = app.ctx
  // The year: from the first past session to today (this week's sessions so far included).
  const from = past.from
  const to = todayForReports(ctx)
  try {
    const user = async (token: string): Promise<SignedInUser> => {
      const u = await resolveSession(ctx, token)
      if (!u) throw new Error('a benchmark sign-in did not resolve')
      return u
    }
    const page = async (url: string, token: string) => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: `__Host-rota_session=${token}`, 'accept-encoding': 'br, gzip' } })
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`)
      return res.rawPayload.length
    }
    const pageTimes = async (url: string, token: string) => {
      const bytes = await page(url, token)
      const ms: number[] = []
      for (let i = 0; i < REPEATS; i++) ms.push(await timed(() => page(url, token)))
      return { ms: median(ms), bytes }
    }

    // (a, b) The library service's year report, for its admin, against a scan of the service's rows.
    const admin = await user(readers.admin.token)
    const serviceBranches = await repo.branchIdsOfServices(ctx.db, [SERVICE])
    const filters = { from, to, branch: null }
    const check = await reportFor(ctx, admin, filters)
    const scanned = await repo.scopeHoursScan(ctx.db, serviceBranches, from, to)
    log(`Library service ${SERVICE} (${serviceBranches.length} branches): ${fmt(check.figures.total.sessionsHeld)} sessions held, ${fmt(check.figures.total.volunteerHours, 1)} volunteer hours attended, ${fmt(check.figures.total.newVolunteers)} new volunteers; the baseline scan sums ${fmt(scanned, 1)} hours over every assignment row`)
    const service = await pair(() => repo.scopeHoursScan(ctx.db, serviceBranches, from, to), () => reportFor(ctx, admin, filters))
    const servicePage = await pageTimes(`/reports?from=${from}&to=${to}`, readers.admin.token)
    rows.push({ what: `library service year report (${serviceBranches.length} branches)`, baselineMs: median(service.baseline), reportMs: median(service.report), rows: await repo.scopeAssignmentCount(ctx.db, serviceBranches, from, to), pageMs: servicePage.ms, pageBytes: servicePage.bytes, breakdown: await breakdown(ctx.db, { branchIds: serviceBranches, from, to }, ctx.clock.now(), 'branch') })

    // (c, d) The network year report, for partners granted the first n services, against a scan of those services' rows.
    for (const p of readers.partners) {
      const partner = await user(p.token)
      const ids = Array.from({ length: p.services }, (_, i) => i + 1)
      const branches = await repo.branchIdsOfServices(ctx.db, ids)
      const nf = { from, to, service: null }
      const view = await networkFor(ctx, partner, nf)
      log(`Network of ${p.services} services (${fmt(branches.length)} branches): ${fmt(view.shown.reduce((n, s) => n + s.months.length, 0))} service-months shown`)
      const network = await pair(() => repo.scopeHoursScan(ctx.db, branches, from, to), () => networkFor(ctx, partner, nf))
      const networkPage = await pageTimes(`/network?from=${from}&to=${to}`, p.token)
      rows.push({ what: `network year report (${p.services} services, ${fmt(branches.length)} branches)`, baselineMs: median(network.baseline), reportMs: median(network.report), rows: await repo.scopeAssignmentCount(ctx.db, branches, from, to), pageMs: networkPage.ms, pageBytes: networkPage.bytes, breakdown: await breakdown(ctx.db, { branchIds: branches, from, to }, ctx.clock.now(), 'service') })
    }
  } finally {
    await app.close()
  }

  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED')
  log('')
  log(`Champion Rota reports benchmark — SQLite, in-process, NODE_ENV=production, Node ${process.version}, median of ${REPEATS} after a warm-up`)
  log(`Machine: ${os.cpus().length} CPUs, shared (other benchmarks may run at the same time); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`)
  log(`Range: ${from} to ${to}`)
  log('')
  log(`${'what'.padEnd(52)} ${'rows'.padStart(8)} ${'scan ms'.padStart(8)} ${'report ms'.padStart(10)} ${'× scan'.padStart(7)} ${'≤ 3×'.padStart(7)} ${'page ms'.padStart(8)} ${'< 1 s'.padStart(7)} ${'page kB'.padStart(8)}`)
  for (const r of rows) {
    const ratio = r.reportMs / r.baselineMs
    log(
      `${r.what.padEnd(52)} ${fmt(r.rows).padStart(8)} ${fmt(r.baselineMs, 1).padStart(8)} ${fmt(r.reportMs, 1).padStart(10)} ${ratio.toFixed(1).padStart(7)} ${verdict(ratio <= RATIO_TARGET).padStart(7)} ${fmt(r.pageMs, 0).padStart(8)} ${verdict(r.pageMs < PAGE_TARGET_MS).padStart(7)} ${fmt(r.pageBytes / 1024, 1).padStart(8)}`,
    )
  }
  log('')
  log('Where the time goes, each read alone:')
  for (const r of rows) log(`  ${r.what}: ${r.breakdown}`)
  log('')
  log('(rows: assignment rows of the scope and range, all states; scan: one query summing their hours; report: the service call the page makes; page: GET through app.inject, signed in, brotli)')
}

await main()
