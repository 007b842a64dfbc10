// The targets of issue 15 ("Performance, restated") for `npm run bench:web`: each judged against a figure measured in the same run, and printed as met or missed.

/** Which run a figure comes from. */
export type RunKind = 'healthz' | 'page' | 'book-htmx' | 'book-plain' | 'page-rate' | 'book-rate'

export interface Measured {
  name: string
  kind: RunKind | 'hello'
  /** Inside the server, from the request event to the answer: p50 and p99, ms (the worse instance's, with two). */
  server?: { p50: number; p99: number }
  /** How late a 10 ms timer fired in the server: p50, p99 and the longest, ms (the event loop busy at a stretch). */
  loopLag?: { p50: number; p99: number; max: number }
  rps: number
  p50: number
  p99: number
  /** The same after the first second: the opening burst of new connections left out. */
  steadyP50: number
  steadyP99: number
  max: number
  statuses: Record<string, number>
  errors: number
}

/** One database setup measured: SQLite, PostgreSQL with one app instance, PostgreSQL with two. */
export interface Suite {
  label: string
  results: Measured[]
  /** Requests repeated earlier bookings (the plan ran out): those answer "already booked" without writing. */
  ranOut: boolean
}

export const TARGETS = Object.freeze({
  /** The find page's capacity, as a share of /healthz's. */
  pageShare: 0.15,
  /** The bookings' capacity, as a share of /healthz's. */
  bookingShare: 0.12,
  /** Arrival rate of the latency runs (autocannon's overallRate), requests a second. */
  rate: 200,
  /** p99 at that rate, ms. */
  p99: 20,
  /** The event loop's longest stall during the booking run at that rate, ms. */
  stall: 10,
  /** The find page's server-side p50 at 4× the country, as a multiple of its p50 at 1×. */
  growth: 1.2,
})

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '—'
  return n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

export function find(suite: Suite, kind: RunKind): Measured | undefined {
  return suite.results.find((r) => r.kind === kind)
}

/** Requests per second as a share of the same suite's /healthz. */
export function share(suite: Suite, kind: RunKind): number {
  const floor = find(suite, 'healthz')
  const run = find(suite, kind)
  return floor && run ? run.rps / floor.rps : NaN
}

/** The lines saying which targets one suite met, with the figures. */
export function targetLines(suite: Suite): string[] {
  const lines: string[] = []
  const floor = find(suite, 'healthz')
  const page = find(suite, 'page')
  const htmx = find(suite, 'book-htmx')
  const plain = find(suite, 'book-plain')
  const pageRate = find(suite, 'page-rate')
  const bookRate = find(suite, 'book-rate')
  if (floor && page) {
    const s = share(suite, 'page')
    lines.push(`find sessions page ≥ ${TARGETS.pageShare}× /healthz: ${s.toFixed(3)}× (${fmt(page.rps)} / ${fmt(floor.rps)} req/s) → ${verdict(s >= TARGETS.pageShare)}`)
  }
  if (floor && htmx && plain) {
    const a = share(suite, 'book-htmx')
    const b = share(suite, 'book-plain')
    lines.push(
      `bookings ≥ ${TARGETS.bookingShare}× /healthz: htmx ${a.toFixed(3)}× (${fmt(htmx.rps)} req/s), without JavaScript ${b.toFixed(3)}× (${fmt(plain.rps)} req/s) → ${verdict(a >= TARGETS.bookingShare && b >= TARGETS.bookingShare)}${suite.ranOut ? ' (NOT VALID: the booking plan ran out)' : ''}`,
    )
  }
  for (const [what, run] of [
    ['find sessions page', pageRate],
    ['bookings (htmx)', bookRate],
  ] as const) {
    if (!run) continue
    lines.push(
      `${what} p99 < ${TARGETS.p99} ms at ${TARGETS.rate} req/s: ${fmt(run.p99, 1)} ms (p50 ${fmt(run.p50, 1)} ms, after the first second p99 ${fmt(run.steadyP99, 1)} ms; ${fmt(run.rps)} req/s answered${run.rps < TARGETS.rate * 0.95 ? ': BELOW THE RATE, so its capacity is under it and requests queued' : ''}) → ${verdict(run.p99 < TARGETS.p99 && run.rps >= TARGETS.rate * 0.95)}`,
    )
  }
  if (bookRate?.loopLag) {
    const atLoad = [htmx, plain].filter((r) => r?.loopLag).map((r) => fmt(r!.loopLag!.max, 1))
    lines.push(
      `event loop never blocked > ${TARGETS.stall} ms during the booking run at ${TARGETS.rate} req/s: longest ${fmt(bookRate.loopLag.max, 1)} ms (p99 ${fmt(bookRate.loopLag.p99, 1)} ms) → ${verdict(bookRate.loopLag.max <= TARGETS.stall)}` +
        (atLoad.length ? `  [at full load, where the loop is never idle: longest ${atLoad.join(' / ')} ms]` : ''),
    )
  }
  return lines
}

