// Coordinators and their volunteers: search, one volunteer's record, approving or rejecting applicants, pausing, marking as left, and recording trainings and checks.
import { DateTime } from 'luxon'
import { upcomingCount } from '../bookings/bookings.repository.js'
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import type { VolunteerStatus } from '../db/schema.js'
import { singleBranchIds, wholeServiceIds } from '../auth/access.js'
import { inTransaction } from '../db/transaction.js'
import { ConflictError, NotFoundError, ValidationError, type FieldError, type Wording } from '../errors.js'
import { audit } from '../audit/audit.repository.js'
import { enqueueEmail } from '../mail/outbox.repository.js'
import { todayForZones } from '../time/wall-clock.js'
import { formatFor, plural, timeRange } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { allWithLocalNames, withLocalNames } from '../i18n/names.js'
import { recipientLocale } from '../people/recipient-language.repository.js'
import { dayName } from '../time/weekdays.js'
import { assertVolunteerInScope, scopeOf } from './scope.js'
import { FormReader, parseId, sayIn, type FormBody } from '../forms/fields.js'
import * as repo from './volunteers.repository.js'
import * as invitations from './invitations.repository.js'
import { cancelCoverOfAssignmentInTx } from './invitations.service.js'
import { releasePlaceInTx } from '../assignments/places.service.js'
import { catalogue } from './sessions.repository.js'

export const STATUSES: ReadonlyArray<{ value: VolunteerStatus; label: string; colour: string }> = [
  { value: 'applied', label: 'Applied', colour: 'yellow' },
  { value: 'active', label: 'Active', colour: 'green' },
  { value: 'paused', label: 'Paused', colour: 'grey' },
  { value: 'left', label: 'Left', colour: 'grey' },
]

function searchScope(user: SignedInUser) {
  return { serviceIds: wholeServiceIds(user), branchIds: singleBranchIds(user) }
}

export function parseSearch(query: Record<string, string>): repo.VolunteerSearch {
  const status = STATUSES.find((s) => s.value === query.status)?.value ?? null
  const page = Number(query.page)
  return {
    q: (query.q ?? '').trim().slice(0, 100),
    skill: parseId(query.skill),
    branch: parseId(query.branch),
    status,
    page: Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1,
  }
}

/** `locale`: the page's language, for the names of branches and skills (src/i18n/names.ts). */
export async function listVolunteers(ctx: AppContext, user: SignedInUser, search: repo.VolunteerSearch, locale: Locale = 'en') {
  const scope = await scopeOf(ctx, user, locale)
  // A branch outside the coordinator's scope is ignored rather than revealing anything.
  const effective = { ...search, branch: search.branch !== null && scope.has(search.branch) ? search.branch : null }
  const { rows, total } = await repo.searchVolunteers(ctx.db, searchScope(user), effective)
  const skills = await repo.skillsOfVolunteers(ctx.db, rows.map((r) => r.id), locale)
  const cat = await catalogue(ctx.db, scope.serviceIds)
  const applicants = await repo.countApplicants(ctx.db, searchScope(user))
  return {
    search: effective,
    rows: rows.map((r) => ({ ...withLocalNames(r, locale), skills: skills.get(r.id) ?? [] })),
    total,
    pages: Math.max(1, Math.ceil(total / repo.PAGE_SIZE)),
    branches: scope.branches,
    skills: allWithLocalNames(cat.skills, locale),
    applicants,
  }
}


