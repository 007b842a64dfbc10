// HTTP for admins: settings, branches, topics and languages, training kinds, people with rights (all plain forms, POST-redirect-GET).
//
// A mistake re-renders the form with the GOV.UK error summary (400) and nothing saved; a refusal
// that is not about one field (already closed, the last admin…) is a page saying so (409).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { userOf } from '../plugins/auth.js'
import { UserError, ValidationError, type FieldError } from '../errors.js'
import { clientKeyFor } from '../auth/auth.service.js'
import type { SignedInUser } from '../auth/access.js'
import { stringify } from 'csv-stringify/sync'
import * as admin from './admin.service.js'
import type { Body } from './admin.service.js'

const idParams = { params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }) }
const access = { access: 'admin' as const }

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

const branchFields: Field[] = [
  { name: 'name', label: 'Name', type: 'text' },
  { name: 'address', label: 'Address', type: 'textarea' },
  { name: 'postcode', label: 'Postcode', type: 'text', width: 'govuk-input--width-10' },
  { name: 'timezone', label: 'Time zone', type: 'text', hint: 'A time zone name such as Europe/London. Session times are this zone’s wall-clock times.', width: 'govuk-input--width-20', list: 'zones' },
  { name: 'arrivalNotes', label: 'When volunteers arrive (optional)', type: 'textarea', hint: 'For example: ask at the enquiry desk.' },
  { name: 'accessibilityNotes', label: 'Accessibility (optional)', type: 'textarea', hint: 'For example: step-free entrance, hearing loop.' },
]

const trainingFields: Field[] = [
  { name: 'name', label: 'Name', type: 'text' },
  { name: 'kind', label: 'Is this training or a check?', type: 'radios', options: [{ value: 'training', text: 'Training' }, { value: 'check', text: 'A check, such as a DBS check' }] },
  { name: 'expires', label: 'Does it run out?', type: 'radios', options: [{ value: 'no', text: 'No, it lasts for ever' }, { value: 'yes', text: 'Yes, after a number of months' }] },
  { name: 'validityMonths', label: 'Months it lasts (if it runs out)', type: 'text', width: 'govuk-input--width-3', numeric: true },
]

function rightFields(branches: Array<{ id: number; name: string; active: number }>): Field[] {
  return [
    { name: 'role', label: 'Right', type: 'radios', options: [{ value: 'coordinator', text: 'Coordinator: schedules sessions and fills gaps' }, { value: 'admin', text: 'Admin: also runs the library service’s settings' }, { value: 'partner', text: 'Partner (read-only reports): sees this service’s figures per month, with small numbers hidden, in the network view' }] },
    {
      name: 'scope',
      label: 'Covers',
      type: 'select',
      hint: 'A coordinator can cover one branch or the whole library service. An admin and a partner always cover the whole service.',
      options: [{ value: 'all', text: 'The whole library service' }, ...branches.filter((b) => b.active).map((b) => ({ value: b.id, text: b.name }))],
    },
  ]
}

