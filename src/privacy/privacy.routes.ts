// HTTP for "Your data": download (JSON and a readable page), delete my account, and the same for admins on request.
import type { FastifyInstance } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import * as privacy from './privacy.service.js'

const idParams = { params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }) }

function download(data: privacy.PersonalData): { filename: string; body: string } {
  return { filename: `champion-rota-data-${data.generatedAt.slice(0, 10)}.json`, body: JSON.stringify(data, null, 2) }
}

export default async function privacyRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctx = app.ctx

  r.get('/privacy', { config: { access: 'public' } }, async (request, reply) => reply.page('privacy/privacy', { title: request.t('account.privacy.title') }))

  r.get('/profile/data', { config: { access: 'volunteer' } }, async (request, reply) => reply.page('privacy/your-data', { title: request.t('account.yourData.title') }))

  r.get('/profile/data.json', { config: { access: 'volunteer' } }, async (request, reply) => {
    const file = download(await privacy.myData(ctx, userOf(request), request.locale()))
    return reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${file.filename}"`)
      .header('Cache-Control', 'no-store')
      .send(file.body)
  })

  r.get('/profile/data/view', { config: { access: 'volunteer' } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    return reply.page('privacy/data-view', { title: request.t('account.dataView.title'), data: await privacy.myData(ctx, userOf(request), request.locale()), jsonHref: '/profile/data.json' })
  })

  r.get('/profile/delete', { config: { access: 'volunteer' } }, async (request, reply) =>
    reply.page('privacy/delete', { title: request.t('account.delete.titleSelf'), preview: await privacy.erasurePreview(ctx, userOf(request).personId, request.locale()), action: '/profile/delete', self: true }),
  )

  r.post('/profile/delete', { config: { access: 'volunteer' } }, async (request, reply) => {
    await privacy.eraseMyAccount(ctx, userOf(request))
    return reply.endLoginSession().redirect('/account-deleted', 303)
  })

  r.get('/account-deleted', { config: { access: 'public' } }, async (request, reply) => reply.page('privacy/deleted', { title: request.t('account.deleted.title') }))

  // An admin answering a subject access request or an erasure request for a volunteer of their service.
  r.get('/admin/volunteers/:id/data.json', { config: { access: 'admin' }, schema: idParams }, async (request, reply) => {
    const file = download(await privacy.volunteerDataForAdmin(ctx, userOf(request), request.params.id, request.locale()))
    return reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="volunteer-${request.params.id}-${file.filename}"`)
      .header('Cache-Control', 'no-store')
      .send(file.body)
  })

  r.get('/admin/volunteers/:id/delete', { config: { access: 'admin' }, schema: idParams }, async (request, reply) => {
    const data = await privacy.volunteerDataForAdmin(ctx, userOf(request), request.params.id)
    return reply.page('privacy/delete', { title: request.t('account.delete.titleOther'), preview: await privacy.erasurePreview(ctx, data.about.personId, request.locale()), action: `/admin/volunteers/${request.params.id}/delete`, self: false })
  })

  r.post('/admin/volunteers/:id/delete', { config: { access: 'admin' }, schema: idParams }, async (request, reply) => {
    await privacy.eraseVolunteerForAdmin(ctx, userOf(request), request.params.id)
    return reply.flash(request.t('account.delete.doneOther')).redirect('/admin', 303)
  })
}