/** PostgreSQL beside SQLite: one column per suite. */
export function sideBySide(suites: Suite[]): string[] {
  const rows: Array<[string, (s: Suite) => string]> = [
    ['/healthz, req/s', (s) => fmt(find(s, 'healthz')?.rps ?? NaN)],
    ['find sessions page, req/s (× /healthz)', (s) => `${fmt(find(s, 'page')?.rps ?? NaN)} (${share(s, 'page').toFixed(3)})`],
    ['bookings htmx, req/s (× /healthz)', (s) => `${fmt(find(s, 'book-htmx')?.rps ?? NaN)} (${share(s, 'book-htmx').toFixed(3)})`],
    ['bookings without JS, req/s (× /healthz)', (s) => `${fmt(find(s, 'book-plain')?.rps ?? NaN)} (${share(s, 'book-plain').toFixed(3)})`],
    ['page server-side p50 / p99, ms', (s) => `${fmt(find(s, 'page')?.server?.p50 ?? NaN, 2)} / ${fmt(find(s, 'page')?.server?.p99 ?? NaN, 2)}`],
    ['booking server-side p50 / p99, ms', (s) => `${fmt(find(s, 'book-htmx')?.server?.p50 ?? NaN, 2)} / ${fmt(find(s, 'book-htmx')?.server?.p99 ?? NaN, 2)}`],
    [`page p99 at ${TARGETS.rate} req/s, ms`, (s) => fmt(find(s, 'page-rate')?.p99 ?? NaN, 1)],
    [`bookings p99 at ${TARGETS.rate} req/s, ms`, (s) => fmt(find(s, 'book-rate')?.p99 ?? NaN, 1)],
    [`longest loop stall, bookings at ${TARGETS.rate}/s, ms`, (s) => fmt(find(s, 'book-rate')?.loopLag?.max ?? NaN, 1)],
  ]
  const width = 44
  const col = 22
  const out = [`${''.padEnd(width)}${suites.map((s) => s.label.padStart(col)).join('')}`]
  for (const [label, value] of rows) out.push(`${label.padEnd(width)}${suites.map((s) => value(s).padStart(col)).join('')}`)
  return out
}

/** The growth target: the find page's server-side time (p50, at the fixed rate) at 4× the country against 1×. */
export function growthLine(one: Suite, scaled: Suite, factor: number): string {
  const a = find(one, 'page-rate')?.server?.p50 ?? NaN
  const b = find(scaled, 'page-rate')?.server?.p50 ?? NaN
  const p99a = find(one, 'page-rate')?.server?.p99 ?? NaN
  const p99b = find(scaled, 'page-rate')?.server?.p99 ?? NaN
  const ratio = b / a
  return `find sessions page's server-side time at ${factor}× the country ≤ ${TARGETS.growth}× its time at 1× (p50 at ${TARGETS.rate} req/s, same volunteers): ${fmt(b, 2)} / ${fmt(a, 2)} ms = ${ratio.toFixed(2)}× (p99 ${fmt(p99b, 2)} / ${fmt(p99a, 2)} ms; capacity ${fmt(find(scaled, 'page')?.rps ?? NaN)} / ${fmt(find(one, 'page')?.rps ?? NaN)} req/s) → ${verdict(ratio <= TARGETS.growth)}`
}
