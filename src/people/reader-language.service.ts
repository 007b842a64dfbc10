// The language of a page reached through a link that belongs to someone (issue 16): an invitation,
// a reminder or group-message switch, a recording link, a per-place check-in link. Their emails are
// in their language, so the page the email leads to is too, even in a browser that asks for
// another; a language chosen in this browser's header, or a person signed in, still decides.
import type { AppContext } from '../context.js'
import type { Locale } from '../i18n/i18n.js'
import { recipientLocale, volunteerLocale } from './recipient-language.repository.js'

/** Whose link it is. */
export type Reader = { personId: number } | { volunteerId: number }

/** A page's language: fixed, or the language of the link's owner, found once the link is looked up. */
export type PageLanguage = Locale | ((reader: Reader) => Promise<Locale>)

/** The language for `reader`'s link: `readAs` is the request's (request.readAs), which may keep its own. */
export function linkLanguage(ctx: AppContext, readAs: (locale: Locale) => Locale): (reader: Reader) => Promise<Locale> {
  return async (reader) => readAs('personId' in reader ? await recipientLocale(ctx.db, reader.personId) : await volunteerLocale(ctx.db, reader.volunteerId))
}

/** The language a service words a page in, once it knows whose link it is. */
export async function languageFor(language: PageLanguage, reader: Reader): Promise<Locale> {
  return typeof language === 'string' ? language : language(reader)
}
