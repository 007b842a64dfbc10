// HTTP for admins: settings, branches, topics and languages, training kinds, people with rights (all plain forms, POST-redirect-GET).
//
// A mistake re-renders the form with the GOV.UK error summary (400) and nothing saved; a refusal
// that is not about one field (already closed, the last admin…) is a page saying so (409).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { UserError, ValidationError, type FieldError } from '../errors.js'
import { clientKeyFor } from '../auth/auth.service.js'
import { stringify } from 'csv-stringify/sync'
import * as admin from './admin.service.js'
import type { Body } from './admin.service.js'
import { translator, type Translate } from '../i18n/i18n.js'

const idParams = { params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }) }
const access = { access: 'admin' as const }

/** The request's translator as a value (request.t needs its request as `this`). */
const tOf = (request: FastifyRequest): Translate => translator(request.locale())

export interface Field {
  name: string
  label: string
  type: 'text' | 'textarea' | 'select' | 'radios' | 'checkboxes' | 'heading' | 'preview'
  hint?: string
  options?: Array<{ value: string | number; text: string }>
  width?: string
  numeric?: boolean
  inputType?: string
  list?: string
  inline?: boolean
}

interface FormPage {
  title: string
  heading: string
  action: string
  back: string
  submit: string
  fields: Field[]
  intro?: string
  caption?: string
  preview?: string | null
  datalist?: { id: string; options: string[] }
}

function bodyOf(request: FastifyRequest): Body {
  const body = request.body
  return body && typeof body === 'object' ? (body as Body) : {}
}

function zones(): string[] {
  return Intl.supportedValuesOf('timeZone')
}

/** The optional Welsh form of a name (issue 16), after the English name on each form that has one. */
const welshNameField = (t: Translate): Field => ({ name: 'nameCy', label: t('admin.nameCy.label'), type: 'text', hint: t('admin.nameCy.hint') })

const branchFields = (t: Translate): Field[] => [
  { name: 'name', label: t('admin.branches.name'), type: 'text' },
  welshNameField(t),
  { name: 'address', label: t('admin.branches.address'), type: 'textarea' },
  { name: 'postcode', label: t('admin.branches.postcode'), type: 'text', width: 'govuk-input--width-10' },
  { name: 'timezone', label: t('admin.branches.timezone'), type: 'text', hint: t('admin.branches.timezoneHint'), width: 'govuk-input--width-20', list: 'zones' },
  { name: 'arrivalNotes', label: t('admin.branches.arrival'), type: 'textarea', hint: t('admin.branches.arrivalHint') },
  { name: 'accessibilityNotes', label: t('admin.branches.accessibility'), type: 'textarea', hint: t('admin.branches.accessibilityHint') },
]

const trainingFields = (t: Translate): Field[] => [
  { name: 'name', label: t('admin.trainings.name'), type: 'text' },
  welshNameField(t),
  { name: 'kind', label: t('admin.trainings.kind'), type: 'radios', options: [{ value: 'training', text: t('admin.trainings.kindTraining') }, { value: 'check', text: t('admin.trainings.kindCheck') }] },
  { name: 'expires', label: t('admin.trainings.expires'), type: 'radios', options: [{ value: 'no', text: t('admin.trainings.expiresNo') }, { value: 'yes', text: t('admin.trainings.expiresYes') }] },
  { name: 'validityMonths', label: t('admin.trainings.months'), type: 'text', width: 'govuk-input--width-3', numeric: true },
]

function rightFields(t: Translate, branches: Array<{ id: number; name: string; active: number }>): Field[] {
  return [
    { name: 'role', label: t('admin.people.right'), type: 'radios', options: [{ value: 'coordinator', text: t('admin.people.roleCoordinator') }, { value: 'admin', text: t('admin.people.roleAdmin') }, { value: 'partner', text: t('admin.people.rolePartner') }] },
    {
      name: 'scope',
      label: t('admin.people.covers'),
      type: 'select',
      hint: t('admin.people.coversHint'),
      options: [{ value: 'all', text: t('admin.people.wholeService') }, ...branches.filter((b) => b.active).map((b) => ({ value: b.id, text: b.name }))],
    },
  ]
}

