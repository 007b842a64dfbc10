// Environment → one frozen, typed Config; a bad value stops the process with one line naming the variable.
//
// Precedence: the process environment is the only source (no config files), then the defaults
// written here. Everything is parsed once at start; the rest of the app reads the frozen object.
import path from 'node:path'

export type NodeEnv = 'development' | 'production' | 'test'

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string }

export interface Config {
  readonly nodeEnv: NodeEnv
  readonly isProduction: boolean
  readonly port: number
  readonly host: string
  readonly database: DatabaseConfig
  readonly smtpUrl: string | null
  readonly mailFrom: { readonly name: string; readonly address: string }
  readonly baseUrl: string
  readonly sessionSecret: string
  /** Run the outbox worker and schedulers inside the web process (RUN_WORKER, default on). */
  readonly runWorker: boolean
  /** Seed the demo data into an empty database (outside production only; SEED_DEMO, default on). */
  readonly seedDemo: boolean
  readonly logLevel: string
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For (TRUSTED_PROXY_HOPS,
   * default 0: the socket's address is the client). Fly's edge is one hop. Only the addresses
   * those hops wrote are believed; anything the client put in the header itself is not.
   */
  readonly trustedProxyHops: number
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable} ${message}`)
    this.name = 'ConfigError'
  }
}

const DEV_SESSION_SECRET = 'development-only-secret-do-not-use-in-production-0123456789'

function parseNodeEnv(value: string | undefined): NodeEnv {
  if (value === undefined || value === '') return 'development'
  if (value === 'development' || value === 'production' || value === 'test') return value
  throw new ConfigError('NODE_ENV', 'must be one of development, production, test')
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000
  if (!/^\d{1,5}$/.test(value)) throw new ConfigError('PORT', 'must be a whole number between 0 and 65535')
  const port = Number(value)
  if (port > 65535) throw new ConfigError('PORT', 'must be a whole number between 0 and 65535')
  return port
}

function parseHost(value: string | undefined, isProduction: boolean): string {
  if (value === undefined || value === '') return isProduction ? '0.0.0.0' : '127.0.0.1'
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(value)) throw new ConfigError('HOST', 'must be a host name or an IP address')
  return value
}

export function parseDatabaseUrl(value: string | undefined): DatabaseConfig {
  if (value === undefined || value === '') {
    return { kind: 'sqlite', file: path.resolve('data', 'champion-rota.sqlite') }
  }
  if (/^postgres(ql)?:\/\//i.test(value)) {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL')
    }
    if (!url.hostname && !url.searchParams.get('host')) {
      throw new ConfigError('DATABASE_URL', 'must name a host, e.g. postgres://user@127.0.0.1:5432/db')
    }
    return { kind: 'postgres', url: value }
  }
  if (value === ':memory:') return { kind: 'sqlite', file: ':memory:' }
  let file = value
  if (/^(sqlite|file):/i.test(file)) file = file.replace(/^(sqlite|file):(\/\/)?/i, '')
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) {
    throw new ConfigError('DATABASE_URL', 'must be a SQLite path or a postgres:// URL')
  }
  if (file === '' || file.includes('\0')) {
    throw new ConfigError('DATABASE_URL', 'must be a SQLite path or a postgres:// URL')
  }
  return { kind: 'sqlite', file: path.resolve(file) }
}

function parseSmtpUrl(value: string | undefined): string | null {
  if (value === undefined || value === '') return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError('SMTP_URL', 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587')
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError('SMTP_URL', 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587')
  }
  if (!url.hostname) throw new ConfigError('SMTP_URL', 'must name a host')
  return value
}

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$|^[^\s@<>()",;:]+@localhost$/

function parseMailFrom(value: string | undefined, baseUrl: string): Config['mailFrom'] {
  if (value === undefined || value === '') {
    const host = new URL(baseUrl).hostname
    return { name: 'Champion Rota', address: `rota@${host.includes('.') ? host : 'champion-rota.localhost'}` }
  }
  const named = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value)
  const name = named ? named[1]!.trim() || 'Champion Rota' : 'Champion Rota'
  const address = (named ? named[2]! : value).trim()
  if (!EMAIL.test(address) && !/^[^\s@]+@[^\s@]+$/.test(address)) {
    throw new ConfigError('MAIL_FROM', 'must be an email address, optionally with a name: "Champion Rota <rota@example.org>"')
  }
  return { name, address }
}

function parseBaseUrl(value: string | undefined, port: number, isProduction: boolean): string {
  if (value === undefined || value === '') {
    if (isProduction) throw new ConfigError('BASE_URL', 'is required in production (the https:// address people use)')
    return `http://localhost:${port}`
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError('BASE_URL', 'must be an absolute http:// or https:// URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('BASE_URL', 'must be an absolute http:// or https:// URL')
  }
  if (url.search || url.hash) throw new ConfigError('BASE_URL', 'must not have a query or fragment')
  return url.toString().replace(/\/+$/, '')
}

