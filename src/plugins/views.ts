// Rendering: Eta through @fastify/view, whole pages or htmx partials from the same route, and flash messages.
import fp from 'fastify-plugin'
import fastifyView from '@fastify/view'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { createHtmlEta, viewsDir } from '../views/eta.js'
import { formatHelpers } from '../views/format.js'
import { navigationFor } from '../views/navigation.js'

export interface PageOptions {
  /** Partial template rendered instead of the page when htmx asks (HX-Request), e.g. 'volunteer/_results'. */
  fragment?: string
  status?: number
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
  }
}

const FLASH_COOKIE = 'rota_flash'

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
        const context = {
          user: request.user ?? null,
          nav: navigationFor(request.user ?? null, currentPath),
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
