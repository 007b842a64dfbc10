// `npm test`: runs every compiled test file (dist/tests/**/*.test.js, built by the pretest step) with
// plain `node`, three at a time, and fails when any file fails. Usage: run-tests.mjs [files…]
//
// The files are tap tests: each is a program that prints TAP and exits non-zero when an assertion
// fails. tap's own runner starts every file with two module hooks of its own (@tapjs/processinfo
// for coverage, @tapjs/mock), which on Node 20 run in a worker thread and see each of the ~700
// modules the app loads: that tripled the CPU a test file needs before its first test (health
// check: 3.4 s → 9.4 s), across about a hundred files on each database. This runner adds nothing:
//   - a file's output is printed whole when it fails (or with ROTA_TEST_VERBOSE=1), else one line;
//   - a file that runs past its time (TAP_TIMEOUT, 180 s) is killed with everything it started, and fails;
//   - the longest files of the last run start first (their times are kept in node_modules/.cache),
//     so a long file does not start last and hold up the end of the run.
// To run one TypeScript file through tap and tsx while working: `npm run test:file -- tests/x.test.ts`.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const testsDir = path.join(root, 'dist', 'tests')
const timesFile = path.join(root, 'node_modules', '.cache', 'rota-test-times.json')
const jobs = Math.max(1, Number(process.env.TEST_JOBS) || 3)
const timeoutSeconds = Number(process.env.TAP_TIMEOUT) || 180
const verbose = process.env.ROTA_TEST_VERBOSE === '1'

function walk(dir) {
  const out = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      // The browser tests run on their own (`npm run test:browser`); helpers are not tests.
      if (entry.name !== 'browser' && entry.name !== 'helpers') out.push(...walk(full))
    } else if (entry.name.endsWith('.test.js')) out.push(full)
  }
  return out
}

/** The source a compiled file came from, as people know it (tests/x/y.test.ts). */
const label = (file) => path.relative(path.join(root, 'dist'), file).replace(/\.js$/, '.ts')

let lastTimes = {}
try {
  lastTimes = JSON.parse(fs.readFileSync(timesFile, 'utf8'))
} catch {
  // first run: alphabetical order
}

const named = process.argv.slice(2).map((f) => path.resolve(f))
if (!fs.existsSync(testsDir) && !named.length) {
  console.error('No compiled tests in dist/tests: run `npm test` (its pretest step builds them).')
  process.exit(1)
}
const files = (named.length ? named : walk(testsDir).sort()).sort((a, b) => (lastTimes[label(b)] ?? 0) - (lastTimes[label(a)] ?? 0))

const started = Date.now()
const times = { ...lastTimes }
const totals = { pass: 0, fail: 0, skip: 0, todo: 0 }
const failed = []
let next = 0
let finished = 0
const running = new Set()

// Interrupted (Ctrl-C, CI's end): the files' own process groups do not hear it, so end them here.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    process.exit(130)
  })
}

function counts(output) {
  // tap's last line: # { total: 5, pass: 5 } (fail, skip, todo when there are any)
  const m = output.match(/^# \{ total: (\d+)(.*)\}\s*$/m)
  const found = { total: m ? Number(m[1]) : 0, pass: 0, fail: 0, skip: 0, todo: 0 }
  if (m) for (const [, key, n] of m[2].matchAll(/(\w+): (\d+)/g)) found[key] = Number(n)
  return found
}

function runOne(file) {
  return new Promise((resolve) => {
    const began = Date.now()
    const child = spawn(process.execPath, ['--enable-source-maps', file], {
      cwd: root,
      env: { ...process.env, TAP_TIMEOUT: String(timeoutSeconds) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a timeout kills the servers and workers it started as well.
      detached: true,
    })
    running.add(child.pid)
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }, (timeoutSeconds + 30) * 1000)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      running.delete(child.pid)
      const seconds = (Date.now() - began) / 1000
      times[label(file)] = seconds
      const c = counts(output)
      // A file that ends without tap's summary (a crash before its end) fails even with exit 0.
      const ok = code === 0 && !timedOut && /^# \{ total: /m.test(output)
      for (const key of Object.keys(totals)) totals[key] += c[key] ?? 0
      finished += 1
      const why = timedOut ? ` — killed after ${timeoutSeconds + 30} s` : code !== 0 ? ` — exit ${code ?? signal}` : ok ? '' : ' — ended without a summary'
      console.log(`${ok ? 'ok' : 'not ok'} ${finished} - ${label(file)} # ${seconds.toFixed(1)} s, ${c.total} assertions${why}`)
      if (!ok || verbose) console.log(output.replace(/^/gm, '    '))
      if (!ok) failed.push(label(file))
      resolve()
    })
  })
}

async function worker() {
  while (next < files.length) await runOne(files[next++])
}

console.log(`TAP version 14\n1..${files.length}`)
await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker))
fs.mkdirSync(path.dirname(timesFile), { recursive: true })
fs.writeFileSync(timesFile, JSON.stringify(times, null, 1))
const seconds = ((Date.now() - started) / 1000).toFixed(1)
console.log(`# ${files.length} files, ${jobs} at a time, in ${seconds} s`)
console.log(`# { total: ${totals.pass + totals.fail + totals.skip + totals.todo}, pass: ${totals.pass}, fail: ${totals.fail}, skip: ${totals.skip}, todo: ${totals.todo} }`)
if (failed.length) {
  console.log(`# failed:\n${failed.map((f) => `#   ${f}`).join('\n')}`)
  process.exit(1)
}
