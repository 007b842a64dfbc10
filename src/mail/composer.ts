// Composes an email from its templates in views/emails/: an HTML body and its plain-text twin, in
// the recipient's language (issue 16): the templates get the catalogue (`it.t`, `it.rich`), dates and
// times (`it.fmt`) and the `lang` of the layout's html element for that language.
import type { Eta } from 'eta'
import type { Config } from '../config.js'
import { createHtmlEta, createTextEta } from '../views/eta.js'
import { formatFor } from '../views/format.js'
import { DEFAULT_LOCALE, LANG_TAGS, translator, type Locale } from '../i18n/i18n.js'
import { escapeHtml } from '../i18n/rich.js'

export interface ComposedEmail {
  subject: string
  text: string
  html: string
}

/** What a numbered marker of a rich message becomes in an email: a link (bold if asked), or <strong>. */
export type EmailRichPart = { href: string; bold?: boolean } | { strong: true }

const LINK_STYLE = 'color:#1d5e9c;'

/**
 * HTML for a message whose <0>…</0> markers become the parts given, with the inline styles an email
 * needs (mail programs ignore style sheets). The message is escaped first, so nothing typed becomes markup.
 */
export function emailRich(message: string, parts: readonly EmailRichPart[]): string {
  return escapeHtml(message).replace(/&lt;(\d)&gt;([\s\S]*?)&lt;\/\1&gt;/g, (whole, index: string, inner: string) => {
    const part = parts[Number(index)]
    if (!part) return inner
    if ('strong' in part) return `<strong>${inner}</strong>`
    return `<a href="${escapeHtml(String(part.href))}" style="${LINK_STYLE}${part.bold ? 'font-weight:bold;' : ''}">${inner}</a>`
  })
}

/** The text of a rich message for plain-text email: its markers dropped. */
export function emailPlain(message: string): string {
  return message.replace(/<(\d)>([\s\S]*?)<\/\1>/g, '$2')
}

export class EmailComposer {
  readonly #html: Eta
  readonly #text: Eta

  constructor(private readonly config: Config) {
    const cache = config.nodeEnv !== 'development'
    this.#html = createHtmlEta(cache)
    this.#text = createTextEta(cache)
  }

  /** Renders views/emails/<name>.html.eta and <name>.text.eta with the same data, in `locale`. */
  compose(name: string, subject: string, data: Record<string, unknown>, locale: Locale = DEFAULT_LOCALE): ComposedEmail {
    // Header values must stay on one line whatever a name contains.
    const safeSubject = subject.replace(/[\r\n]+/g, ' ').trim()
    const t = translator(locale)
    const language = {
      t,
      rich: (key: string, parts: readonly EmailRichPart[], values?: Record<string, unknown>) => emailRich(t(key, values), parts),
      plain: (key: string, values?: Record<string, unknown>) => emailPlain(t(key, values)),
      fmt: formatFor(locale),
      lang: LANG_TAGS[locale],
      locale,
    }
    const context = { ...data, subject: safeSubject, baseUrl: this.config.baseUrl, ...language }
    return {
      subject: safeSubject,
      html: this.#html.render(`/emails/${name}.html.eta`, context),
      text: this.#text.render(`/emails/${name}.text.eta`, context),
    }
  }
}
