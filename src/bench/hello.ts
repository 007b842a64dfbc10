// The benchmark's baseline: a bare Fastify server with one hello-world route, nothing else.
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
console.log(`hello-world ready on ${(app.server.address() as { port: number }).port}`)
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
