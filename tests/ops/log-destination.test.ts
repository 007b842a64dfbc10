// The log destination drops and counts lines while its reader stalls, says so once it catches up; the exit deadline holds on a stuck thread.
import t from 'tap'
import { EventEmitter } from 'node:events'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { BoundedLogDestination } from '../../src/logging/destination.js'
import { root } from './server-process.js'
import { compiled, entryFile } from '../helpers/paths.js'

/** A sink whose reader has stopped: it accepts writes into its buffer and never drains until told. */
class StalledSink extends EventEmitter {
  written: string[] = []
  writableLength = 0
  write(chunk: string): boolean {
    this.written.push(chunk)
    this.writableLength += chunk.length
    return this.writableLength < 100
  }
  drainAll(): void {
    this.writableLength = 0
    this.emit('drain')
  }
}

t.test('past the limit lines are dropped and counted, never queued; one line reports them when the reader catches up', async (t) => {
  const sink = new StalledSink()
  const log = new BoundedLogDestination(sink, 1000)
  const line = `${'x'.repeat(99)}\n`
  const answers = Array.from({ length: 50 }, () => log.write(line))
  t.ok(answers.every((a) => a === true), 'every write returns at once, as if written')
  t.equal(sink.written.length, 10, 'only what fits in the bound reached the sink')
  t.equal(log.dropped, 40, 'the rest are counted as dropped')
  t.ok(sink.writableLength <= 1000, 'the buffer never grows past its bound')
  sink.drainAll()
  const report = JSON.parse(sink.written.at(-1)!)
  t.match(report, { level: 40, dropped: 40, droppedTotal: 40 }, 'a warning line says how many were lost')
  log.write(line)
  t.equal(sink.written.at(-1), line, 'logging goes on as before')
})

t.test('a sink that broke (EPIPE) drops quietly instead of throwing', async (t) => {
  const sink = new StalledSink()
  const log = new BoundedLogDestination(sink, 1000)
  sink.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))
  t.equal(log.write('line\n'), true)
  t.equal(sink.written.length, 0)
  t.equal(log.dropped, 1)
})

t.test('the exit deadline kills a process whose main thread is stuck (its own timers cannot fire)', async (t) => {
  const script = `
    import { armExitDeadline } from ${JSON.stringify(entryFile('src/shutdown.ts'))}
    armExitDeadline(1500)
    console.log('armed')
    setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 200)
  `
  const started = Date.now()
  const child = spawn(process.execPath, [...(compiled ? [] : ['--import=tsx']), '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  const ended = await Promise.race([
    new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(String(code ?? signal)))),
    new Promise<string>((resolve) => setTimeout(() => resolve('alive'), 10_000)),
  ])
  if (ended === 'alive') child.kill('SIGKILL')
  t.equal(ended, 'SIGKILL', `killed at the deadline (after ${Date.now() - started} ms)`)
})
