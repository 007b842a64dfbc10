// The header's language switch: a plain link (works without JavaScript) that remembers the choice
// in this browser and returns to the page it was followed from.
//
// A GET, because it is a link: it changes nothing on the server, only which language this browser is
// shown (a cookie), so it needs no CSRF token. A person's language for emails and calendar text is
// their profile's choice, changed with a form.
import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { safeRedirectPath } from '../auth/safe-redirect.js'
import { isLocale, type Locale } from './i18n.js'

export const LANGUAGE_COOKIE = 'rota_lang'
const YEAR_S = 365 * 24 * 60 * 60
const MAX_RETURN = 400

/**
 * The switch's link to `locale`, back to `currentUrl` (the path and query of the page it is on, so
 * filters are kept). A page's own `next` and `return` are left out: they come from whoever made
 * the link, and the page should not repeat them (the redirect would check them anyway).
 */
export function languageSwitchHref(locale: Locale, currentUrl: string): string {
  const q = currentUrl.indexOf('?')
  const path = q === -1 ? currentUrl : currentUrl.slice(0, q)
  const query = new URLSearchParams(q === -1 ? '' : currentUrl.slice(q + 1))
  query.delete('next')
  query.delete('return')
  const search = query.toString()
  let back = search ? `${path}?${search}` : path
  if (back.length > MAX_RETURN) back = path.length > MAX_RETURN ? '/' : path
  return `/language/${locale}?return=${encodeURIComponent(back)}`
}

export default async function languageRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { locale: string }; Querystring: { return?: string } }>(
    '/language/:locale',
    {
      config: { access: 'public' },
      schema: {
        params: Type.Object({ locale: Type.String({ maxLength: 10 }) }),
        querystring: Type.Object({ return: Type.Optional(Type.String({ maxLength: 1000 })) }),
      },
    },
    async (request, reply) => {
      const { locale } = request.params
      const back = safeRedirectPath(request.query.return, app.config.baseUrl, '/')
      if (!isLocale(locale)) return reply.redirect(back, 303)
      reply.setCookie(LANGUAGE_COOKIE, locale, { path: '/', maxAge: YEAR_S, httpOnly: true, sameSite: 'lax', secure: app.config.isProduction })
      return reply.redirect(back, 303)
    },
  )
}
