// Layers keep to their neighbours (issue 14): SQL only in repositories, routes never import a repository, services throw domain errors.
import t from 'tap'
import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../helpers/paths.js'

const root = projectRoot

/** The grep: a Kysely query builder or a raw sql`…` template. */
const SQL = /selectFrom|insertInto|updateTable|deleteFrom|sql`/

/** A relative import of a repository module (`./x.repository.js`, `../y/z.repository.js`). */
const REPOSITORY_IMPORT = /from\s+['"][^'"]*\.repository(\.js)?['"]/

/** An error built with an HTTP status (`new UserError('…', 409)`) or a status set by hand. */
const HTTP_IN_SERVICE = /new \w*Error\((?:'[^']*'|`[^`]*`|"[^"]*"|[^,()]+(?:\([^()]*\))?)\s*,\s*[1-5][0-9][0-9]\b|statusCode|reply\.code\(/

/**
 * Files that may still hold SQL outside a repository, each with why. Keep this list short and
 * shrinking: a new entry needs a reason a reviewer would accept.
 */
const SQL_ALLOWED = new Map<string, string>([
  // Empty: the benchmark harness keeps its SQL in src/bench/*.repository.ts like the app does.
])

/** Services allowed to pass HTTP statuses to UserError: none (add one only with a reason a reviewer would accept). */
const HTTP_ALLOWED = new Set<string>()

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`
    if (entry.isDirectory()) out.push(...sourceFiles(rel))
    else if (/\.(ts|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel)
  }
  return out
}

/** Where SQL may live: repositories, the database layer itself, and migrations (outside src/). */
function mayHoldSql(file: string): boolean {
  if (file.endsWith('.repository.ts')) return true
  if (file.startsWith('src/db/')) return true
  return [...SQL_ALLOWED.keys()].some((prefix) => file.startsWith(prefix))
}

/** Lines of `text` that match `pattern`, as "file:line: text" for a readable failure. */
function offending(file: string, text: string, pattern: RegExp): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => pattern.test(line))
    .map(({ line, n }) => `${file}:${n}: ${line.trim()}`)
}

const files = sourceFiles('src')

t.test('the checks catch what they are meant to (so a green run means something)', async (t) => {
  t.ok(SQL.test("await tx.selectFrom('people').select('id')"))
  t.ok(SQL.test('await sql`select 1`.execute(db)'))
  t.ok(SQL.test("db.deleteFrom('outbox')"))
  t.notOk(SQL.test("import { findSession } from './sessions.repository.js'"))
  t.ok(REPOSITORY_IMPORT.test("import { catalogue } from './sessions.repository.js'"))
  t.ok(REPOSITORY_IMPORT.test("import * as repo from '../branches/branches.repository.js'"))
  t.notOk(REPOSITORY_IMPORT.test("import { sessionToEdit } from './session-lookup.service.js'"))
  t.ok(HTTP_IN_SERVICE.test("throw new UserError('This session is full', 409)"))
  t.ok(HTTP_IN_SERVICE.test('throw new UserError(`${name} is already confirmed`, 409)'))
  t.notOk(HTTP_IN_SERVICE.test("throw new ConflictError('This session is full')"))
  t.ok(files.length > 50, `read ${files.length} source files`)
  t.ok(files.includes('src/coordination/sessions.routes.ts'))
})

t.test('SQL lives only in *.repository.ts, src/db/ and the migrations', async (t) => {
  const found = files.filter((f) => !mayHoldSql(f)).flatMap((f) => offending(f, fs.readFileSync(path.join(root, f), 'utf8'), SQL))
  t.same(found, [], 'move these queries into a repository')
})

t.test('no route imports a repository: routes call services', async (t) => {
  const found = files.filter((f) => f.endsWith('.routes.ts')).flatMap((f) => offending(f, fs.readFileSync(path.join(root, f), 'utf8'), REPOSITORY_IMPORT))
  t.same(found, [], 'call a service function instead')
})

t.test('services throw domain errors, not HTTP statuses (src/plugins/errors.ts maps kinds to answers)', async (t) => {
  const found = files
    .filter((f) => f.endsWith('.service.ts') && !HTTP_ALLOWED.has(f))
    .flatMap((f) => offending(f, fs.readFileSync(path.join(root, f), 'utf8'), HTTP_IN_SERVICE))
  t.same(found, [], 'throw ConflictError / NotFoundError / ForbiddenError / ValidationError instead')
})

t.test('the session edit page checks scope without building the staffing page', async (t) => {
  const routes = fs.readFileSync(path.join(root, 'src/coordination/sessions.routes.ts'), 'utf8')
  const start = routes.indexOf("r.get('/coordinate/sessions/:id/edit'")
  t.ok(start > 0, 'the edit page route is where this test looks for it')
  const handler = routes.slice(start, routes.indexOf('\n  })\n', start))
  t.match(handler, /sessionToEdit\(/, 'a cheap scope check')
  t.notMatch(handler, /sessionPage\(/, 'not the whole staffing page and its candidate ranking')
})
