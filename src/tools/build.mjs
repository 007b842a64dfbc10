// `npm run build`: TypeScript → dist/ (esbuild, no bundling), Sass → static/app.css, htmx → static/.
// With --if-needed (used by `npm start`) each step is skipped when its output is newer than its sources.
// Plain JavaScript so it runs before anything is compiled; types are checked by `npm run typecheck`.
import { build } from 'esbuild'
import * as sass from 'sass'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const ifNeeded = process.argv.includes('--if-needed')
const assetsOnly = process.argv.includes('--assets')

function walk(dir, keep) {
  const out = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...walk(full, keep))
    else if (keep(full)) out.push(full)
  }
  return out
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

async function buildTypeScript() {
  const sources = [
    ...walk(path.join(root, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
    ...walk(path.join(root, 'migrations'), (f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
  ]
  const marker = path.join(root, 'dist', '.built')
  if (ifNeeded && mtime(marker) > newest(sources)) return false
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true })
  await build({
    entryPoints: sources,
    outdir: path.join(root, 'dist'),
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    bundle: false,
    logLevel: 'warning',
  })
  fs.writeFileSync(marker, new Date().toISOString())
  return true
}

function buildStyles() {
  const entry = path.join(root, 'src', 'styles', 'app.scss')
  const out = path.join(root, 'static', 'app.css')
  const sources = walk(path.join(root, 'src', 'styles'), (f) => f.endsWith('.scss'))
  if (ifNeeded && mtime(out) > newest(sources)) return false
  const result = sass.compile(entry, {
    loadPaths: [path.join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import', 'global-builtin'],
  })
  fs.writeFileSync(out, result.css)
  return true
}

function copyHtmx() {
  const from = path.join(root, 'node_modules', 'htmx.org', 'dist', 'htmx.min.js')
  const to = path.join(root, 'static', 'htmx.min.js')
  if (ifNeeded && mtime(to) >= mtime(from)) return false
  fs.copyFileSync(from, to)
  return true
}

/** Brotli and gzip twins, served by @fastify/static (preCompressed) to slow phones on slow connections. */
function precompress(file) {
  const full = path.join(root, 'static', file)
  if (ifNeeded && mtime(`${full}.br`) >= mtime(full) && mtime(`${full}.gz`) >= mtime(full)) return false
  const data = fs.readFileSync(full)
  fs.writeFileSync(`${full}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }))
  fs.writeFileSync(`${full}.gz`, zlib.gzipSync(data, { level: 9 }))
  return true
}

const started = performance.now()
const done = []
if (!assetsOnly && (await buildTypeScript())) done.push('TypeScript')
if (buildStyles()) done.push('styles')
if (copyHtmx()) done.push('htmx')
if (['app.css', 'htmx.min.js', 'app.js'].map(precompress).some(Boolean)) done.push('compressed assets')
const ms = Math.round(performance.now() - started)
console.log(done.length ? `Built ${done.join(', ')} in ${ms} ms` : 'Build is up to date')
