// Messages with a link or emphasis inside a sentence ("Not a volunteer yet? <0>Apply…</0>."): the
// catalogue keeps the whole sentence, so a translation can put the link where its grammar needs it,
// and the template supplies what <0>…</0> becomes. The message is escaped first, values and all,
// and only then are the numbered markers turned into the tags given here, so nothing a translator
// or a user typed becomes markup.

/** What a numbered marker becomes: a link, or <strong>. */
export type RichPart = { href: string; class?: string; lang?: string } | { strong: true }

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

function open(part: RichPart): string {
  if ('strong' in part) return '<strong>'
  const cls = part.class ?? 'govuk-link'
  const lang = part.lang ? ` lang="${escapeHtml(part.lang)}"` : ''
  return `<a class="${escapeHtml(cls)}" href="${escapeHtml(part.href)}"${lang}>`
}

/** HTML for a translated message whose <0>…</0>, <1>…</1> markers become `parts[0]`, `parts[1]`. */
export function richHtml(message: string, parts: readonly RichPart[]): string {
  return escapeHtml(message).replace(/&lt;(\d)&gt;([\s\S]*?)&lt;\/\1&gt;/g, (whole, index: string, inner: string) => {
    const part = parts[Number(index)]
    if (!part) return inner
    return `${open(part)}${inner}${'strong' in part ? '</strong>' : '</a>'}`
  })
}

/** The text of a rich message without its markers (for plain-text email and titles). */
export function plainText(message: string): string {
  return message.replace(/<(\d)>([\s\S]*?)<\/\1>/g, '$2')
}
