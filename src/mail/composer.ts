// Composes an email from its templates in views/emails/: an HTML body and its plain-text twin.
import type { Eta } from 'eta'
import type { Config } from '../config.js'
import { createHtmlEta, createTextEta } from '../views/eta.js'
import { formatHelpers } from '../views/format.js'

export interface ComposedEmail {
  subject: string
  text: string
  html: string
}

export class EmailComposer {
  readonly #html: Eta
  readonly #text: Eta

  constructor(private readonly config: Config) {
    const cache = config.nodeEnv !== 'development'
    this.#html = createHtmlEta(cache)
    this.#text = createTextEta(cache)
  }

  /** Renders views/emails/<name>.html.eta and <name>.text.eta with the same data. */
  compose(name: string, subject: string, data: Record<string, unknown>): ComposedEmail {
    // Header values must stay on one line whatever a name contains.
    const safeSubject = subject.replace(/[\r\n]+/g, ' ').trim()
    const context = { ...data, subject: safeSubject, baseUrl: this.config.baseUrl, fmt: formatHelpers }
    return {
      subject: safeSubject,
      html: this.#html.render(`/emails/${name}.html.eta`, context),
      text: this.#text.render(`/emails/${name}.text.eta`, context),
    }
  }
}
