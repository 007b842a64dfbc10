// HTTP for applying to volunteer (no account needed).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ApplyBody } from '../forms/schemas.js'
import { applyToVolunteer, branchesToApplyTo } from './apply.service.js'
import { ValidationError } from '../errors.js'
import { localName } from '../i18n/names.js'

type Body = Record<string, unknown>

export default async function applyRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  async function form(request: FastifyRequest, values: Body, errors: Array<{ field: string; message: string }>) {
    // Each branch by its name in the page's language (an admin may have entered a Welsh one).
    const locale = request.locale()
    const branches = (await branchesToApplyTo(app.ctx)).map((b) => ({ ...b, name: localName(b, locale) }))
    const services = new Map<string, typeof branches>()
    for (const b of branches) services.set(b.library_service_name, [...(services.get(b.library_service_name) ?? []), b])
    const chosen = new Set((Array.isArray(values.branches) ? values.branches : values.branches ? [values.branches] : []).map(String))
    const title = request.t('profile.apply.title')
    return { title: errors.length ? request.t('common.errorTitle', { title }) : title, services: [...services.entries()], values, chosen, errors }
  }

  app.get('/apply', { config: { access: 'public' } }, async (request, reply) => reply.page('volunteers/apply', await form(request, {}, [])))

  r.post('/apply', { config: { access: 'public', rateLimit: { max: 10, timeWindow: '10 minutes' } }, schema: { body: ApplyBody } }, async (request, reply) => {
    const body = request.body
    try {
      await applyToVolunteer(app.ctx, { name: body.name, email: body.email, phone: body.phone, branchIds: body.branches }, request.locale(), request.chosenLanguage())
    } catch (err) {
      if (err instanceof ValidationError) return reply.page('volunteers/apply', await form(request, body, err.errors), { status: 400 })
      throw err
    }
    return reply.redirect('/apply/sent', 303)
  })

  app.get('/apply/sent', { config: { access: 'public' } }, async (request, reply) => reply.page('volunteers/apply-sent', { title: request.t('profile.apply.sent.title') }))
}
