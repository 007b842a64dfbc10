// `npm run bench:startup`: how long `node dist/src/server.js` takes to answer /healthz on an empty database (migrate + seed) and on a full one.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

async function startOnce(dbFile: string, port: number): Promise<{ ms: number; reported: string }> {
  const started = performance.now()
  const child = spawn(process.execPath, ['dist/src/server.js'], {
    env: { ...process.env, DATABASE_URL: dbFile, PORT: String(port), NODE_ENV: 'development', LOG_LEVEL: 'warn', RUN_WORKER: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`)
        if (res.ok) break
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 20_000) throw new Error('server did not start in 20 s')
      await new Promise((r) => setTimeout(r, 5))
    }
    const ms = performance.now() - started
    return { ms, reported: /started in (\d+ ms)/.exec(out)?.[1] ?? '?' }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rota-startup-'))
const dbFile = path.join(dir, 'rota.sqlite')
const port = 3900 + Math.floor(Math.random() * 50)
const empty = await startOnce(dbFile, port)
const full: number[] = []
for (let i = 0; i < 3; i++) full.push((await startOnce(dbFile, port)).ms)
fs.rmSync(dir, { recursive: true, force: true })
console.log(`Startup to a healthy /healthz, including Node's own start (SQLite):`)
console.log(`  empty database (migrate + seed demo): ${empty.ms.toFixed(0)} ms (app reported ${empty.reported})`)
console.log(`  full database, 3 runs: ${full.map((m) => m.toFixed(0)).join(', ')} ms`)