/** `locale`: the page's language, for the names of branches, skills and trainings (src/i18n/names.ts). */
export async function volunteerRecord(ctx: AppContext, user: SignedInUser, volunteerId: number, locale: Locale = 'en') {
  await assertVolunteerInScope(ctx.db, user, volunteerId)
  const found = await repo.findVolunteer(ctx.db, volunteerId)
  if (!found) throw new NotFoundError({ key: 'coordinator.refusal.noVolunteer' })
  const volunteer = withLocalNames(found, locale)
  const now = ctx.clock.now()
  const [lists, sessions, scope] = await Promise.all([repo.profileLists(ctx.db, volunteerId, locale), repo.sessionsOfVolunteer(ctx.db, volunteerId, now), scopeOf(ctx, user)])
  // Today as the coordinator's branches have it (the earliest of their dates), not London's.
  const today = todayForZones(now, scope.branches.map((b) => b.timezone))
  return {
    volunteer,
    status: STATUSES.find((s) => s.value === volunteer.status)!,
    branches: lists.branches,
    topics: lists.skills.filter((s) => s.kind === 'topic').map((s) => s.name),
    languages: lists.skills.filter((s) => s.kind === 'language').map((s) => s.name),
    windows: lists.windows.map((w) => ({ day: dayName(w.day_of_week), dayKey: DAY_KEYS[w.day_of_week - 1] ?? 'mon', start: w.start_time, end: w.end_time })),
    timeOff: lists.timeOff.filter((t) => t.end_date >= today),
    trainings: lists.trainings.map((t) => ({ ...t, valid: t.completed_on <= today && (t.expires_on === null || t.expires_on >= today) })),
    upcoming: sessions.upcoming.map((s) => ({ ...withLocalNames(s, locale), inScope: scope.has(s.branch_id) })),
    past: sessions.past.map((s) => ({ ...withLocalNames(s, locale), inScope: scope.has(s.branch_id) })),
  }
}

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

export type StatusAction = 'approve' | 'pause' | 'resume' | 'reject' | 'leave'

/**
 * The one table of how a volunteer's status may change (PRODUCT.md: applied → active → paused → left),
 * with what the coordinator is told when it is done (a refusal: coordinator.statusChange.refused.*).
 * Rejecting an applicant and marking someone as left both end at "left" (left_at starts the
 * retention period); each asks to be confirmed first, on its own page.
 */
export const TRANSITIONS: Record<StatusAction, { from: readonly VolunteerStatus[]; to: VolunteerStatus; done: string; confirm: boolean }> = {
  approve: { from: ['applied'], to: 'active', done: 'is now approved and has been emailed', confirm: false },
  pause: { from: ['active'], to: 'paused', done: 'is now paused: they will not be offered sessions until you resume them', confirm: false },
  resume: { from: ['paused'], to: 'active', done: 'is active again', confirm: false },
  reject: { from: ['applied'], to: 'left', done: 'has been told their application is not being taken forward', confirm: true },
  leave: { from: ['active', 'paused'], to: 'left', done: 'is now marked as left and has been emailed', confirm: true },
}

export const REASON_MAX = 500
/** Kept on each place a leaver is taken off, and told in its calendar cancellation. */
export const LEFT_THE_ROTA = 'No longer on the rota'

async function volunteerInScope(ctx: AppContext, user: SignedInUser, volunteerId: number) {
  await assertVolunteerInScope(ctx.db, user, volunteerId)
  const volunteer = await repo.findVolunteer(ctx.db, volunteerId)
  if (!volunteer) throw new NotFoundError({ key: 'coordinator.refusal.noVolunteer' })
  return volunteer
}

/** The "Are you sure?" page before rejecting or marking as left: refused straight away if the volunteer is not in a status it applies to. */
export async function statusChangeConfirmation(ctx: AppContext, user: SignedInUser, volunteerId: number, action: 'reject' | 'leave') {
  const volunteer = await volunteerInScope(ctx, user, volunteerId)
  const t = TRANSITIONS[action]
  if (!t.from.includes(volunteer.status)) throw new ConflictError(refusal(action, volunteer.name))
  const upcoming = action === 'leave' ? await repo.upcomingPlacesOf(ctx.db, volunteerId, ctx.clock.now()) : []
  return { volunteer, upcoming, reasonMax: REASON_MAX }
}

function contactLine(contact: string, user: SignedInUser): string {
  const given = contact.replace(/\s*\n\s*/g, ', ').trim()
  return given || `${user.name} (${user.email})`
}

function describePlace(p: repo.UpcomingPlace, locale: Locale) {
  const t = translator(locale)
  const fmt = formatFor(locale)
  const how = p.state === 'waitlisted' ? t('email.volunteerLeft.howWaiting') : p.state === 'invited' ? t('email.volunteerLeft.howInvited') : ''
  return { title: p.title, branch: withLocalNames(p, locale).branch_name, date: fmt.longDate(p.local_date), time: fmt.timeRange(p.start_time, p.end_time), how }
}

