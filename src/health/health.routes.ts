// GET /healthz: 200 {"status":"ok"} when the database can be written, 503 otherwise (for Fly's checks and monitors).
import type { FastifyInstance } from 'fastify'
import { databaseHealth, type DatabaseHealth } from '../db/connect.js'

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { config: { access: 'public' } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    // SQLite: the file is still the one opened and its write lock can be had; PostgreSQL: it answers.
    const health = await Promise.race([
      databaseHealth(app.db),
      new Promise<DatabaseHealth>((resolve) => setTimeout(() => resolve({ ok: false, reason: 'database did not answer in 2 s' }), 2000).unref()),
    ])
    if (health.ok) return reply.send({ status: 'ok' })
    request.log.warn({ err: health.reason }, 'health check failed')
    return reply.code(503).send({ status: 'unavailable' })
  })
}
