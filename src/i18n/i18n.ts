// Welsh and English (issue 16): one i18next instance over the two catalogues, a translator per
// language, and the choice of a person's language.
//
// i18next because it is the most used message library for Node, keeps plain JSON-like catalogues a
// translator can read, and picks plural forms with Intl.PluralRules, which Welsh needs (zero, one,
// two, few, many, other). Values are not escaped by i18next: pages escape what they print (Eta's
// `<%=`), and rich messages go through src/i18n/rich.ts, which escapes before it adds markup.
import i18next, { type TFunction } from 'i18next'
import Negotiator from 'negotiator'
import { en } from './catalogue/en.js'
import { cy } from './catalogue/cy.js'

export const LOCALES = ['en', 'cy'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

/** The `lang` attribute for each language (BCP 47): British English, Welsh. */
export const LANG_TAGS: Readonly<Record<Locale, string>> = Object.freeze({ en: 'en-GB', cy: 'cy' })

/** Each language's own name for itself, as the header's switch shows it. */
export const ENDONYMS: Readonly<Record<Locale, string>> = Object.freeze({ en: 'English', cy: 'Cymraeg' })

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

const instance = i18next.createInstance()
void instance.init({
  resources: { en: { translation: en }, cy: { translation: cy } },
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  returnEmptyString: false,
})

export type Translate = (key: string, values?: Record<string, unknown>) => string

const translators = new Map<Locale, Translate>(
  LOCALES.map((locale) => {
    const t: TFunction = instance.getFixedT(locale)
    return [locale, (key: string, values?: Record<string, unknown>) => String(t(key, values ?? {}))]
  }),
)

/** The translator for a language: `t('home.heading')`, `t('x', { count: 2 })`. */
export function translator(locale: Locale): Translate {
  return translators.get(locale)!
}

/** The language a browser asks for first among ours (Accept-Language), or undefined if it names neither. */
export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined
  // The browser's languages, most wanted first; the first that is one of ours ("cy-GB" is Welsh).
  for (const tag of new Negotiator({ headers: { 'accept-language': header } }).languages()) {
    const base = tag.toLowerCase().split('-')[0]
    if (isLocale(base)) return base
  }
  return undefined
}

/**
 * A person's language: what they chose in this browser (the header's switch), else their profile's
 * choice, else their library service's default, else what their browser asks for, else English.
 */
export function chooseLocale(options: {
  chosen?: unknown
  profile?: unknown
  serviceDefault?: unknown
  acceptLanguage?: string | undefined
}): Locale {
  if (isLocale(options.chosen)) return options.chosen
  if (isLocale(options.profile)) return options.profile
  if (isLocale(options.serviceDefault)) return options.serviceDefault
  return fromAcceptLanguage(options.acceptLanguage) ?? DEFAULT_LOCALE
}
