// CI's check of the production build (.ci/prod-check.sh): runs the pruned tree as the image does and signs in over real SMTP.
//
// Usage: tsx tests/ops/prod-check.ts OUT (the directory .ci/prod-build.sh filled). Every process of
// the app runs as an unprivileged user (nobody) with NODE_ENV=production; only the SMTP peer (a dev
// dependency, so absent from the pruned tree) runs from this checkout. Exits non-zero on the first
// failed check, printing the app's log.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SmtpPeer } from '../helpers/smtp-peer.js'

const out = path.resolve(process.argv[2] ?? '')
const buildTree = path.join(out, 'build')
const appTree = path.join(out, 'app')
const PORT = Number(process.env.PROD_CHECK_PORT ?? 3105)
const origin = `http://127.0.0.1:${PORT}`
const BASE_URL = 'https://rota.example.test'
const ADMIN = 'prod-check-admin@example.org'
const USER = 'nobody'

function fail(message: string): never {
  throw new Error(message)
}

let failures = 0

/** A check that fails the run but lets the later ones report too. */
function check(ok: unknown, message: string): void {
  if (ok) return void console.log(`ok - ${message}`)
  failures++
  console.log(`not ok - ${message}`)
}

/**
 * The command as the unprivileged user. As root, setpriv execs it in place (runuser would stay as
 * its parent and turn a SIGTERM into "Session terminated" and a kill); otherwise sudo, which passes
 * signals on and returns the command's status.
 */