export default async function adminRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctx = app.ctx

  function formPage(reply: FastifyReply, spec: FormPage, values: Record<string, unknown>, errors: FieldError[] = []) {
    return reply.page('admin/form', { ...spec, title: errors.length ? `Error: ${spec.title}` : spec.title, values, errors }, { status: errors.length ? 400 : 200 })
  }

  function problem(reply: FastifyReply, message: string, back: string, status = 409) {
    return reply.page('admin/problem', { title: 'There is a problem', message, back }, { status })
  }

  /** Runs a change; a field mistake re-renders the form, another refusal shows a problem page. */
  async function attempt(reply: FastifyReply, work: () => Promise<unknown>, onInvalid: (errors: FieldError[]) => Promise<unknown>, back: string): Promise<boolean> {
    try {
      await work()
      return true
    } catch (err) {
      if (err instanceof ValidationError) await onInvalid(err.errors)
      else if (err instanceof UserError && err.kind === 'conflict') await problem(reply, err.message, back)
      else throw err
      return false
    }
  }

  const service = (request: FastifyRequest) => admin.serviceFor(ctx, userOf(request))

  // ── Settings ──
  async function settingsSpec(user: SignedInUser, preview: string | null): Promise<FormPage> {
    const s = await admin.serviceFor(ctx, user)
    return {
      title: 'Library service settings',
      heading: 'Settings',
      caption: s.name,
      action: '/admin/settings',
      back: '/admin',
      submit: 'Save settings',
      preview,
      fields: [
        { name: 'name', label: 'Name of the library service', type: 'text' },
        { name: 'defaultLanguage', label: 'Language for volunteers who have not chosen one', type: 'radios', inline: true, options: admin.LANGUAGE_CHOICES, hint: 'Their pages, emails and calendar invitations. Each volunteer can choose their own on their profile.' },
        { name: 'contact', label: 'Who volunteers contact with questions', type: 'textarea', hint: 'Shown to volunteers as you write it: a name, an email address or a phone number.' },
        { name: 'bookingWindowDays', label: 'How many days ahead volunteers can book', type: 'text', width: 'govuk-input--width-3', numeric: true, hint: 'For example, 56 for eight weeks.' },
        { name: 'withdrawCutoffHours', label: 'Withdrawal cut-off, in hours before a session', type: 'text', width: 'govuk-input--width-3', numeric: true, hint: 'Before this, a volunteer can simply withdraw; after it, coordinators are alerted.' },
        { name: 'heading', label: 'Reminder emails to volunteers', type: 'heading', hint: 'Choose up to four. Volunteers can switch reminders off.' },
        { name: 'reminders', label: 'When reminders go', type: 'checkboxes', options: admin.REMINDER_CHOICES.map((c) => ({ value: c.value, text: c.text })) },
        { name: 'customDays', label: 'Another reminder: days before (optional)', type: 'text', width: 'govuk-input--width-2', numeric: true, hint: 'From 0 (the day itself) to 14.' },
        { name: 'customTime', label: 'At this time (optional)', type: 'text', width: 'govuk-input--width-5', hint: 'On a 24-hour clock, like 18:30. Leave empty for the session’s own time.' },
        { name: 'preview', label: '', type: 'preview' },
        { name: 'heading', label: 'Alerts to coordinators', type: 'heading' },
        { name: 'shortAlertDays', label: 'Alert about a session still short this many days ahead', type: 'text', width: 'govuk-input--width-2', numeric: true },
        { name: 'digestDay', label: 'Day of the weekly digest of gaps', type: 'select', options: admin.DAYS.map((d, i) => ({ value: i + 1, text: d })) },
        { name: 'digestTime', label: 'Time of the weekly digest', type: 'text', width: 'govuk-input--width-5', hint: 'On a 24-hour clock, like 08:00.' },
        { name: 'heading', label: 'Keeping personal data', type: 'heading' },
        { name: 'retentionMonths', label: 'Months to keep a volunteer’s details after they leave', type: 'text', width: 'govuk-input--width-3', numeric: true, hint: 'Then their name and contact details are removed automatically. Usually 24.' },
      ],
    }
  }

  r.get('/admin/settings', { config: access }, async (request, reply) => {
    const user = userOf(request)
    const s = await service(request)
    const form = await admin.settingsForm(ctx, user, s.id)
    return formPage(reply, await settingsSpec(user, form.preview), form.values)
  })

  r.post('/admin/settings', { config: access }, async (request, reply) => {
    const user = userOf(request)
    const body = bodyOf(request)
    const values = { ...body, reminders: [body.reminders ?? []].flat() }
    if (body.intent === 'preview') {
      const { preview, errors } = admin.previewFromForm(body)
      return formPage(reply, await settingsSpec(user, preview), values, errors)
    }
    const s = await service(request)
    const ok = await attempt(reply, () => admin.saveSettings(ctx, user, s.id, body), async (errors) => formPage(reply, await settingsSpec(user, null), values, errors), '/admin/settings')
    if (ok) return reply.flash('The settings have been saved').redirect('/admin/settings', 303)
    return reply
  })

  // ── Branches ──
  r.get('/admin/branches', { config: access }, async (request, reply) => {
    const s = await service(request)
    return reply.page('admin/branches', { title: 'Branches', service: s, branches: await admin.branches(ctx, userOf(request), s.id) })
  })

  const branchSpec = (action: string, heading: string, submit: string): FormPage => ({
    title: heading,
    heading,
    action,
    back: '/admin/branches',
    submit,
    fields: branchFields,
    datalist: { id: 'zones', options: zones() },
  })

  r.get('/admin/branches/new', { config: access }, async (request, reply) => {
    await service(request)
    return formPage(reply, branchSpec('/admin/branches/new', 'Add a branch', 'Add the branch'), admin.EMPTY_BRANCH)
  })

  r.post('/admin/branches/new', { config: access }, async (request, reply) => {
    const s = await service(request)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.addBranch(ctx, userOf(request), s.id, body), (errors) => formPage(reply, branchSpec('/admin/branches/new', 'Add a branch', 'Add the branch'), body, errors), '/admin/branches')
    return ok ? reply.flash(`${String(body.name).trim()} has been added`).redirect('/admin/branches', 303) : reply
  })

  r.get('/admin/branches/:id', { config: access, schema: idParams }, async (request, reply) => {
    const b = await admin.branchForm(ctx, userOf(request), request.params.id)
    return formPage(reply, branchSpec(`/admin/branches/${b.id}`, `Edit ${b.name}`, 'Save the branch'), admin.branchValues(b))
  })

  r.post('/admin/branches/:id', { config: access, schema: idParams }, async (request, reply) => {
    const id = request.params.id
    const b = await admin.branchForm(ctx, userOf(request), id)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.editBranch(ctx, userOf(request), id, body), (errors) => formPage(reply, branchSpec(`/admin/branches/${id}`, `Edit ${b.name}`, 'Save the branch'), body, errors), '/admin/branches')
    return ok ? reply.flash('The branch has been saved').redirect('/admin/branches', 303) : reply
  })

  for (const [path, open] of [['close', false], ['reopen', true]] as const) {
    r.post(`/admin/branches/:id/${path}`, { config: access, schema: idParams }, async (request, reply) => {
      let name = ''
      const ok = await attempt(reply, async () => (name = await admin.setBranchOpen(ctx, userOf(request), request.params.id, open)), async () => undefined, '/admin/branches')
      return ok ? reply.flash(open ? `${name} is open again` : `${name} is closed: its history stays, and it takes no new sessions`).redirect('/admin/branches', 303) : reply
    })
  }

  // ── Topics and languages ──
  r.get('/admin/skills', { config: access }, async (request, reply) => {
    const s = await service(request)
    return reply.page('admin/skills', { title: 'Topics and languages', service: s, skills: await admin.skills(ctx, userOf(request), s.id) })
  })

  const newSkillSpec: FormPage = {
    title: 'Add a topic or language',
    heading: 'Add a topic or language',
    action: '/admin/skills/new',
    back: '/admin/skills',
    submit: 'Add it',
    fields: [
      { name: 'kind', label: 'Is it a topic or a language?', type: 'radios', options: [{ value: 'topic', text: 'A topic volunteers help with, like online banking' }, { value: 'language', text: 'A language volunteers speak, like Polish or BSL' }] },
      { name: 'name', label: 'Name', type: 'text' },
    ],
  }

  r.get('/admin/skills/new', { config: access }, async (request, reply) => {
    await service(request)
    return formPage(reply, newSkillSpec, {})
  })

  r.post('/admin/skills/new', { config: access }, async (request, reply) => {
    const s = await service(request)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.addSkill(ctx, userOf(request), s.id, body), (errors) => formPage(reply, newSkillSpec, body, errors), '/admin/skills')
    return ok ? reply.flash(`${String(body.name).trim()} has been added`).redirect('/admin/skills', 303) : reply
  })

  const renameSpec = (id: number, name: string): FormPage => ({ title: `Rename ${name}`, heading: `Rename ${name}`, action: `/admin/skills/${id}`, back: '/admin/skills', submit: 'Save the name', fields: [{ name: 'name', label: 'New name', type: 'text' }] })

  r.get('/admin/skills/:id', { config: access, schema: idParams }, async (request, reply) => {
    const s = await admin.skillForm(ctx, userOf(request), request.params.id)
    return formPage(reply, renameSpec(s.id, s.name), { name: s.name })
  })

  r.post('/admin/skills/:id', { config: access, schema: idParams }, async (request, reply) => {
    const s = await admin.skillForm(ctx, userOf(request), request.params.id)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.renameSkill(ctx, userOf(request), s.id, body), (errors) => formPage(reply, renameSpec(s.id, s.name), body, errors), '/admin/skills')
    return ok ? reply.flash('The name has been saved').redirect('/admin/skills', 303) : reply
  })

  const areasSpec = (id: number, name: string, areas: Array<{ key: string; name: string }>): FormPage => ({
    title: `Framework areas for ${name}`,
    heading: `Framework areas for ${name}`,
    action: `/admin/skills/${id}/areas`,
    back: '/admin/skills',
    submit: 'Save the areas',
    fields: [
      {
        name: 'areas',
        label: `Which areas does ${name} count towards?`,
        type: 'checkboxes',
        hint: 'The UK Essential Digital Skills framework sorts the skills people need online into these areas. Reports count the people helped with this topic under each area you tick. Tick all that apply.',
        options: areas.map((a) => ({ value: a.key, text: a.name })),
      },
    ],
  })

  r.get('/admin/skills/:id/areas', { config: access, schema: idParams }, async (request, reply) => {
    const f = await admin.skillAreasForm(ctx, userOf(request), request.params.id)
    return formPage(reply, areasSpec(f.skill.id, f.skill.name, f.areas), { areas: f.current })
  })

  r.post('/admin/skills/:id/areas', { config: access, schema: idParams }, async (request, reply) => {
    const f = await admin.skillAreasForm(ctx, userOf(request), request.params.id)
    const body = bodyOf(request)
    let saved = { name: '', areas: [] as string[] }
    const ok = await attempt(
      reply,
      async () => (saved = await admin.setSkillAreas(ctx, userOf(request), f.skill.id, body)),
      (errors) => formPage(reply, areasSpec(f.skill.id, f.skill.name, f.areas), { areas: [body.areas ?? []].flat() }, errors),
      '/admin/skills',
    )
    return ok ? reply.flash(`${saved.name} counts towards: ${saved.areas.join(', ')}`).redirect('/admin/skills', 303) : reply
  })

  for (const [path, active] of [['retire', false], ['restore', true]] as const) {
    r.post(`/admin/skills/:id/${path}`, { config: access, schema: idParams }, async (request, reply) => {
      let name = ''
      const ok = await attempt(reply, async () => (name = await admin.setSkillActive(ctx, userOf(request), request.params.id, active)), async () => undefined, '/admin/skills')
      return ok ? reply.flash(active ? `${name} is offered again` : `${name} is retired: it stays on old sessions and profiles`).redirect('/admin/skills', 303) : reply
    })
  }

  r.post('/admin/skills/:id/move', { config: access, schema: idParams }, async (request, reply) => {
    const ok = await attempt(reply, () => admin.moveSkill(ctx, userOf(request), request.params.id, bodyOf(request).direction), async () => undefined, '/admin/skills')
    return ok ? reply.redirect('/admin/skills', 303) : reply
  })

  // ── Training and checks ──
  r.get('/admin/trainings', { config: access }, async (request, reply) => {
    const s = await service(request)
    return reply.page('admin/trainings', { title: 'Training and checks', service: s, trainings: await admin.trainingKinds(ctx, userOf(request), s.id) })
  })

  const trainingSpec = (action: string, heading: string, submit: string): FormPage => ({ title: heading, heading, action, back: '/admin/trainings', submit, fields: trainingFields })

  r.get('/admin/trainings/new', { config: access }, async (request, reply) => {
    await service(request)
    return formPage(reply, trainingSpec('/admin/trainings/new', 'Add training or a check', 'Add it'), { kind: 'training', expires: 'no' })
  })

  r.post('/admin/trainings/new', { config: access }, async (request, reply) => {
    const s = await service(request)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.addTraining(ctx, userOf(request), s.id, body), (errors) => formPage(reply, trainingSpec('/admin/trainings/new', 'Add training or a check', 'Add it'), body, errors), '/admin/trainings')
    return ok ? reply.flash(`${String(body.name).trim()} has been added`).redirect('/admin/trainings', 303) : reply
  })

  r.get('/admin/trainings/:id', { config: access, schema: idParams }, async (request, reply) => {
    const k = await admin.trainingForm(ctx, userOf(request), request.params.id)
    return formPage(reply, trainingSpec(`/admin/trainings/${k.id}`, `Edit ${k.name}`, 'Save'), {
      name: k.name,
      kind: k.kind,
      expires: k.validity_months ? 'yes' : 'no',
      validityMonths: k.validity_months ? String(k.validity_months) : '',
    })
  })

  r.post('/admin/trainings/:id', { config: access, schema: idParams }, async (request, reply) => {
    const k = await admin.trainingForm(ctx, userOf(request), request.params.id)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.editTraining(ctx, userOf(request), k.id, body), (errors) => formPage(reply, trainingSpec(`/admin/trainings/${k.id}`, `Edit ${k.name}`, 'Save'), body, errors), '/admin/trainings')
    return ok ? reply.flash(`${k.name} has been saved`).redirect('/admin/trainings', 303) : reply
  })

  for (const [path, active] of [['retire', false], ['restore', true]] as const) {
    r.post(`/admin/trainings/:id/${path}`, { config: access, schema: idParams }, async (request, reply) => {
      let name = ''
      const ok = await attempt(reply, async () => (name = await admin.setTrainingActive(ctx, userOf(request), request.params.id, active)), async () => undefined, '/admin/trainings')
      return ok ? reply.flash(active ? `${name} is in use again` : `${name} is retired: records of it stay`).redirect('/admin/trainings', 303) : reply
    })
  }

  // ── People with rights ──
  r.get('/admin/people', { config: access }, async (request, reply) => {
    const s = await service(request)
    return reply.page('admin/people', { title: 'People with rights', service: s, people: await admin.people(ctx, userOf(request), s.id) })
  })

  async function inviteSpec(user: SignedInUser): Promise<FormPage> {
    const s = await admin.serviceFor(ctx, user)
    return {
      title: 'Invite a coordinator, admin or partner',
      heading: 'Invite a coordinator, admin or partner',
      caption: s.name,
      intro: 'They get an email with a link to sign in. If they already have an account, the right is added to it.',
      action: '/admin/people/new',
      back: '/admin/people',
      submit: 'Send the invitation',
      fields: [
        { name: 'name', label: 'Full name', type: 'text' },
        { name: 'email', label: 'Email address', type: 'text', inputType: 'email', width: 'govuk-input--width-30' },
        ...rightFields(await admin.branches(ctx, user, s.id)),
      ],
    }
  }

  r.get('/admin/people/new', { config: access }, async (request, reply) => formPage(reply, await inviteSpec(userOf(request)), { role: 'coordinator', scope: 'all' }))

  r.post('/admin/people/new', { config: access }, async (request, reply) => {
    const user = userOf(request)
    const s = await service(request)
    const body = bodyOf(request)
    let who = { name: '', email: '' }
    const ok = await attempt(reply, async () => (who = await admin.invitePerson(ctx, user, s.id, body, clientKeyFor(request.ip))), async (errors) => formPage(reply, await inviteSpec(user), body, errors), '/admin/people')
    return ok ? reply.flash(`${who.name} has been sent a sign-in link at ${who.email}`).redirect('/admin/people', 303) : reply
  })

  async function grantSpec(user: SignedInUser, id: number, name: string): Promise<FormPage> {
    const s = await admin.serviceFor(ctx, user)
    return { title: `Change ${name}’s right`, heading: `Change ${name}’s right`, action: `/admin/people/${id}`, back: '/admin/people', submit: 'Save', fields: rightFields(await admin.branches(ctx, user, s.id)) }
  }

  r.get('/admin/people/:id', { config: access, schema: idParams }, async (request, reply) => {
    const g = await admin.grantForm(ctx, userOf(request), request.params.id)
    return formPage(reply, await grantSpec(userOf(request), g.id, g.name), { role: g.role, scope: g.branch_id ?? 'all' })
  })

  r.post('/admin/people/:id', { config: access, schema: idParams }, async (request, reply) => {
    const user = userOf(request)
    const g = await admin.grantForm(ctx, user, request.params.id)
    const body = bodyOf(request)
    const ok = await attempt(reply, () => admin.changeGrant(ctx, user, g.id, body), async (errors) => formPage(reply, await grantSpec(user, g.id, g.name), body, errors), '/admin/people')
    return ok ? reply.flash(`${g.name}’s right has been changed`).redirect('/admin/people', 303) : reply
  })

  r.post('/admin/people/:id/remove', { config: access, schema: idParams }, async (request, reply) => {
    let name = ''
    const ok = await attempt(reply, async () => (name = await admin.removeGrant(ctx, userOf(request), request.params.id)), async () => undefined, '/admin/people')
    return ok ? reply.flash(`${name}’s right has been removed and they have been signed out`).redirect('/admin/people', 303) : reply
  })

  // ── The audit log ──
  r.get('/admin/audit', { config: access }, async (request, reply) => {
    const s = await service(request)
    const log = await admin.auditLog(ctx, userOf(request), s.id, request.query as admin.AuditQuery)
    return reply.page('admin/audit', { title: log.errors.length ? 'Error: Audit log' : 'Audit log', service: s, ...log }, { status: log.errors.length ? 400 : 200 })
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
