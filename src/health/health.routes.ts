// GET /healthz: 200 {"status":"ok"} when the database answers, 503 otherwise (for Fly's checks and monitors).
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { config: { access: 'public' } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    try {
      await Promise.race([
        sql`select 1`.execute(app.db),
        new Promise((_, reject) => setTimeout(() => reject(new Error('database did not answer in 2 s')), 2000).unref()),
      ])
      return reply.send({ status: 'ok' })
    } catch (err) {
      request.log.warn({ err: (err as Error).message }, 'health check failed')
      return reply.code(503).send({ status: 'unavailable' })
    }
  })
}