export default async function adminRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctx = app.ctx

  function formPage(reply: FastifyReply, spec: FormPage, values: Record<string, unknown>, errors: FieldError[] = []) {
    const t = tOf(reply.request)
    return reply.page('admin/form', { ...spec, title: errors.length ? t('common.errorTitle', { title: spec.title }) : spec.title, values, errors }, { status: errors.length ? 400 : 200 })
  }

  function problem(reply: FastifyReply, message: string, back: string, status = 409) {
    return reply.page('admin/problem', { title: reply.request.t('admin.problem.title'), message, back }, { status })
  }

  /** Runs a change; a field mistake re-renders the form, another refusal shows a problem page. */
  async function attempt(reply: FastifyReply, work: () => Promise<unknown>, onInvalid: (errors: FieldError[]) => Promise<unknown>, back: string): Promise<boolean> {
    try {
      await work()
      return true
    } catch (err) {
      if (err instanceof ValidationError) await onInvalid(err.errors)
      else if (err instanceof UserError && err.kind === 'conflict') await problem(reply, err.wordedIn(reply.request.t), back)
      else throw err
      return false
    }
  }

  const service = (request: FastifyRequest) => admin.serviceFor(ctx, userOf(request))

  // ── Settings ──
  async function settingsSpec(request: FastifyRequest, preview: string | null): Promise<FormPage> {
    const t = tOf(request)
    const s = await service(request)
    return {
      title: t('admin.settings.title'),
      heading: t('admin.settings.heading'),
      caption: s.name,
      action: '/admin/settings',
      back: '/admin',
      submit: t('admin.settings.submit'),
      preview,
      fields: [
        { name: 'name', label: t('admin.settings.name'), type: 'text' },
        { name: 'defaultLanguage', label: t('admin.settings.defaultLanguage'), type: 'radios', inline: true, options: admin.LANGUAGE_CHOICES, hint: t('admin.settings.defaultLanguageHint') },
        { name: 'contact', label: t('admin.settings.contact'), type: 'textarea', hint: t('admin.settings.contactHint') },
        { name: 'bookingWindowDays', label: t('admin.settings.bookingWindow'), type: 'text', width: 'govuk-input--width-3', numeric: true, hint: t('admin.settings.bookingWindowHint') },
        { name: 'withdrawCutoffHours', label: t('admin.settings.cutoff'), type: 'text', width: 'govuk-input--width-3', numeric: true, hint: t('admin.settings.cutoffHint') },
        { name: 'heading', label: t('admin.settings.remindersHeading'), type: 'heading', hint: t('admin.settings.remindersHint') },
        { name: 'reminders', label: t('admin.settings.reminders'), type: 'checkboxes', options: admin.reminderChoices(t) },
        { name: 'customDays', label: t('admin.settings.customDays'), type: 'text', width: 'govuk-input--width-2', numeric: true, hint: t('admin.settings.customDaysHint') },
        { name: 'customTime', label: t('admin.settings.customTime'), type: 'text', width: 'govuk-input--width-5', hint: t('admin.settings.customTimeHint') },
        { name: 'preview', label: '', type: 'preview' },
        { name: 'heading', label: t('admin.settings.alertsHeading'), type: 'heading' },
        { name: 'shortAlertDays', label: t('admin.settings.shortAlert'), type: 'text', width: 'govuk-input--width-2', numeric: true },
        { name: 'digestDay', label: t('admin.settings.digestDay'), type: 'select', options: admin.dayNames(request.locale()).map((d, i) => ({ value: i + 1, text: d })) },
        { name: 'digestTime', label: t('admin.settings.digestTime'), type: 'text', width: 'govuk-input--width-5', hint: t('admin.settings.digestTimeHint') },
        { name: 'heading', label: t('admin.settings.dataHeading'), type: 'heading' },
        { name: 'retentionMonths', label: t('admin.settings.retention'), type: 'text', width: 'govuk-input--width-3', numeric: true, hint: t('admin.settings.retentionHint') },
      ],
    }
  }

  r.get('/admin/settings', { config: access }, async (request, reply) => {
    const user = userOf(request)
    const s = await service(request)
    const form = await admin.settingsForm(ctx, user, s.id, request.locale())
    return formPage(reply, await settingsSpec(request, form.preview), form.values)
  })

  r.post('/admin/settings', { config: access }, async (request, reply) => {
    const user = userOf(request)
    const body = bodyOf(request)
    const values = { ...body, reminders: [body.reminders ?? []].flat() }
    if (body.intent === 'preview') {
      const { preview, errors } = admin.previewFromForm(body, request.locale())
      return formPage(reply, await settingsSpec(request, preview), values, errors)
    }
    const s = await service(request)
    const ok = await attempt(reply, () => admin.saveSettings(ctx, user, s.id, body, tOf(request)), async (errors) => formPage(reply, await settingsSpec(request, null), values, errors), '/admin/settings')
    if (ok) return reply.flash(request.t('admin.settings.saved')).redirect('/admin/settings', 303)
    return reply
  })

  // ── Branches ──
  r.get('/admin/branches', { config: access }, async (request, reply) => {
    const s = await service(request)
    return reply.page('admin/branches', { title: request.t('admin.branches.title'), service: s, branches: await admin.branches(ctx, userOf(request), s.id) })
  })

  const branchSpec = (t: Translate, action: string, heading: string, submit: string): FormPage => ({
    title: heading,
    heading,
    action,
    back: '/admin/branches',
    submit,
    fields: branchFields(t),
    datalist: { id: 'zones', options: zones() },
  })
  const newBranchSpec = (t: Translate) => branchSpec(t, '/admin/branches/new', t('admin.branches.add'), t('admin.branches.addSubmit'))
  const editBranchSpec = (t: Translate, id: number, name: string) => branchSpec(t, `/admin/branches/${id}`, t('admin.branches.edit', { name }), t('admin.branches.saveSubmit'))

  r.get('/admin/branches/new', { config: access }, async (request, reply) => {
    await service(request)
    return formPage(reply, newBranchSpec(tOf(request)), admin.EMPTY_BRANCH)
  })

  r.post('/admin/branches/new', { config: access }, async (request, reply) => {
    const s = await service(request)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.addBranch(ctx, userOf(request), s.id, body, tOf(request)), (errors) => formPage(reply, newBranchSpec(tOf(request)), body, errors), '/admin/branches')
    return ok ? reply.flash(request.t('admin.branches.added', { name: String(body.name).trim() })).redirect('/admin/branches', 303) : reply
  })

  r.get('/admin/branches/:id', { config: access, schema: idParams }, async (request, reply) => {
    const b = await admin.branchForm(ctx, userOf(request), request.params.id)
    return formPage(reply, editBranchSpec(tOf(request), b.id, b.name), admin.branchValues(b))
  })

  r.post('/admin/branches/:id', { config: access, schema: idParams }, async (request, reply) => {
    const id = request.params.id
    const b = await admin.branchForm(ctx, userOf(request), id)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.editBranch(ctx, userOf(request), id, body, tOf(request)), (errors) => formPage(reply, editBranchSpec(tOf(request), id, b.name), body, errors), '/admin/branches')
    return ok ? reply.flash(request.t('admin.branches.saved')).redirect('/admin/branches', 303) : reply
  })

  for (const [path, open] of [['close', false], ['reopen', true]] as const) {
    r.post(`/admin/branches/:id/${path}`, { config: access, schema: idParams }, async (request, reply) => {
      let name = ''
      const ok = await attempt(reply, async () => (name = await admin.setBranchOpen(ctx, userOf(request), request.params.id, open)), async () => undefined, '/admin/branches')
      return ok ? reply.flash(request.t(open ? 'admin.branches.reopened' : 'admin.branches.closed', { name })).redirect('/admin/branches', 303) : reply
    })
  }

  // ── Topics and languages ──
  r.get('/admin/skills', { config: access }, async (request, reply) => {
    const s = await service(request)
    return reply.page('admin/skills', { title: request.t('admin.skills.title'), service: s, skills: await admin.skills(ctx, userOf(request), s.id) })
  })

  const newSkillSpec = (t: Translate): FormPage => ({
    title: t('admin.skills.add'),
    heading: t('admin.skills.add'),
    action: '/admin/skills/new',
    back: '/admin/skills',
    submit: t('admin.skills.addSubmit'),
    fields: [
      { name: 'kind', label: t('admin.skills.kind'), type: 'radios', options: [{ value: 'topic', text: t('admin.skills.kindTopic') }, { value: 'language', text: t('admin.skills.kindLanguage') }] },
      { name: 'name', label: t('admin.skills.name'), type: 'text' },
      welshNameField(t),
    ],
  })

  r.get('/admin/skills/new', { config: access }, async (request, reply) => {
    await service(request)
    return formPage(reply, newSkillSpec(tOf(request)), {})
  })

  r.post('/admin/skills/new', { config: access }, async (request, reply) => {
    const s = await service(request)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.addSkill(ctx, userOf(request), s.id, body, tOf(request)), (errors) => formPage(reply, newSkillSpec(tOf(request)), body, errors), '/admin/skills')
    return ok ? reply.flash(request.t('admin.skills.added', { name: String(body.name).trim() })).redirect('/admin/skills', 303) : reply
  })

  const renameSpec = (t: Translate, id: number, name: string): FormPage => ({
    title: t('admin.skills.rename', { name }),
    heading: t('admin.skills.rename', { name }),
    action: `/admin/skills/${id}`,
    back: '/admin/skills',
    submit: t('admin.skills.renameSubmit'),
    fields: [{ name: 'name', label: t('admin.skills.newName'), type: 'text' }, welshNameField(t)],
  })

  r.get('/admin/skills/:id', { config: access, schema: idParams }, async (request, reply) => {
    const s = await admin.skillForm(ctx, userOf(request), request.params.id)
    return formPage(reply, renameSpec(tOf(request), s.id, s.name), { name: s.name, nameCy: s.name_cy ?? '' })
  })

  r.post('/admin/skills/:id', { config: access, schema: idParams }, async (request, reply) => {
    const s = await admin.skillForm(ctx, userOf(request), request.params.id)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.renameSkill(ctx, userOf(request), s.id, body, tOf(request)), (errors) => formPage(reply, renameSpec(tOf(request), s.id, s.name), body, errors), '/admin/skills')
    return ok ? reply.flash(request.t('admin.skills.renamed')).redirect('/admin/skills', 303) : reply
  })

  const areasSpec = (t: Translate, id: number, name: string, areas: Array<{ key: string; name: string }>): FormPage => ({
    title: t('admin.skills.areasTitle', { name }),
    heading: t('admin.skills.areasTitle', { name }),
    action: `/admin/skills/${id}/areas`,
    back: '/admin/skills',
    submit: t('admin.skills.areasSubmit'),
    fields: [
      {
        name: 'areas',
        label: t('admin.skills.areasLabel', { name }),
        type: 'checkboxes',
        hint: t('admin.skills.areasHint'),
        options: areas.map((a) => ({ value: a.key, text: a.name })),
      },
    ],
  })

  r.get('/admin/skills/:id/areas', { config: access, schema: idParams }, async (request, reply) => {
    const f = await admin.skillAreasForm(ctx, userOf(request), request.params.id)
    return formPage(reply, areasSpec(tOf(request), f.skill.id, f.skill.name, f.areas), { areas: f.current })
  })

  r.post('/admin/skills/:id/areas', { config: access, schema: idParams }, async (request, reply) => {
    const f = await admin.skillAreasForm(ctx, userOf(request), request.params.id)
    const body = bodyOf(request)
    let saved = { name: '', areas: [] as string[] }
    const ok = await attempt(
      reply,
      async () => (saved = await admin.setSkillAreas(ctx, userOf(request), f.skill.id, body, tOf(request))),
      (errors) => formPage(reply, areasSpec(tOf(request), f.skill.id, f.skill.name, f.areas), { areas: [body.areas ?? []].flat() }, errors),
      '/admin/skills',
    )
    return ok ? reply.flash(request.t('admin.skills.areasSaved', { name: saved.name, areas: saved.areas.join(', ') })).redirect('/admin/skills', 303) : reply
  })

  for (const [path, active] of [['retire', false], ['restore', true]] as const) {
    r.post(`/admin/skills/:id/${path}`, { config: access, schema: idParams }, async (request, reply) => {
      let name = ''
      const ok = await attempt(reply, async () => (name = await admin.setSkillActive(ctx, userOf(request), request.params.id, active)), async () => undefined, '/admin/skills')
      return ok ? reply.flash(request.t(active ? 'admin.skills.offered' : 'admin.skills.retired', { name })).redirect('/admin/skills', 303) : reply
    })
  }

  r.post('/admin/skills/:id/move', { config: access, schema: idParams }, async (request, reply) => {
    const ok = await attempt(reply, () => admin.moveSkill(ctx, userOf(request), request.params.id, bodyOf(request).direction), async () => undefined, '/admin/skills')
    return ok ? reply.redirect('/admin/skills', 303) : reply
  })

  // ── Training and checks ──
  r.get('/admin/trainings', { config: access }, async (request, reply) => {
    const s = await service(request)
    return reply.page('admin/trainings', { title: request.t('admin.trainings.title'), service: s, trainings: await admin.trainingKinds(ctx, userOf(request), s.id) })
  })

  const trainingSpec = (t: Translate, action: string, heading: string, submit: string): FormPage => ({ title: heading, heading, action, back: '/admin/trainings', submit, fields: trainingFields(t) })
  const newTrainingSpec = (t: Translate) => trainingSpec(t, '/admin/trainings/new', t('admin.trainings.add'), t('admin.trainings.addSubmit'))
  const editTrainingSpec = (t: Translate, id: number, name: string) => trainingSpec(t, `/admin/trainings/${id}`, t('admin.trainings.edit', { name }), t('admin.trainings.saveSubmit'))

  r.get('/admin/trainings/new', { config: access }, async (request, reply) => {
    await service(request)
    return formPage(reply, newTrainingSpec(tOf(request)), { kind: 'training', expires: 'no' })
  })

  r.post('/admin/trainings/new', { config: access }, async (request, reply) => {
    const s = await service(request)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.addTraining(ctx, userOf(request), s.id, body, tOf(request)), (errors) => formPage(reply, newTrainingSpec(tOf(request)), body, errors), '/admin/trainings')
    return ok ? reply.flash(request.t('admin.trainings.added', { name: String(body.name).trim() })).redirect('/admin/trainings', 303) : reply
  })

  r.get('/admin/trainings/:id', { config: access, schema: idParams }, async (request, reply) => {
    const k = await admin.trainingForm(ctx, userOf(request), request.params.id)
    return formPage(reply, editTrainingSpec(tOf(request), k.id, k.name), {
      name: k.name,
      nameCy: k.name_cy ?? '',
      kind: k.kind,
      expires: k.validity_months ? 'yes' : 'no',
      validityMonths: k.validity_months ? String(k.validity_months) : '',
    })
  })

  r.post('/admin/trainings/:id', { config: access, schema: idParams }, async (request, reply) => {
    const k = await admin.trainingForm(ctx, userOf(request), request.params.id)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.editTraining(ctx, userOf(request), k.id, body, tOf(request)), (errors) => formPage(reply, editTrainingSpec(tOf(request), k.id, k.name), body, errors), '/admin/trainings')
    return ok ? reply.flash(request.t('admin.trainings.saved', { name: k.name })).redirect('/admin/trainings', 303) : reply
  })

  for (const [path, active] of [['retire', false], ['restore', true]] as const) {
    r.post(`/admin/trainings/:id/${path}`, { config: access, schema: idParams }, async (request, reply) => {
      let name = ''
      const ok = await attempt(reply, async () => (name = await admin.setTrainingActive(ctx, userOf(request), request.params.id, active)), async () => undefined, '/admin/trainings')
      return ok ? reply.flash(request.t(active ? 'admin.trainings.inUse' : 'admin.trainings.retired', { name })).redirect('/admin/trainings', 303) : reply
    })
  }

  // ── People with rights ──
  r.get('/admin/people', { config: access }, async (request, reply) => {
    const s = await service(request)
    return reply.page('admin/people', { title: request.t('admin.people.title'), service: s, people: await admin.people(ctx, userOf(request), s.id) })
  })

  async function inviteSpec(request: FastifyRequest): Promise<FormPage> {
    const t = tOf(request)
    const user = userOf(request)
    const s = await service(request)
    return {
      title: t('admin.people.invite'),
      heading: t('admin.people.invite'),
      caption: s.name,
      intro: t('admin.people.inviteIntro'),
      action: '/admin/people/new',
      back: '/admin/people',
      submit: t('admin.people.inviteSubmit'),
      fields: [
        { name: 'name', label: t('admin.people.fullName'), type: 'text' },
        { name: 'email', label: t('admin.people.email'), type: 'text', inputType: 'email', width: 'govuk-input--width-30' },
        ...rightFields(t, await admin.branches(ctx, user, s.id)),
      ],
    }
  }

  r.get('/admin/people/new', { config: access }, async (request, reply) => formPage(reply, await inviteSpec(request), { role: 'coordinator', scope: 'all' }))

  r.post('/admin/people/new', { config: access }, async (request, reply) => {
    const user = userOf(request)
    const s = await service(request)
    const body = bodyOf(request)
    let who = { name: '', email: '' }
    const ok = await attempt(reply, async () => (who = await admin.invitePerson(ctx, user, s.id, body, clientKeyFor(request.ip), tOf(request))), async (errors) => formPage(reply, await inviteSpec(request), body, errors), '/admin/people')
    return ok ? reply.flash(request.t('admin.people.invited', { name: who.name, email: who.email })).redirect('/admin/people', 303) : reply
  })

  async function grantSpec(request: FastifyRequest, id: number, name: string): Promise<FormPage> {
    const t = tOf(request)
    const s = await service(request)
    return { title: t('admin.people.change', { name }), heading: t('admin.people.change', { name }), action: `/admin/people/${id}`, back: '/admin/people', submit: t('admin.people.changeSubmit'), fields: rightFields(t, await admin.branches(ctx, userOf(request), s.id)) }
  }

  r.get('/admin/people/:id', { config: access, schema: idParams }, async (request, reply) => {
    const g = await admin.grantForm(ctx, userOf(request), request.params.id)
    return formPage(reply, await grantSpec(request, g.id, g.name), { role: g.role, scope: g.branch_id ?? 'all' })
  })

  r.post('/admin/people/:id', { config: access, schema: idParams }, async (request, reply) => {
    const user = userOf(request)
    const g = await admin.grantForm(ctx, user, request.params.id)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.changeGrant(ctx, user, g.id, body, tOf(request)), async (errors) => formPage(reply, await grantSpec(request, g.id, g.name), body, errors), '/admin/people')
    return ok ? reply.flash(request.t('admin.people.changed', { name: g.name })).redirect('/admin/people', 303) : reply
  })

  r.post('/admin/people/:id/remove', { config: access, schema: idParams }, async (request, reply) => {
    let name = ''
    const ok = await attempt(reply, async () => (name = await admin.removeGrant(ctx, userOf(request), request.params.id)), async () => undefined, '/admin/people')
    return ok ? reply.flash(request.t('admin.people.removed', { name })).redirect('/admin/people', 303) : reply
  })

  // ── The audit log ──
  r.get('/admin/audit', { config: access }, async (request, reply) => {
    const s = await service(request)
    const log = await admin.auditLog(ctx, userOf(request), s.id, request.query as admin.AuditQuery, tOf(request))
    const title = request.t('admin.audit.title')
    return reply.page('admin/audit', { title: log.errors.length ? request.t('common.errorTitle', { title }) : title, service: s, ...log }, { status: log.errors.length ? 400 : 200 })
  })

  r.get('/admin/audit.csv', { config: access }, async (request, reply) => {
    const s = await service(request)
    const rows = await admin.auditCsvRows(ctx, userOf(request), s.id, request.query as admin.AuditQuery)
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="audit-log-${new Date(ctx.clock.now()).toISOString().slice(0, 10)}.csv"`)
      .header('Cache-Control', 'no-store')
      .send(stringify(rows))
  })
}
