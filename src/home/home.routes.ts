// The public home page: what the service is, and the ways in (sign in, apply).
import type { FastifyInstance } from 'fastify'

export default async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    return reply.page('home/home', { title: request.t('common.serviceName') })
  })
  app.get('/accessibility', { config: { access: 'public' } }, async (request, reply) => {
    return reply.page('home/accessibility', { title: request.t('accessibility.title') })
  })
}
