// Where the log goes: stdout, written without ever blocking, through a bounded buffer that drops (and counts) when nobody reads.
//
// pino's default destination writes synchronously and, when the pipe is full, sleeps the main
// thread (Atomics.wait) until it can write: a server whose log nobody reads stops answering and
// cannot even be stopped (issue 15, defect 10). process.stdout on a pipe or a socket is
// asynchronous on POSIX, but it buffers without limit. So each line goes to it only while less
// than `limitBytes` is waiting; past that the line is dropped and counted, and once the reader
// catches up one line says how many were lost. A log must never cost the service its answers.

export interface LogSink {
  write(chunk: string): boolean
  readonly writableLength: number
  once(event: 'drain', listener: () => void): unknown
  on(event: 'error', listener: (err: Error) => void): unknown
}

/** 4 MiB: minutes of ordinary request logging, far more than a reader that is merely slow falls behind. */
export const DEFAULT_LIMIT_BYTES = 4 * 1024 * 1024

export class BoundedLogDestination {
  /** Lines dropped since the process started. */
  dropped = 0
  #unreported = 0
  #waiting = false
  #broken = false
  readonly #sink: LogSink
  readonly #limit: number

  constructor(sink: LogSink, limitBytes = DEFAULT_LIMIT_BYTES) {
    this.#sink = sink
    this.#limit = limitBytes
    // A reader that went away (EPIPE) must not crash the process: the log is lost, the service goes on.
    sink.on('error', () => {
      this.#broken = true
    })
  }

  /** pino calls this with one serialised line; it always returns at once. */
  write(line: string): boolean {
    if (this.#broken || this.#sink.writableLength + line.length > this.#limit) {
      this.dropped++
      this.#unreported++
      this.#reportWhenDrained()
      return true
    }
    if (!this.#sink.write(line)) this.#reportWhenDrained()
    return true
  }

  #reportWhenDrained(): void {
    if (this.#waiting || this.#broken) return
    this.#waiting = true
    this.#sink.once('drain', () => {
      this.#waiting = false
      if (this.#unreported === 0) return
      const count = this.#unreported
      this.#unreported = 0
      // In pino's own shape (level 40 = warn), so log tooling reads it like any other line.
      this.write(`${JSON.stringify({ level: 40, time: Date.now(), pid: process.pid, msg: 'log lines dropped: nobody was reading the log', dropped: count, droppedTotal: this.dropped })}\n`)
    })
  }
}

let stdoutDestination: BoundedLogDestination | undefined

/** The process's one log destination on stdout. */
export function stdoutLog(): BoundedLogDestination {
  stdoutDestination ??= new BoundedLogDestination(process.stdout)
  return stdoutDestination
}
