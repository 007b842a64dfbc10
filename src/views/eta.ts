// The two Eta engines: HTML (auto-escaped, for pages and HTML email) and plain text (for text email).
import { fileURLToPath } from 'node:url'
import { Eta } from 'eta'

// src/views → ../../views from source; dist/src/views → ../../../views when compiled.
function findViewsDir(): string {
  const fromSource = fileURLToPath(new URL('../../views/', import.meta.url))
  if (!fromSource.includes('/dist/')) return fromSource
  return fileURLToPath(new URL('../../../views/', import.meta.url))
}

export const viewsDir = findViewsDir()

export function createHtmlEta(cache: boolean): Eta {
  return new Eta({ views: viewsDir, cache, autoEscape: true, autoTrim: [false, 'nl'], defaultExtension: '.eta' })
}

/** Plain-text email must not be HTML-escaped ("Tom & Jerry" stays as typed). */
export function createTextEta(cache: boolean): Eta {
  return new Eta({ views: viewsDir, cache, autoEscape: false, autoTrim: [false, 'nl'], defaultExtension: '.eta' })
}
