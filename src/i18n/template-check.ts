// Finds words in a template that do not come from the message catalogue (tests/i18n/templates.test.ts):
// text between tags, and the attributes a person reads or hears (aria-label, alt, title, placeholder,
// value of a button). Eta tags and their output are the catalogue's; so are entities and punctuation.

const READ_ATTRIBUTES = /\s(aria-label|alt|title|placeholder)\s*=\s*"([^"]*)"/gi

/** The literal words in an Eta HTML template, each with its line: empty when every word is translated. */
export function literalText(template: string): Array<{ line: number; text: string }> {
  // Blank out Eta tags and HTML comments, keeping line numbers.
  const blank = (s: string) => s.replace(/[^\n]/g, ' ')
  let source = template.replace(/<%[\s\S]*?%>/g, blank).replace(/<!--[\s\S]*?-->/g, blank)
  source = source.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, blank)
  const found: Array<{ line: number; text: string }> = []
  const lineOf = (index: number) => source.slice(0, index).split('\n').length
  const wordy = (s: string) => /\p{L}{2,}/u.test(s.replace(/&[a-z]+;|&#\d+;/gi, ''))
  for (const tag of source.matchAll(/<[^>]*>/g)) {
    for (const attr of tag[0].matchAll(READ_ATTRIBUTES)) {
      if (wordy(attr[2]!)) found.push({ line: lineOf(tag.index!), text: `${attr[1]}="${attr[2]!.trim()}"` })
    }
  }
  const text = source.replace(/<[^>]*>/g, blank)
  for (const run of text.matchAll(/[^\s][^\n]*/g)) {
    if (wordy(run[0])) found.push({ line: lineOf(run.index!), text: run[0].trim() })
  }
  return found
}

/** The catalogue keys a template or source file names: t('…'), rich('…'), request.t('…'). */
export function keysUsed(source: string): string[] {
  return [...source.matchAll(/\b(?:t|rich)\(\s*'([a-zA-Z0-9_.]+)'/g)].map((m) => m[1]!)
}