function asUser(command: string[], env: Record<string, string>): [string, string[]] {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`)
  if (process.getuid?.() === 0) return ['setpriv', ['--reuid', USER, '--regid', 'nogroup', '--clear-groups', '--', 'env', '-i', ...assignments, ...command]]
  return ['sudo', ['-n', '-u', USER, '--', 'env', '-i', ...assignments, ...command]]
}

class AppProcess {
  log = ''
  readonly child: ChildProcess
  /** The exit code, or 128 + the signal's number when a signal ended it (as a shell reports it). */
  code: number | null = null

  constructor(command: string[], cwd: string, env: Record<string, string>) {
    const [bin, args] = asUser(command, env)
    // Its own process group, so a signal reaches npm and the node it starts alike.
    this.child = spawn(bin, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    this.child.stdout!.on('data', (c: Buffer) => (this.log += c.toString()))
    this.child.stderr!.on('data', (c: Buffer) => (this.log += c.toString()))
    this.child.on('exit', (code, signal) => (this.code = code ?? 128 + (signal ? os.constants.signals[signal] : 0)))
  }

  async waitFor(pattern: RegExp, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms
    while (!pattern.test(this.log)) {
      if (this.code !== null) fail(`exited (${this.code}) before printing ${pattern}:\n${this.log}`)
      if (Date.now() > deadline) fail(`did not print ${pattern} within ${ms} ms:\n${this.log}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  kill(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }

  /** Whether a live (not zombie) process is left in the group: orphans go to a PID 1 that may never reap them. */
  #groupAlive(): boolean {
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      let stat: string
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      } catch {
        continue
      }
      // pid (comm) state ppid pgrp …; comm may hold spaces, so read after its closing parenthesis.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(pgrp) === this.child.pid && state !== 'Z' && state !== 'X') return true
    }
    return false
  }

  /**
   * SIGTERM to the group (npm and the node it started); the exit code once every process of the
   * group is gone, or a failure if any is still alive after 15 s. npm itself answers 143 to SIGTERM
   * without waiting for its child, so what counts is that the group is gone.
   */
  async stop(): Promise<number | null> {
    if (this.code === null) process.kill(-this.child.pid!, 'SIGTERM')
    const deadline = Date.now() + 15_000
    while (this.#groupAlive() || this.code === null) {
      if (Date.now() > deadline) {
        this.kill()
        fail(`still running 15 s after SIGTERM:\n${this.log}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    return this.code
  }
}

function run(command: string[], cwd: string, env: Record<string, string>): string {
  const [bin, args] = asUser(command, env)
  const result = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 60_000 })
  const output = `${result.stdout}${result.stderr}`
  if (result.status !== 0) fail(`${command.join(' ')} exited ${result.status}:\n${output}`)
  return output
}

function cookiesOf(res: Response): Map<string, string> {
  const map = new Map<string, string>()
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';')
    const eq = pair!.indexOf('=')
    map.set(pair!.slice(0, eq).trim(), line)
  }
  return map
}

function valueOf(setCookie: string): string {
  const [pair] = setCookie.split(';')
  return pair!.slice(pair!.indexOf('=') + 1)
}

function csrfIn(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? fail('no _csrf field on the page')
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(appTree, 'dist/src/server.js'))) fail(`${appTree} holds no build: run .ci/prod-build.sh first`)
  check(!fs.existsSync(path.join(appTree, 'node_modules/esbuild')) && !fs.existsSync(path.join(appTree, 'node_modules/smtp-server')), 'the pruned tree has no dev dependencies')
  check(!fs.existsSync(path.join(appTree, 'dist/src/bench')), 'the benchmark code is not in the production build')

  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'rota-prod-data-'))
  fs.chmodSync(data, 0o755)
  spawnSync('chown', [USER, data])
  const peer = new SmtpPeer()
  await peer.start()
  const processes: AppProcess[] = []
  try {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: data,
      npm_config_cache: path.join(data, 'npm-cache'),
      npm_config_update_notifier: 'false',
      NODE_ENV: 'production',
      SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
      BASE_URL,
      SMTP_URL: peer.url,
      MAIL_FROM: 'Champion Rota <rota@example.test>',
      DATABASE_URL: path.join(data, 'rota.sqlite'),
      HOST: '127.0.0.1',
      PORT: String(PORT),
    }

    // Issue 14 item 6: the npm scripts run on an install without dev dependencies.
    const migrated = run(['npm', 'run', '--silent', 'migrate'], buildTree, env)
    check(/migration|up to date/i.test(migrated), '`npm run migrate` works without dev dependencies')
    const worker = new AppProcess(['npm', 'run', '--silent', 'worker'], buildTree, env)
    processes.push(worker)
    await worker.waitFor(/worker running/)
    check([0, 143].includes((await worker.stop())!), '`npm run worker` starts without dev dependencies and stops on SIGTERM')
    const started = new AppProcess(['npm', 'start', '--silent'], buildTree, env)
    processes.push(started)
    await started.waitFor(/ready at/)
    check((await fetch(`${origin}/healthz`)).status === 200, '`npm start` serves /healthz without dev dependencies')
    await started.stop()

    // The operator's way in on an empty production database.
    fs.writeFileSync(
      path.join(data, 'service.json'),
      JSON.stringify({ name: 'Prod Check Libraries', branches: [{ name: 'Central' }], admins: [{ name: 'Prod Check', email: ADMIN }] }),
    )
    run(['node', 'dist/src/tools/setup-service.js', path.join(data, 'service.json')], appTree, env)

    // The image's CMD, from the image's tree.
    const app = new AppProcess(['node', 'dist/src/server.js'], appTree, env)
    processes.push(app)
    await app.waitFor(/ready at/)

    const health = await fetch(`${origin}/healthz`)
    check(health.status === 200 && (await health.json()).status === 'ok', '/healthz answers 200 ok')
    check(/max-age=\d{7,}/.test(health.headers.get('strict-transport-security') ?? ''), 'HSTS is sent')
    check((await fetch(`${origin}/dev/mail`)).status === 404 && (await fetch(`${origin}/dev/mail.json`)).status === 404, 'no /dev/mail in production')

    const form = await fetch(`${origin}/sign-in`)
    const csrfCookie = cookiesOf(form).get('__Host-rota_csrf') ?? fail('no __Host-rota_csrf cookie')
    const csrf = csrfIn(await form.text())
    const asked = await fetch(`${origin}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-rota_csrf=${valueOf(csrfCookie)}` },
      body: new URLSearchParams({ email: ADMIN, _csrf: csrf }).toString(),
    })
    check(asked.status === 303, 'the sign-in form is accepted')

    const deadline = Date.now() + 20_000
    while (!peer.received.some((m) => m.to.includes(ADMIN))) {
      if (Date.now() > deadline) fail(`no sign-in email reached the SMTP peer:\n${app.log}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    const mail = await peer.parsed(peer.received.findIndex((m) => m.to.includes(ADMIN)))
    const link = new RegExp(`${BASE_URL.replace(/\./g, '\\.')}/sign-in/confirm/([A-Za-z0-9_-]+)`).exec(mail.text ?? '')
    const token = link?.[1] ?? fail(`the sign-in email has no https link on BASE_URL:\n${mail.text}`)
    console.log('ok - the sign-in email arrived over SMTP with an https link on BASE_URL')

    const confirmPage = await fetch(`${origin}/sign-in/confirm/${token}`, { headers: { cookie: `__Host-rota_csrf=${valueOf(csrfCookie)}` } })
    check(confirmPage.status === 200, 'the link opens the confirm page')
    const confirmed = await fetch(`${origin}/sign-in/confirm`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-rota_csrf=${valueOf(csrfCookie)}` },
      body: new URLSearchParams({ token, _csrf: csrfIn(await confirmPage.text()) }).toString(),
    })
    const session = cookiesOf(confirmed).get('__Host-rota_session')
    if (confirmed.status !== 303 || !session) fail('confirming did not sign in with a __Host- session cookie')
    console.log('ok - confirming signs in with a __Host- session cookie')
    check(/;\s*Secure/i.test(session!) && /;\s*Path=\//i.test(session!) && !/;\s*Domain=/i.test(session!) && /;\s*HttpOnly/i.test(session!), 'the session cookie is Secure, HttpOnly, Path=/ and has no Domain')
    const dashboard = await fetch(`${origin}/dashboard`, { headers: { cookie: `__Host-rota_session=${valueOf(session!)}` } })
    check(dashboard.status === 200, 'the session cookie opens the dashboard')

    check((await app.stop()) === 0, 'the server exits cleanly on SIGTERM')
    check(!app.log.includes(token), 'the sign-in token is not in the log')
    check(!app.log.includes(valueOf(session!)), 'the session cookie is not in the log')
    check(fs.statSync(path.join(data, 'rota.sqlite')).uid !== 0, 'the database was written by the unprivileged user')
    if (failures) {
      console.error(`--- app log:\n${app.log}`)
      process.exitCode = 1
    }
  } catch (err) {
    for (const p of processes) p.kill()
    console.error(`not ok - ${(err as Error).message}`)
    if (processes.length) console.error(`--- last app log:\n${processes[processes.length - 1]!.log}`)
    process.exitCode = 1
  } finally {
    await peer.stop()
    fs.rmSync(data, { recursive: true, force: true })
  }
}

await main()