/**
 * Moves a volunteer along TRANSITIONS, with the email and the audit each move has. Marking as left
 * also gives up everything they hold on sessions to come, through the places rules (the waiting
 * list is offered each freed place), and ends their unanswered invitations.
 */
/** What the coordinator is told when a change cannot be made (coordinator.statusChange.refused.*), worded in the reader's language. */
function refusal(action: StatusAction, name: string): Wording {
  return { key: `coordinator.statusChange.refused.${action}`, values: { name } }
}

/** `locale`: the language of the message returned for the coordinator (the emails go in each volunteer's own). */
export async function changeVolunteerStatus(ctx: AppContext, user: SignedInUser, volunteerId: number, action: StatusAction, body: FormBody = {}, pageLocale: Locale = 'en'): Promise<string> {
  await assertVolunteerInScope(ctx.db, user, volunteerId)
  const t = TRANSITIONS[action]
  const form = new FormReader(body)
  const reason = action === 'reject' ? form.paragraph('reason', { label: 'Reason', max: REASON_MAX }) : ''
  form.done()
  return inTransaction(ctx.db, async (tx) => {
    const v = await repo.findVolunteer(tx, volunteerId)
    if (!v) throw new NotFoundError({ key: 'coordinator.refusal.noVolunteer' })
    const now = ctx.clock.now()
    const from = t.from.find((s) => s === v.status)
    if (!from || !(await repo.changeStatus(tx, volunteerId, from, t.to, now))) throw new ConflictError(refusal(action, v.name))
    const to = { address: v.email, name: v.name }
    const mailOf = { personId: v.person_id, libraryServiceId: v.library_service_id }
    const locale = await recipientLocale(tx, v.person_id)
    const say = translator(locale)
    let takenOff: repo.UpcomingPlace[] = []
    if (action === 'approve') {
      const mail = ctx.composer.compose('volunteer-approved', say('email.volunteerApproved.subject'), { name: v.name, signInUrl: `${ctx.config.baseUrl}/sign-in`, coordinator: user.name }, locale)
      await enqueueEmail(tx, { dedupeKey: `volunteer-approved:${volunteerId}`, kind: 'volunteer-approved', to, ...mail, ...mailOf }, now)
      ctx.outboxQueued(tx)
    } else if (action === 'reject') {
      const service = await repo.serviceForMail(tx, v.library_service_id)
      const mail = ctx.composer.compose('volunteer-rejected', say('email.volunteerRejected.subject', { service: service.name }), { name: v.name, service: service.name, reason, contact: contactLine(service.contact, user) }, locale)
      await enqueueEmail(tx, { dedupeKey: `volunteer-rejected:${volunteerId}:${now}`, kind: 'volunteer-rejected', to, ...mail, ...mailOf }, now)
      ctx.outboxQueued(tx)
    } else if (action === 'leave') {
      // Their status is already "left", so no freed place (nor any other) can come back to them.
      takenOff = await repo.upcomingPlacesOf(tx, volunteerId, now)
      for (const p of takenOff) {
        for (const i of await invitations.pendingOfAssignment(tx, p.assignment_id)) await invitations.settle(tx, i.id, 'withdrawn', now)
        // A held place is cancelled with its calendar cancellation; a wait or an invitation ends quietly (this email tells them).
        const released = await releasePlaceInTx(tx, ctx, { sessionId: p.session_id, volunteerId, toState: p.state === 'waitlisted' ? 'withdrawn' : 'cancelled', actorPersonId: user.personId, reason: LEFT_THE_ROTA, toldReason: (l) => (l === 'en' ? LEFT_THE_ROTA : translator(l)('email.reasons.leftTheRota')), wording: 'removed' })
        // Had they asked for cover, nobody needs to take the place from them now.
        if (released.kind === 'released') await cancelCoverOfAssignmentInTx(tx, ctx, released.assignmentId)
      }
      const service = await repo.serviceForMail(tx, v.library_service_id)
      const mail = ctx.composer.compose(
        'volunteer-left',
        say('email.volunteerLeft.subject', { service: service.name }),
        { name: v.name, service: service.name, coordinator: user.name, sessions: takenOff.map((p) => describePlace(p, locale)), contact: contactLine(service.contact, user) },
        locale,
      )
      await enqueueEmail(tx, { dedupeKey: `volunteer-left:${volunteerId}:${now}`, kind: 'volunteer-left', to, ...mail, ...mailOf }, now)
      ctx.outboxQueued(tx)
    }
    const detail = { from, to: t.to, ...(action === 'reject' ? { reasonGiven: reason !== '' } : {}), ...(action === 'leave' ? { sessions: takenOff.map((p) => p.session_id) } : {}) }
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: v.library_service_id, action: `volunteer.${action}`, objectType: 'volunteer', objectId: volunteerId, detail, at: now })
    if (pageLocale === 'en') {
      if (action === 'pause') {
        // Pausing is about new sessions; places already held stay until the coordinator changes them.
        const held = await upcomingCount(tx, volunteerId, now)
        if (held > 0) return `${v.name} ${t.done}. They still hold ${held === 1 ? 'a place' : 'places'} on ${plural(held, 'upcoming session')}: take them off any they should not go to, from the session's page`
      }
      if (action === 'leave' && takenOff.length) return `${v.name} ${t.done}. They have been taken off ${plural(takenOff.length, 'upcoming session')}`
      return `${v.name} ${t.done}`
    }
    const tell = translator(pageLocale)
    const done = tell(`coordinator.statusChange.done.${action}`, { name: v.name })
    if (action === 'pause') {
      const held = await upcomingCount(tx, volunteerId, now)
      if (held > 0) return tell('coordinator.statusChange.stillHolds', { done, count: held })
    }
    if (action === 'leave' && takenOff.length) return tell('coordinator.statusChange.leftTakenOff', { done, count: takenOff.length })
    return done
  })
}

