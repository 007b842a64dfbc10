// The app's config and clock as decorators, shared by every other plugin.
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import type { Clock } from '../clock.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    clock: Clock
  }
}

export default fp<{ config: Config; clock: Clock }>(
  async function core(app, opts) {
    app.decorate('config', opts.config)
    app.decorate('clock', opts.clock)
  },
  { name: 'config' },
)
