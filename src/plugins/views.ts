// Rendering: Eta through @fastify/view, whole pages or htmx partials from the same route, and flash messages.
import fp from 'fastify-plugin'
import fastifyView from '@fastify/view'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { createHtmlEta, viewsDir } from '../views/eta.js'
import { formatFor, formatHelpers } from '../views/format.js'
import { navigationFor } from '../views/navigation.js'
import { chooseLocale, ENDONYMS, isLocale, LANG_TAGS, translator, type Locale, type Translate } from '../i18n/i18n.js'
import { richHtml, type RichPart } from '../i18n/rich.js'
import { isTranslated } from '../i18n/coverage.js'
import { LANGUAGE_COOKIE, languageSwitchHref } from '../i18n/language.routes.js'

export interface PageOptions {
  /** Partial template rendered instead of the page when htmx asks (HX-Request), e.g. 'volunteer/_results'. */
  fragment?: string
  status?: number
  /** Whether the page's words come from the catalogue; by default, whether its template is listed in src/i18n/coverage.ts. */
  translated?: boolean
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a whole page, or only `fragment` for an htmx request; always sets Vary: HX-Request. */
    page(template: string, data?: Record<string, unknown>, options?: PageOptions): Promise<FastifyReply>
    /** A one-time message shown on the next page (after a POST-redirect-GET). */
    flash(message: string): FastifyReply
  }
  interface FastifyRequest {
    /** True for an htmx request that wants a fragment (not a history restore). */
    isHtmx(): boolean
    /** The language this request is answered in (src/i18n/i18n.ts chooseLocale). */
    locale(): Locale
    /**
     * A page reached by a link that belongs to someone (an invitation, a switch, a recording link),
     * opened by nobody signed in: answer in that person's language (`locale`, their profile's or
     * their service's), unless this browser chose one in the header. Returns the language used.
     */
    readAs(locale: Locale): Locale
    /** The language chosen with the header's switch in this browser, or null if none was. */
    chosenLanguage(): Locale | null
    /** The catalogue's message in this request's language. */
    t: Translate
  }
}

const FLASH_COOKIE = 'rota_flash'

/**
 * What every page's templates need for its language: the catalogue (`t`, `rich`), dates and times
 * (`fmt`), the `lang` attribute, the header's switch to the other language (back to `url`), and the
 * line saying a page is not translated when it is shown in English to someone who chose Welsh.
 */
export function languageContext(pageLocale: Locale, chosenLocale: Locale = pageLocale, url = '/') {
  const t = translator(pageLocale)
  const other: Locale = chosenLocale === 'cy' ? 'en' : 'cy'
  return {
    t,
    rich: (key: string, parts: readonly RichPart[], values?: Record<string, unknown>) => richHtml(t(key, values), parts),
    fmt: formatFor(pageLocale),
    lang: LANG_TAGS[pageLocale],
    notTranslated: pageLocale === chosenLocale ? null : { text: translator(chosenLocale)('common.notTranslated'), lang: LANG_TAGS[chosenLocale] },
    languageSwitch: { href: languageSwitchHref(other, url), text: ENDONYMS[other], lang: LANG_TAGS[other] },
  }
}

export default fp(
  async function views(app) {
    const eta = createHtmlEta(app.config.nodeEnv !== 'development')
    await app.register(fastifyView, {
      engine: { eta },
      root: viewsDir,
      viewExt: 'eta',
      production: app.config.nodeEnv !== 'development',
      defaultContext: { fmt: formatHelpers, isProduction: app.config.isProduction, devMailbox: !app.config.isProduction && !app.config.smtpUrl, baseUrl: app.config.baseUrl },
    })

    app.decorateRequest('isHtmx', function (this: FastifyRequest) {
      return this.headers['hx-request'] === 'true' && this.headers['hx-history-restore-request'] !== 'true'
    })

    const chosenLocale = Symbol('locale')
    app.decorateRequest('locale', function (this: FastifyRequest & { [chosenLocale]?: Locale }) {
      let locale = this[chosenLocale]
      if (!locale) {
        locale = chooseLocale({
          chosen: this.cookies[LANGUAGE_COOKIE],
          profile: this.user?.language,
          serviceDefault: this.user?.serviceLanguage,
          acceptLanguage: this.headers['accept-language'],
        })
        this[chosenLocale] = locale
      }
      return locale
    })
    app.decorateRequest('chosenLanguage', function (this: FastifyRequest) {
      const chosen = this.cookies[LANGUAGE_COOKIE]
      return isLocale(chosen) ? chosen : null
    })
    app.decorateRequest('readAs', function (this: FastifyRequest & { [chosenLocale]?: Locale }, locale: Locale) {
      if (isLocale(this.cookies[LANGUAGE_COOKIE]) || this.user) return this.locale()
      this[chosenLocale] = locale
      return locale
    })
    // A getter, so `request.t` is the request's translator itself and can be handed to a service.
    app.decorateRequest('t', {
      getter(this: FastifyRequest) {
        return translator(this.locale())
      },
    })

    app.decorateReply('flash', function (this: FastifyReply, message: string) {
      this.setCookie(FLASH_COOKIE, message.slice(0, 300), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.isProduction,
        signed: true,
      })
      return this
    })

    app.decorateReply(
      'page',
      async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, options: PageOptions = {}) {
        const request = this.request
        this.header('Vary', 'HX-Request')
        let flash: string | null = null
        const rawFlash = request.cookies[FLASH_COOKIE]
        if (rawFlash) {
          const unsigned = request.unsignCookie(rawFlash)
          if (unsigned.valid) flash = unsigned.value
          this.clearCookie(FLASH_COOKIE, { path: '/' })
        }
        const csrfToken = this.generateCsrf()
        const currentPath = request.url.split('?')[0] ?? '/'
        const locale = request.locale()
        // A page whose words are not all in the catalogue yet is shown wholly in English (its lang
        // says so), with a line in the chosen language saying it is not translated yet.
        const pageLocale: Locale = (options.translated ?? isTranslated(template)) ? locale : 'en'
        const language = languageContext(pageLocale, locale, request.url)
        const context = {
          user: request.user ?? null,
          nav: navigationFor(request.user ?? null, currentPath, language.t),
          ...language,
          csrfToken,
          currentPath,
          errors: [],
          flash,
          ...data,
        }
        if (options.status) this.code(options.status)
        this.type('text/html; charset=utf-8')
        const useFragment = options.fragment !== undefined && request.isHtmx()
        const html = await this.viewAsync(useFragment ? options.fragment! : template, context)
        return this.send(html)
      },
    )
  },
  { name: 'views', dependencies: ['security', 'auth'] },
)