export async function trainingForm(ctx: AppContext, user: SignedInUser, volunteerId: number) {
  await assertVolunteerInScope(ctx.db, user, volunteerId)
  const volunteer = await repo.findVolunteer(ctx.db, volunteerId)
  if (!volunteer) throw new NotFoundError({ key: 'coordinator.refusal.noVolunteer' })
  return { volunteer, kinds: await repo.trainingKindsOf(ctx.db, volunteer.library_service_id) }
}

/** Records a training or check. A blank expiry date uses the kind's usual validity. Its words (planning.*) in `locale`. */
export async function recordTraining(ctx: AppContext, user: SignedInUser, volunteerId: number, body: FormBody, locale: Locale = 'en'): Promise<string> {
  const { volunteer, kinds } = await trainingForm(ctx, user, volunteerId)
  const t = translator(locale)
  const named = (key: string) => ({ label: t(`planning.names.${key}.label`), what: t(`planning.names.${key}.what`) })
  const form = new FormReader(body, sayIn(t))
  const kindId = form.choice('kind', new Set(kinds.map((k) => k.id)), { ...named('trainingKind'), required: true })
  const kind = kinds.find((k) => k.id === kindId)
  const today = todayForZones(ctx.clock.now(), (await scopeOf(ctx, user)).branches.map((b) => b.timezone))
  const completed = form.date('completed', { ...named('completed'), required: true })
  if (completed > today) form.fail('completed', t('planning.errors.completedPast'))
  const expires = form.date('expires', named('expires'))
  if (expires && completed && expires <= completed) form.fail('expires', t('planning.errors.expiresAfter'))
  form.done()
  const expiresOn = expires || (kind!.validity_months ? DateTime.fromISO(completed, { zone: 'UTC' }).plus({ months: kind!.validity_months }).toISODate()! : null)
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    await repo.insertTraining(tx, { volunteerId, kindId: kind!.id, completedOn: completed, expiresOn, recordedBy: user.personId, now })
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: volunteer.library_service_id, action: 'training.recorded', objectType: 'volunteer', objectId: volunteerId, detail: { kind: kind!.name, completedOn: completed, expiresOn }, at: now })
    return expiresOn ? t('planning.training.recordedUntil', { kind: kind!.name, name: volunteer.name, date: formatFor(locale).longDate(expiresOn) }) : t('planning.training.recorded', { kind: kind!.name, name: volunteer.name })
  })
}
