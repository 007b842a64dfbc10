// `npm run build`: TypeScript → dist/ (esbuild, no bundling), Sass → static/app.css, htmx → static/.
// With --if-needed (used by `npm start`) each step is skipped when its output is newer than its sources.
// With --tests (used by `npm test`) tests/ is compiled too, into dist/tests beside dist/src: the suite
// runs on plain JavaScript, because loading the app through tsx's loader cost each test process
// about 3 s of CPU more than loading it compiled (4.5 s against 1.8 s), and a run starts hundreds.
// Plain JavaScript so it runs before anything is compiled; types are checked by `npm run typecheck`.
//
// esbuild, sass, govuk-frontend and htmx.org are dev dependencies: they are imported only when a step
// must run, so `npm start`, `npm run worker` and `npm run migrate` work on `npm ci --omit=dev` after a
// build. The benchmarks (src/bench, with their http.Server patch) never reach dist/.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const ifNeeded = process.argv.includes('--if-needed')
const assetsOnly = process.argv.includes('--assets')
const withTests = process.argv.includes('--tests')

function walk(dir, keep) {
  const out = []
  // An image holds dist/ but not src/: nothing there to compare.
  if (!fs.existsSync(dir)) return out
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...walk(full, keep))
    else if (keep(full)) out.push(full)
  }
  return out
}

/**
 * Writes through a temporary file and a rename, so a server (or a browser test) reading static/
 * while another build runs never sees half a file: CI builds the assets again while browser tests run.
 */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, data)
  fs.renameSync(tmp, file)
}

function newest(files) {
  return Math.max(0, ...files.map((f) => fs.statSync(f).mtimeMs))
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs
  } catch {
    return 0
  }
}

const bench = path.join(root, 'src', 'bench') + path.sep

/** A dev dependency, loaded only when there is something to build; without it, a clear message. */
async function devDependency(name) {
  try {
    return await import(name)
  } catch (err) {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
      console.error(`The build needs ${name}, a dev dependency: run \`npm ci\` (with dev dependencies), then \`npm run build\`.`)
      process.exit(1)
    }
    throw err
  }
}

async function buildTypeScript() {
  const sources = [
    ...walk(path.join(root, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith(bench)),
    ...walk(path.join(root, 'migrations'), (f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
  ]
  const testSources = withTests ? walk(path.join(root, 'tests'), (f) => f.endsWith('.ts') && !f.endsWith('.d.ts')) : []
  // The tests' helpers that are not TypeScript (libical's checker), beside the compiled tests.
  const testFiles = withTests ? walk(path.join(root, 'tests'), (f) => !f.endsWith('.ts') && !f.includes(`${path.sep}screenshots${path.sep}`)) : []
  const dist = path.join(root, 'dist')
  const marker = path.join(dist, '.built')
  const testMarker = path.join(dist, '.built-tests')
  if (ifNeeded && mtime(withTests ? testMarker : marker) > newest([...sources, ...testSources, ...testFiles])) return false
  const { build } = await devDependency('esbuild')
  // Only what this build writes: a production build leaves compiled tests alone (a test may run
  // `npm start`'s build while the suite runs from dist/tests), a test build replaces them.
  for (const dir of ['src', 'migrations', ...(withTests ? ['tests'] : [])]) fs.rmSync(path.join(dist, dir), { recursive: true, force: true })
  fs.rmSync(testMarker, { force: true })
  await build({
    entryPoints: [...sources, ...testSources],
    outdir: dist,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    bundle: false,
    logLevel: 'warning',
  })
  for (const file of testFiles) {
    const to = path.join(dist, path.relative(root, file))
    fs.mkdirSync(path.dirname(to), { recursive: true })
    fs.copyFileSync(file, to)
  }
  fs.writeFileSync(marker, new Date().toISOString())
  if (withTests) fs.writeFileSync(testMarker, new Date().toISOString())
  return true
}

async function buildStyles() {
  const entry = path.join(root, 'src', 'styles', 'app.scss')
  const out = path.join(root, 'static', 'app.css')
  const sources = walk(path.join(root, 'src', 'styles'), (f) => f.endsWith('.scss'))
  if (ifNeeded && mtime(out) > newest(sources)) return false
  const sass = await devDependency('sass')
  const result = sass.compile(entry, {
    loadPaths: [path.join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import', 'global-builtin'],
  })
  writeAtomic(out, result.css)
  return true
}

function copyHtmx() {
  const from = path.join(root, 'node_modules', 'htmx.org', 'dist', 'htmx.min.js')
  const to = path.join(root, 'static', 'htmx.min.js')
  if (ifNeeded && mtime(to) >= mtime(from)) return false
  if (!fs.existsSync(from)) {
    console.error('The build needs htmx.org, a dev dependency: run `npm ci` (with dev dependencies), then `npm run build`.')
    process.exit(1)
  }
  writeAtomic(to, fs.readFileSync(from))
  return true
}

/** Brotli and gzip twins, served by @fastify/static (preCompressed) to slow phones on slow connections. */
function precompress(file) {
  const full = path.join(root, 'static', file)
  if (ifNeeded && mtime(`${full}.br`) >= mtime(full) && mtime(`${full}.gz`) >= mtime(full)) return false
  const data = fs.readFileSync(full)
  writeAtomic(`${full}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }))
  writeAtomic(`${full}.gz`, zlib.gzipSync(data, { level: 9 }))
  return true
}

const started = performance.now()
const done = []
if (!assetsOnly && (await buildTypeScript())) done.push('TypeScript')
if (await buildStyles()) done.push('styles')
if (copyHtmx()) done.push('htmx')
if (['app.css', 'htmx.min.js', 'app.js'].map(precompress).some(Boolean)) done.push('compressed assets')
const ms = Math.round(performance.now() - started)
console.log(done.length ? `Built ${done.join(', ')} in ${ms} ms` : 'Build is up to date')
