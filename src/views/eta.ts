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

type ResolvePath = NonNullable<Eta['resolvePath']>

/**
 * Eta works out every template's file path on every render and include: a JSON key, path.join
 * and path.relative each time (a profile of the find page: several microseconds for each of its
 * ten includes). The answer depends only on the names and the views folder, so it is kept.
 */
class RotaEta extends Eta {
  constructor(...args: ConstructorParameters<typeof Eta>) {
    super(...args)
    const resolve = this.resolvePath!
    const known = new Map<string, string>()
    this.resolvePath = function (this: Eta, template, options) {
      const key = `${this.config.views}\0${options?.filepath ?? ''}\0${template}`
      let path = known.get(key)
      if (path === undefined) {
        path = resolve.call(this, template, options)
        if (known.size >= 1000) known.clear()
        known.set(key, path)
      }
      return path
    } as ResolvePath
  }
}

export function createHtmlEta(cache: boolean): Eta {
  return new RotaEta({ views: viewsDir, cache, autoEscape: true, autoTrim: [false, 'nl'], defaultExtension: '.eta' })
}

// A line holding nothing but control tags (`<% if … %>`, `<% } %>`), e.g. "<% } %><% if (x) { %>".
const CONTROL_ONLY_LINE = /^[ \t]*(?:<%(?![=~])(?:(?!%>)[^\n])*%>[ \t]*)+(?:\r\n|\n)/gm

/**
 * In plain text every newline is part of the message, so nothing is trimmed except the line of a
 * control tag that stands alone (as in Mustache): "When: <%= it.date %>⏎" keeps its line break,
 * "<% if (it.notes) { %>⏎" leaves no empty line behind. Eta's default ('nl' after every tag)
 * glued each output line to the next one and URLs to the words after them.
 */
export function dropControlOnlyLineBreaks(template: string): string {
  return template.replace(CONTROL_ONLY_LINE, (line) => line.replace(/[ \t]*(?:\r\n|\n)$/, '').replace(/^[ \t]+/, ''))
}

/** Plain-text email must not be HTML-escaped ("Tom & Jerry" stays as typed). */
export function createTextEta(cache: boolean): Eta {
  return new RotaEta({
    views: viewsDir,
    cache,
    autoEscape: false,
    autoTrim: false,
    defaultExtension: '.eta',
    plugins: [{ processTemplate: (template: string) => dropControlOnlyLineBreaks(template) }],
  })
}
