// Where the project is, and how to start one of its entry points, whether a test runs compiled
// (dist/tests, as `npm test` runs it) or from its TypeScript source through tsx (a single file while working).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** True when this file runs from dist/tests. */
export const compiled = import.meta.url.endsWith('.js')

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}

/** The checkout's root (where package.json is): dist/ has none of its own. */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)))

/** The file that runs for a source entry point ('src/tools/admin-create.ts'): its compiled twin under dist/ when the tests are compiled. */
export function entryFile(source: string): string {
  return compiled ? path.join(projectRoot, 'dist', source.replace(/\.ts$/, '.js')) : path.join(projectRoot, source)
}

/** `node`'s arguments to run a source entry point: the compiled file, or the source through tsx. */
export function nodeArgs(source: string): string[] {
  return compiled ? [entryFile(source)] : ['--import=tsx', entryFile(source)]
}
