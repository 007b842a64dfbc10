// Starts the built server (dist/src/server.js) as a child process on a test database, as an operator runs it.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import type { DatabaseConfig } from '../../src/config.js'
import { projectRoot } from '../helpers/paths.js'

export const root = projectRoot

/** Compiles dist/ when the sources are newer (the same --if-needed step `npm start` runs). */
export function buildIfNeeded(): void {
  const result = spawnSync(process.execPath, [path.join(root, 'src/tools/build.mjs'), '--if-needed'], { cwd: root, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}${result.stderr}`)
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** DATABASE_URL for a test database: PostgreSQL's schema goes in the URL's options (search_path). */
export function databaseUrl(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') return database.file
  if (!database.schema) return database.url
  const url = new URL(database.url)
  url.searchParams.set('options', [url.searchParams.get('options'), `-c search_path=${database.schema}`].filter(Boolean).join(' '))
  return url.toString()
}

export interface ServerProcess {
  child: ChildProcess
  port: number
  url: string
  /** Everything it printed, while the test reads its output. */
  output(): string
  /** Resolves with the exit code (or the signal) when it exits. */
  exited: Promise<number | NodeJS.Signals | null>
}

export async function startServer(
  database: DatabaseConfig,
  env: Record<string, string> = {},
  options: { script?: string; stdio?: StdioOptions; ready?: RegExp } = {},
): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [path.join(root, options.script ?? 'dist/src/server.js')], {
    cwd: root,
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      BASE_URL: 'https://rota.example.test',
      SESSION_SECRET: 'a-test-secret-that-is-long-enough-0123456789',
      DATABASE_URL: databaseUrl(database),
      HOST: '127.0.0.1',
      PORT: String(port),
      RUN_WORKER: 'false',
      ...env,
    },
  })
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)))
  const ready = options.ready ?? /ready at|worker running/
  const deadline = Date.now() + 60_000
  while (!ready.test(output)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited before it was ready:\n${output}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server not ready within 60 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  return { child, port, url: `http://127.0.0.1:${port}`, output: () => output, exited }
}
