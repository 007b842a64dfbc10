// HTTP for the gap board: filters in the query string, so they work as plain links; htmx swaps only the results.
import type { FastifyInstance } from 'fastify'
import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import * as forms from '../forms/fields.js'
import { WEEK_CHOICES, gapBoard, parseRange, queryString, todayHere } from './gaps.service.js'
import { RangeQuery } from '../forms/schemas.js'

export default async function gapRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  r.get('/coordinate/gaps', { config: { access: 'coordinator' }, schema: { querystring: RangeQuery } }, async (request, reply) => {
    const filters = parseRange(forms.query(request.query), await todayHere(app.ctx, userOf(request)))
    const board = await gapBoard(app.ctx, userOf(request), filters, request.locale())
    return reply.page(
      'coordinate/gaps',
      { title: request.t('coordinator.gaps.title'), board, weekChoices: WEEK_CHOICES, qs: (extra: Record<string, string> = {}) => queryString(filters, extra), link: (f: typeof filters) => queryString(f) },
      { fragment: 'coordinate/_gaps' },
    )
  })
}
