// HTTP for a volunteer's profile: one page per part (details, skills, libraries, availability, time off, how often).
//
// Each form is a plain POST that redirects back with a confirmation; a mistake re-renders the
// form with the GOV.UK error summary (400) and nothing saved. `setup=1` walks a new volunteer
// through the parts in order.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TSchema, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { ValidationError, type FieldError } from '../errors.js'
import type { SignedInUser } from '../auth/access.js'
import type { Locale } from '../i18n/i18n.js'
import { list } from '../forms/fields.js'
import { AvailabilityBody, DetailsBody, LibrariesBody, PreferencesBody, RemoveBody, SetupQuery, SkillsBody, TimeOffBody } from '../forms/schemas.js'
import * as profile from './profile.service.js'
import type { Body, SetupStep } from './profile.service.js'

const idParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) })

function bodyOf(request: FastifyRequest): Body {
  const body = request.body
  return body && typeof body === 'object' ? (body as Body) : {}
}

function inSetup(request: FastifyRequest): boolean {
  const q = request.query as Record<string, unknown> | undefined
  return q?.setup === '1' || bodyOf(request).setup === '1'
}

function chosenFrom(value: unknown): Set<string> {
  return new Set(list(value))
}

interface FormSpec {
  path: string
  step?: SetupStep
  template: string
  /** Catalogue keys: the page's title, and the message after saving. */
  title: string
  saved: string
  /** The form's fields (src/forms/schemas.ts). */
  body: TSchema
  /** `locale`: the page's language (for the names of skills and branches). */
  load(user: SignedInUser, locale: Locale): Promise<Record<string, unknown>>
  /** What the form shows after a mistake: what was typed or ticked. */
  echo(body: Body): Record<string, unknown>
  save(user: SignedInUser, body: Body, locale: Locale): Promise<void>
}

