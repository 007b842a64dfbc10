// Compares message catalogues (tests/i18n/catalogue.test.ts): what one language has and another lacks.
//
// Plural forms are compared by their base key: English needs _one and _other, Welsh _zero, _one,
// _two, _few, _many and _other (Intl.PluralRules says which), so "n_one" in English and "n_few" in
// Welsh are the same message.
const PLURAL = /_(zero|one|two|few|many|other)$/

type Tree = { [key: string]: string | Tree }

export function flatten(tree: Tree, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : flatten(v, `${prefix}${k}.`)))
}

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!))].filter((p) => p !== 'count').sort()
const markers = (s: string) => [...new Set([...s.matchAll(/<(\d)>/g)].map((m) => m[1]!))].sort()

/** The differences between each catalogue and the first (English): one line each, none when they agree. */
export function compareCatalogues(catalogues: Record<string, Tree>): string[] {
  const [base, ...others] = Object.keys(catalogues)
  if (!base) return []
  const group = (locale: string) => {
    const messages = new Map<string, Map<string, string>>()
    for (const [key, value] of flatten(catalogues[locale]!)) {
      const m = PLURAL.exec(key)
      const id = m ? key.slice(0, m.index) : key
      const forms = messages.get(id) ?? new Map<string, string>()
      forms.set(m ? m[1]! : '', value)
      messages.set(id, forms)
    }
    return messages
  }
  const problems: string[] = []
  const reference = group(base)
  for (const locale of others) {
    const mine = group(locale)
    const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories
    for (const id of reference.keys()) if (!mine.has(id)) problems.push(`${locale} lacks ${id}`)
    for (const [id, forms] of mine) {
      const theirs = reference.get(id)
      if (!theirs) {
        problems.push(`${locale} has ${id}, which ${base} lacks`)
        continue
      }
      const plural = [...theirs.keys()].some((f) => f !== '')
      if (plural) {
        const missing = needed.filter((c) => !forms.has(c))
        if (missing.length) problems.push(`${locale} ${id}: plural forms missing: ${missing.join(', ')}`)
      }
      const ref = [...theirs.values()][0]!
      for (const [form, value] of forms) {
        const label = form ? `${id}_${form}` : id
        const want = placeholders(ref).join(',')
        if (placeholders(value).join(',') !== want) problems.push(`${locale} ${label}: puts in ${placeholders(value).map((p) => `{{${p}}}`).join(' ') || 'nothing'}, ${base} puts in ${want ? placeholders(ref).map((p) => `{{${p}}}`).join(' ') : 'nothing'}`)
        if (markers(value).join(',') !== markers(ref).join(',')) problems.push(`${locale} ${label}: marks ${markers(value).map((m) => `<${m}>`).join(' ') || 'nothing'}, ${base} marks ${markers(ref).map((m) => `<${m}>`).join(' ') || 'nothing'}`)
      }
    }
  }
  return problems
}
