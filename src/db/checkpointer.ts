// Copies SQLite's write-ahead log back into the database file on a worker thread, off the event loop.
//
// In WAL mode every commit appends pages to the -wal file, and by default the commit that takes
// it past 1,000 pages also copies them into the database and fsyncs both ("checkpoints"): about
// 7 ms with the event loop stopped, once every 60 or so bookings, two thirds of what committing
// cost in `npm run bench:web`. SQLite's documentation offers the alternative used here: turn the
// automatic checkpoint down to a backstop and run PASSIVE checkpoints from another connection on
// another thread. A PASSIVE checkpoint never blocks readers or writers; it copies what it can,
// and the next commit after a complete one starts the log again from its beginning. The thread
// starts only once the log has grown (so short-lived databases, like the tests', never start one),
// and if it fails the automatic checkpoint comes back at SQLite's default.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * Pages the log may reach before a commit checkpoints by itself, while the thread runs. Under
 * steady writing the thread's checkpoints copy nearly everything but seldom finish between two
 * commits, and only a finished one lets the log start again from its beginning; so the log grows
 * to this backstop, where the commit's own checkpoint finds most pages already copied (cheap).
 */
export const BACKSTOP_PAGES = 10_000
/** SQLite's own default, restored if the thread cannot run. */
export const DEFAULT_PAGES = 1_000
/** The thread starts when the log passes this size, and checkpoints whenever it has frames to copy. */
export const START_BYTES = 1024 * 1024
const INTERVAL_MS = 100

// The worker is CommonJS evaluated from this string: it runs the same under tsx (tests) and from dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('busy_timeout = 1000')
db.pragma('synchronous = NORMAL')
let stopping = false
function tick() {
  if (stopping) return
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)')
    if (r && r.log > 0) parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed })
  } catch (err) {
    // Busy (another checkpoint ran): try again next time. Anything else is reported.
    if (!/busy|locked/i.test(String(err && err.message))) parentPort.postMessage({ error: String(err && err.message) })
  }
  setTimeout(tick, workerData.interval)
}
parentPort.on('message', (m) => {
  if (m === 'stop') {
    stopping = true
    db.close()
    parentPort.postMessage({ stopped: true })
  }
})
tick()
`

export interface CheckpointerEvents {
  /** A checkpoint copied `checkpointed` of the log's `log` frames. */
  onCheckpoint?: (log: number, checkpointed: number) => void
  onError?: (message: string) => void
}

export class Checkpointer {
  #worker: Worker | undefined
  #failed = false
  #checks = 0
  readonly #file: string
  readonly #setAutoCheckpoint: (pages: number) => void
  readonly #events: CheckpointerEvents

  constructor(file: string, setAutoCheckpoint: (pages: number) => void, events: CheckpointerEvents = {}) {
    this.#file = file
    this.#setAutoCheckpoint = setAutoCheckpoint
    this.#events = events
  }

  get running(): boolean {
    return this.#worker !== undefined
  }

  /** Called after each commit: every 32nd looks at the log's size and starts the thread when it has grown. */
  afterCommit(): void {
    if (this.#worker || this.#failed || ++this.#checks % 32 !== 0) return
    let size = 0
    try {
      size = fs.statSync(`${this.#file}-wal`).size
    } catch {
      return
    }
    if (size >= START_BYTES) this.start()
  }

  start(): void {
    if (this.#worker || this.#failed) return
    const require = createRequire(import.meta.url)
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.#file, driver: require.resolve('better-sqlite3'), interval: INTERVAL_MS } })
    worker.unref()
    worker.on('message', (m: { log?: number; checkpointed?: number; error?: string }) => {
      if (m.error) this.#events.onError?.(m.error)
      else if (m.log !== undefined) this.#events.onCheckpoint?.(m.log, m.checkpointed ?? 0)
    })
    worker.on('error', (err) => this.#fail(err.message))
    worker.on('exit', () => {
      if (this.#worker === worker) this.#fail('the checkpoint thread stopped')
    })
    this.#worker = worker
    this.#setAutoCheckpoint(BACKSTOP_PAGES)
  }

  #fail(message: string): void {
    this.#worker = undefined
    this.#failed = true
    this.#setAutoCheckpoint(DEFAULT_PAGES)
    this.#events.onError?.(message)
  }

  /** Closes the thread's connection (before the main one closes, so that closing can tidy the log away). */
  async stop(): Promise<void> {
    const worker = this.#worker
    if (!worker) return
    this.#worker = undefined
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 2000)
      worker.on('message', (m: { stopped?: boolean }) => {
        if (!m.stopped) return
        clearTimeout(timer)
        void worker.terminate().then(() => resolve())
      })
      worker.on('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      worker.postMessage('stop')
    })
  }
}
