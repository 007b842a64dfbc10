// `npm run bench:mail`: feed render times (200 and 2,000 events) and outbox throughput to a local SMTP peer, each against a baseline from the same run.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SMTPServer } from 'smtp-server'
import ical from 'ical-generator'
import { getVtimezoneComponent } from '@touch4it/ical-timezones'
import { DateTime } from 'luxon'
import { buildFeed, type CalendarEvent } from '../calendar/ics.js'
import { branchSessionEvent, volunteerEvent, type SessionFacts } from '../calendar/session-event.js'
import { openDatabase } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'
import { inTransaction } from '../db/transaction.js'
import { enqueueEmail } from '../mail/outbox.repository.js'
import { createSmtpTransport } from '../mail/transport.js'
import { OutboxWorker } from '../jobs/outbox-worker.js'
import { buildApp } from '../app.js'
import { loadConfig } from '../config.js'
import { feedTokenHash, newFeedToken, sealFeedToken } from '../feeds/feed-token.js'
import { insertFeedToken } from '../feeds/feeds.repository.js'
import { localToInstant } from '../time/wall-clock.js'
import { insertConfirmedSession, insertServiceWithVolunteer } from './mail.repository.js'

const service = { baseUrl: 'https://rota.example.org', organizer: { name: 'Champion Rota', email: 'rota@example.org' } }
const BRANCHES = ['Central Library', 'North Library', 'Riverside Library', 'Old Town Library']

function facts(i: number): SessionFacts {
  const day = DateTime.fromISO('2026-12-01', { zone: 'UTC' }).plus({ days: Math.floor(i / 3) })
  const start = ['10:00', '13:30', '17:00'][i % 3]!
  const end = ['12:00', '15:30', '19:00'][i % 3]!
  return {
    sessionId: 1000 + i,
    title: ['Digital help drop-in', 'NHS App and health', 'Online safety and scams'][i % 3]!,
    notes: 'Bring your badge. Tea and coffee in the staff room.',
    localDate: day.toISODate()!,
    startTime: start,
    endTime: end,
    timezone: 'Europe/London',
    branchName: BRANCHES[i % BRANCHES.length]!,
    branchAddress: `${i % 90} High Street, Testtown`,
    branchPostcode: 'TT1 1AA',
    arrivalNotes: 'Ask at the front desk; the room is on the first floor, lift on the left.',
  }
}

const volunteerEvents: CalendarEvent[] = Array.from({ length: 200 }, (_, i) =>
  volunteerEvent(service, facts(i), { volunteerId: 42, sequence: 1 + (i % 4), stampMs: Date.parse('2026-11-20T12:00:00Z') + i * 1000, cancelled: i % 25 === 0 }),
)
const branchEvents: CalendarEvent[] = Array.from({ length: 2000 }, (_, i) =>
  branchSessionEvent(service, { ...facts(i), min: 2, max: 3, confirmed: i % 4, cancelled: i % 50 === 0, volunteerNames: ['Ann Example', 'Bob Example', 'Chidi Okafor'].slice(0, i % 4), stampMs: Date.parse('2026-11-20T12:00:00Z') + i, sequence: i % 3 }),
)

/** The straightforward way with ical-generator alone (whole calendar, Luxon dates, its own folding): the baseline. */
function naiveFeed(name: string, events: readonly CalendarEvent[]): string {
  const cal = ical({ prodId: '-//Champion Rota//Champion Rota//EN', name, ttl: 3600, timezone: { name: null, generator: getVtimezoneComponent } })
  for (const e of events) {
    cal.createEvent({
      id: e.uid,
      sequence: e.sequence,
      start: DateTime.fromISO(`${e.localDate}T${e.startTime}`, { zone: e.timezone }),
      end: DateTime.fromISO(`${e.localDate}T${e.endTime}`, { zone: e.timezone }),
      timezone: e.timezone,
      stamp: new Date(e.stampMs),
      summary: e.summary,
      description: e.description,
      location: e.location,
      url: e.url,
      organizer: e.organizer,
    })
  }
  return cal.toString()
}

function timeIt(fn: () => unknown, minRuns: number, minMs: number): { median: number; p95: number; runs: number } {
  for (let i = 0; i < 5; i++) fn()
  const samples: number[] = []
  const until = performance.now() + minMs
  while (samples.length < minRuns || performance.now() < until) {
    const t0 = performance.now()
    fn()
    samples.push(performance.now() - t0)
  }
  samples.sort((a, b) => a - b)
  return { median: samples[Math.floor(samples.length / 2)]!, p95: samples[Math.floor(samples.length * 0.95)]!, runs: samples.length }
}

const ms = (n: number) => `${n.toFixed(2)} ms`

async function smtpPeer(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let count = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {})
      stream.on('end', () => {
        count++
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.server.address() as { port: number }).port
  return { url: `smtp://127.0.0.1:${port}`, received: () => count, close: () => new Promise((r) => server.close(() => r())) }
}

