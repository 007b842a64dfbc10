// GET /healthz: 200 {"status":"ok"} when the database answers, 503 otherwise (for Fly's checks and monitors).
import type { FastifyInstance } from 'fastify'
import { checkDatabase } from './health.service.js'

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { config: { access: 'public' } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    try {
      await checkDatabase(app.db)
      return reply.send({ status: 'ok' })
    } catch (err) {
      request.log.warn({ err: (err as Error).message }, 'health check failed')
      return reply.code(503).send({ status: 'unavailable' })
    }
  })
}
