// The exit deadline of a graceful stop, kept by a thread of its own so that nothing on the main thread can hold it up.
import { Worker } from 'node:worker_threads'

export const EXIT_DEADLINE_MS = 15_000

// CommonJS evaluated from a string: it runs the same under tsx (tests) and from dist/.
const WATCHDOG = `
const { workerData } = require('node:worker_threads')
setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms)
`

/**
 * Arms the deadline: on the main thread, a timer that exits with status 1 a second early; on a
 * worker thread, SIGKILL at the deadline itself, for when the main thread is stuck (a synchronous
 * wait, as pino's synchronous writer did on a full pipe) and its timers cannot fire.
 */
export function armExitDeadline(ms = EXIT_DEADLINE_MS, onLate: () => void = () => {}): void {
  setTimeout(() => {
    onLate()
    process.exit(1)
  }, Math.max(0, ms - 1000)).unref()
  try {
    // No execArgv: a loader the process was started with (tsx, in tests) would wait on the stuck main thread.
    new Worker(WATCHDOG, { eval: true, execArgv: [], workerData: { pid: process.pid, ms } }).unref()
  } catch {
    // No thread to be had: the main thread's timer is still there.
  }
}