async function outboxThroughput(count: number, pool: boolean): Promise<{ perSecond: number; seconds: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rota-bench-'))
  const handle = openDatabase({ kind: 'sqlite', file: path.join(dir, 'bench.sqlite') })
  const peer = await smtpPeer()
  try {
    await migrateToLatest(handle.db)
    const html = `<p>Hello,</p><p>${'A reminder about your session. '.repeat(20)}</p>`
    await inTransaction(handle.db, async (tx) => {
      for (let i = 0; i < count; i++) {
        await enqueueEmail(tx, { dedupeKey: `bench:${i}`, kind: 'reminder', to: { address: `v${i}@example.org`, name: `Volunteer ${i}` }, subject: `Reminder ${i}`, text: html.replace(/<[^>]+>/g, ''), html }, Date.now())
      }
    })
    const transport = createSmtpTransport(peer.url, { pool })
    const worker = new OutboxWorker({ db: handle.db, dialect: handle.dialect, transport, from: { name: 'Champion Rota', address: 'rota@example.org' }, now: () => Date.now() })
    const t0 = performance.now()
    const result = await worker.drain()
    const seconds = (performance.now() - t0) / 1000
    await transport.close()
    if (result.sent !== count || peer.received() !== count) throw new Error(`sent ${result.sent}, received ${peer.received()}, expected ${count}`)
    return { perSecond: count / seconds, seconds }
  } finally {
    await peer.close()
    await handle.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** The whole request: GET /feeds/<token>.ics for a volunteer with 200 places, through the app on SQLite. */
async function feedRequest(): Promise<{ full: { median: number; p95: number }; notModified: { median: number; p95: number } }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rota-bench-'))
  const config = Object.freeze({ ...loadConfig({ NODE_ENV: 'test', BASE_URL: service.baseUrl }), database: { kind: 'sqlite' as const, file: path.join(dir, 'bench.sqlite') } })
  const now = Date.parse('2026-11-30T09:00:00Z')
  const app = await buildApp(config, { clock: { now: () => now }, logger: false })
  try {
    const token = newFeedToken()
    await inTransaction(app.db, async (tx) => {
      const { branchId, personId, volunteerId } = await insertServiceWithVolunteer(tx, { service: 'Bench', slug: 'bench', branch: 'Central Library', email: 'ann@example.org', person: 'Ann Example' })
      for (let i = 0; i < 200; i++) {
        const f = facts(i)
        await insertConfirmedSession(
          tx,
          { branch_id: branchId, series_id: null, title: f.title, kind: 'drop_in', local_date: f.localDate, start_time: f.startTime, end_time: f.endTime, starts_at: localToInstant(f.localDate, f.startTime, f.timezone), ends_at: localToInstant(f.localDate, f.endTime, f.timezone), min_volunteers: 1, max_volunteers: 3, notes: f.notes, confirmed_count: 1, created_at: 0, updated_at: 0 },
          volunteerId,
        )
      }
      await insertFeedToken(tx, { tokenHash: feedTokenHash(token), tokenSealed: sealFeedToken(config.sessionSecret, token), personId, volunteerId, branchId: null, now: 0 })
    })
    const url = `/feeds/${token}.ics`
    const first = await app.inject(url)
    if (first.statusCode !== 200 || (first.body.match(/BEGIN:VEVENT/g) ?? []).length !== 200) throw new Error('the feed did not have 200 events')
    const etag = String(first.headers.etag)
    const times = async (headers: Record<string, string>) => {
      const samples: number[] = []
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now()
        await app.inject({ url, headers })
        samples.push(performance.now() - t0)
      }
      samples.sort((a, b) => a - b)
      return { median: samples[100]!, p95: samples[190]! }
    }
    return { full: await times({}), notModified: await times({ 'if-none-match': etag }) }
  } finally {
    await app.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

console.log(`Champion Rota mail benchmark (Node ${process.version}, ${os.cpus().length} CPUs, TZ=${Intl.DateTimeFormat().resolvedOptions().timeZone})\n`)

const volunteer = timeIt(() => buildFeed('Champion Rota - Ann Example', volunteerEvents), 200, 2000)
const volunteerNaive = timeIt(() => naiveFeed('Champion Rota - Ann Example', volunteerEvents), 20, 1000)
const branch = timeIt(() => buildFeed('Champion Rota - Central Library sessions', branchEvents), 20, 2000)
const branchNaive = timeIt(() => naiveFeed('Champion Rota - Central Library sessions', branchEvents), 5, 1000)
const size = (events: CalendarEvent[]) => `${Math.round(buildFeed('x', events).length / 1024)} KiB`

console.log('Feed rendering (src/calendar/ics.ts buildFeed; median of repeated runs)')
console.log(`  volunteer feed,   200 events: ${ms(volunteer.median)} (p95 ${ms(volunteer.p95)}, ${volunteer.runs} runs, ${size(volunteerEvents)})  target < 5 ms: ${volunteer.median < 5 ? 'met' : 'MISSED'}`)
console.log(`  branch feed,    2,000 events: ${ms(branch.median)} (p95 ${ms(branch.p95)}, ${branch.runs} runs, ${size(branchEvents)})`)
console.log(`  baseline, ical-generator alone (Luxon dates, its folding): ${ms(volunteerNaive.median)} and ${ms(branchNaive.median)}`)
console.log(`  ratio: ${(volunteerNaive.median / volunteer.median).toFixed(1)}x and ${(branchNaive.median / branch.median).toFixed(1)}x faster than the baseline\n`)

const request = await feedRequest()
console.log('The whole feed request (app.inject, SQLite, 200 places: query, render, ETag)')
console.log(`  200 OK: ${ms(request.full.median)} (p95 ${ms(request.full.p95)});  304 Not Modified: ${ms(request.notModified.median)} (p95 ${ms(request.notModified.p95)})\n`)

const pooled = await outboxThroughput(3000, true)
const single = await outboxThroughput(600, false)
console.log('Outbox to a local smtp-server peer (SQLite outbox, OutboxWorker, nodemailer)')
console.log(`  pooled transport (5 connections): ${pooled.perSecond.toFixed(0)} messages/s (3,000 in ${pooled.seconds.toFixed(2)} s)  target >= 300/s: ${pooled.perSecond >= 300 ? 'met' : 'MISSED'}`)
console.log(`  baseline, one connection per message: ${single.perSecond.toFixed(0)} messages/s (600 in ${single.seconds.toFixed(2)} s)`)
console.log(`  ratio: ${(pooled.perSecond / single.perSecond).toFixed(1)}x`)