function parseSessionSecret(value: string | undefined, isProduction: boolean): string {
  if (value === undefined || value === '') {
    if (isProduction) throw new ConfigError('SESSION_SECRET', 'is required in production (at least 32 random characters)')
    return DEV_SESSION_SECRET
  }
  if (value.length < 32) throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters long')
  if (isProduction && value === DEV_SESSION_SECRET) {
    throw new ConfigError('SESSION_SECRET', 'must not be the development secret in production')
  }
  return value
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback
  if (/^(1|true|yes|on)$/i.test(value)) return true
  if (/^(0|false|no|off)$/i.test(value)) return false
  throw new ConfigError(name, 'must be true or false')
}

function parseLogLevel(value: string | undefined, nodeEnv: NodeEnv): string {
  if (value === undefined || value === '') return nodeEnv === 'test' ? 'silent' : 'info'
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(value)) {
    throw new ConfigError('LOG_LEVEL', 'must be one of fatal, error, warn, info, debug, trace, silent')
  }
  return value
}

function parseTrustedProxyHops(value: string | undefined): number {
  if (value === undefined || value === '') return 0
  if (!/^\d{1,2}$/.test(value) || Number(value) > 10) {
    throw new ConfigError('TRUSTED_PROXY_HOPS', 'must be a whole number from 0 to 10 (the reverse proxies in front of the app; 1 on Fly)')
  }
  return Number(value)
}

/** Reads the environment once. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = parseNodeEnv(env.NODE_ENV)
  const isProduction = nodeEnv === 'production'
  const port = parsePort(env.PORT)
  const host = parseHost(env.HOST, isProduction)
  const database = parseDatabaseUrl(env.DATABASE_URL)
  const smtpUrl = parseSmtpUrl(env.SMTP_URL)
  const baseUrl = parseBaseUrl(env.BASE_URL, port, isProduction)
  const mailFrom = parseMailFrom(env.MAIL_FROM, baseUrl)
  const sessionSecret = parseSessionSecret(env.SESSION_SECRET, isProduction)
  const runWorker = parseBoolean('RUN_WORKER', env.RUN_WORKER, true)
  const seedDemo = parseBoolean('SEED_DEMO', env.SEED_DEMO, !isProduction) && !isProduction
  const logLevel = parseLogLevel(env.LOG_LEVEL, nodeEnv)
  const trustedProxyHops = parseTrustedProxyHops(env.TRUSTED_PROXY_HOPS)
  return Object.freeze({
    nodeEnv,
    isProduction,
    port,
    host,
    database: Object.freeze(database),
    smtpUrl,
    mailFrom: Object.freeze(mailFrom),
    baseUrl,
    sessionSecret,
    runWorker,
    seedDemo,
    logLevel,
    trustedProxyHops,
  })
}

/** For tests and tools: a config with overrides, still frozen. */
export function configWith(base: Config, overrides: Partial<Config>): Config {
  return Object.freeze({ ...base, ...overrides })
}