export default async function profileRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctx = app.ctx
  const access = { access: 'volunteer' as const }

  /** A page's title in the request's language, marked as an error after a mistake. */
  function titleOf(request: FastifyRequest, key: string, errors: readonly FieldError[] = []): string {
    const title = request.t(key)
    return errors.length ? request.t('common.errorTitle', { title }) : title
  }

  function afterSave(request: FastifyRequest, reply: FastifyReply, step: SetupStep | undefined, message: string) {
    if (step && inSetup(request)) return reply.redirect(profile.nextSetupStep(step), 303)
    return reply.flash(message).redirect('/profile', 303)
  }

  function form(spec: FormSpec) {
    const page = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown>, errors: FieldError[] = []) =>
      reply.page(
        spec.template,
        {
          title: titleOf(request, spec.title, errors),
          setup: inSetup(request),
          step: spec.step,
          ...(await spec.load(userOf(request), request.locale())),
          ...extra,
          errors,
        },
        { status: errors.length ? 400 : 200 },
      )
    r.get(spec.path, { config: access, schema: { querystring: SetupQuery } }, async (request, reply) => page(request, reply, {}))
    r.post(spec.path, { config: access, schema: { querystring: SetupQuery, body: spec.body } }, async (request, reply) => {
      const body = bodyOf(request)
      try {
        await spec.save(userOf(request), body, request.locale())
      } catch (err) {
        if (err instanceof ValidationError) return page(request, reply, spec.echo(body), err.errors)
        throw err
      }
      return afterSave(request, reply, spec.step, request.t(spec.saved))
    })
  }

  r.get('/profile', { config: access, schema: { querystring: SetupQuery } }, async (request, reply) => {
    return reply.page('profile/overview', { title: titleOf(request, 'profile.overview.title'), setupDone: request.query.setup === 'done', ...(await profile.profileOverview(ctx, userOf(request), request.locale())) })
  })

  form({
    path: '/profile/details',
    template: 'profile/details',
    title: 'volunteer.profile.details.title',
    saved: 'profile.person.detailsSaved',
    body: DetailsBody,
    load: (user) => profile.detailsForm(ctx, user),
    echo: (body) => ({ values: body }),
    save: (user, body, locale) => profile.saveDetails(ctx, user, body, locale),
  })

  form({
    path: '/profile/skills',
    step: 'skills',
    template: 'profile/skills',
    title: 'volunteer.profile.skills.title',
    saved: 'profile.skills.saved',
    body: SkillsBody,
    load: (user, locale) => profile.skillsForm(ctx, user, locale),
    echo: (body) => ({ chosen: chosenFrom(body.skills) }),
    save: (user, body, locale) => profile.saveSkills(ctx, user, body, locale),
  })

  form({
    path: '/profile/libraries',
    step: 'libraries',
    template: 'profile/libraries',
    title: 'profile.libraries.title',
    saved: 'profile.libraries.saved',
    body: LibrariesBody,
    load: (user, locale) => profile.librariesForm(ctx, user, locale),
    echo: (body) => ({ chosen: chosenFrom(body.branches), home: typeof body.home === 'string' ? body.home : '' }),
    save: (user, body, locale) => profile.saveLibraries(ctx, user, body, locale),
  })

  form({
    path: '/profile/preferences',
    step: 'preferences',
    template: 'profile/preferences',
    title: 'profile.preferences.title',
    saved: 'profile.preferences.saved',
    body: PreferencesBody,
    load: (user) => profile.preferencesForm(ctx, user),
    echo: (body) => ({ values: body }),
    save: (user, body, locale) => profile.savePreferences(ctx, user, body, locale),
  })

  // Availability and time off are lists: add one entry with a form, remove each with its own button.
  async function availability(request: FastifyRequest, reply: FastifyReply, values: Body = {}, errors: FieldError[] = []) {
    return reply.page(
      'profile/availability',
      {
        title: titleOf(request, 'profile.availability.title', errors),
        setup: inSetup(request),
        values,
        chosenDays: chosenFrom(values.days),
        ...(await profile.availabilityPage(ctx, userOf(request), request.locale())),
        errors,
      },
      { status: errors.length ? 400 : 200 },
    )
  }

  r.get('/profile/availability', { config: access, schema: { querystring: SetupQuery } }, async (request, reply) => availability(request, reply))

  r.post('/profile/availability', { config: access, schema: { querystring: SetupQuery, body: AvailabilityBody } }, async (request, reply) => {
    const body = bodyOf(request)
    let added: number
    try {
      added = await profile.addWindows(ctx, userOf(request), body, request.locale())
    } catch (err) {
      if (err instanceof ValidationError) return availability(request, reply, body, err.errors)
      throw err
    }
    const setup = inSetup(request) ? '?setup=1' : ''
    return reply.flash(request.t('profile.availability.added', { count: added })).redirect(`/profile/availability${setup}`, 303)
  })

  r.post('/profile/availability/:id/remove', { config: access, schema: { params: idParams, querystring: SetupQuery, body: RemoveBody } }, async (request, reply) => {
    await profile.removeWindow(ctx, userOf(request), request.params.id)
    const setup = inSetup(request) ? '?setup=1' : ''
    return reply.flash(request.t('profile.availability.removed')).redirect(`/profile/availability${setup}`, 303)
  })

  async function timeOff(request: FastifyRequest, reply: FastifyReply, values: Body = {}, errors: FieldError[] = []) {
    return reply.page(
      'profile/time-off',
      { title: titleOf(request, 'profile.timeOff.title', errors), values, ...(await profile.timeOffPage(ctx, userOf(request))), errors },
      { status: errors.length ? 400 : 200 },
    )
  }

  r.get('/profile/time-off', { config: access }, async (request, reply) => timeOff(request, reply))

  r.post('/profile/time-off', { config: access, schema: { body: TimeOffBody } }, async (request, reply) => {
    const body = bodyOf(request)
    let result: Awaited<ReturnType<typeof profile.addTimeOff>>
    try {
      result = await profile.addTimeOff(ctx, userOf(request), body, request.locale())
    } catch (err) {
      if (err instanceof ValidationError) return timeOff(request, reply, body, err.errors)
      throw err
    }
    const n = result.bookings.length
    const message = n === 0 ? request.t('profile.timeOff.saved') : request.t('profile.timeOff.savedBooked', { count: n })
    return reply.flash(message).redirect('/profile/time-off', 303)
  })

  r.post('/profile/time-off/:id/remove', { config: access, schema: { params: idParams, body: RemoveBody } }, async (request, reply) => {
    await profile.removeTimeOff(ctx, userOf(request), request.params.id)
    return reply.flash(request.t('profile.timeOff.removed')).redirect('/profile/time-off', 303)
  })
}
