// Loaded into the app by `npm run bench:web` only (node --import): how long the server itself takes over each request.
//
// Autocannon's latency runs from sending a request to reading its answer, so it includes the
// time the request waits in the socket for the event loop to come round to it. This measures the
// other part, from Node's 'request' event to the answer's 'finish', and how late a 10 ms timer
// fires (how long the loop is busy at a stretch). GET /__bench/timing answers the figures since
// the last time it was asked, and starts again; the app never sees that request.
import http from 'node:http'

let handled: number[] = []
let lag: number[] = []
let last = performance.now()
setInterval(() => {
  const now = performance.now()
  lag.push(now - last - 10)
  last = now
}, 10).unref()

function percentiles(values: number[]): { p50: number; p99: number; max: number; count: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1] ?? 0, count: sorted.length }
}

const emit = http.Server.prototype.emit
http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]): boolean {
  if (event === 'request') {
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse]
    if (req.url === '/__bench/timing') {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ handled: percentiles(handled), loopLag: percentiles(lag) }))
      handled = []
      lag = []
      return true
    }
    const started = performance.now()
    res.once('finish', () => handled.push(performance.now() - started))
  }
  return (emit as (this: http.Server, event: string, ...rest: unknown[]) => boolean).apply(this, [event, ...args])
} as typeof http.Server.prototype.emit
