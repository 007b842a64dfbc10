// A fixed arrival rate for `npm run bench:web`: one request every 1000/rate ms, open loop, whatever the answers are doing.
//
// autocannon's overallRate is not that: each connection sends its share of a second's requests
// back to back as soon as the second starts, then waits for the next one (and all connections'
// seconds start together), so 200 req/s arrives as a burst of 200 every second; and it adds
// made-up samples to its histogram for coordinated omission. Here requests leave on schedule
// over kept-alive connections (up to 50 open, as many as are busy), and each latency runs from
// sending the request to the end of its answer.
import http from 'node:http'

export interface PacedRequest {
  method: string
  path: string
  headers: Record<string, string>
  body?: string
}

export interface PacedResult {
  latencies: number[]
  /** Latencies of requests sent after the first second (the connections open). */
  steady: number[]
  statuses: Record<string, number>
  errors: number
  rps: number
  /** How late, at worst, a request left against its schedule (the load generator's own lag), ms. */
  sendLag: number
}

export async function paced(base: string, rate: number, seconds: number, next: () => PacedRequest): Promise<PacedResult> {
  const url = new URL(base)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 })
  const total = Math.round(rate * seconds)
  const interval = 1000 / rate
  const latencies: number[] = []
  const steady: number[] = []
  const statuses: Record<string, number> = {}
  let errors = 0
  let sent = 0
  let sendLag = 0
  let pending = 0
  const started = performance.now()
  await new Promise<void>((resolve) => {
    const send = () => {
      const request = next()
      const at = performance.now()
      pending++
      const req = http.request({ host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent }, (res) => {
        res.on('data', () => {})
        res.on('end', () => {
          const ms = performance.now() - at
          latencies.push(ms)
          if (at - started >= 1000) steady.push(ms)
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1
          if (--pending === 0 && sent >= total) resolve()
        })
      })
      req.on('error', () => {
        errors++
        if (--pending === 0 && sent >= total) resolve()
      })
      req.end(request.body)
    }
    const tick = () => {
      const now = performance.now()
      while (sent < total && started + sent * interval <= now) {
        sendLag = Math.max(sendLag, now - (started + sent * interval))
        sent++
        send()
      }
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * interval - performance.now()))
    }
    tick()
  })
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  steady.sort((a, b) => a - b)
  return { latencies, steady, statuses, errors, rps: latencies.length / elapsed, sendLag }
}
