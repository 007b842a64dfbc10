// The rules for running a library service from the browser: who may, what is valid, and an audit entry for every change.
//
// Every object is loaded by id and checked against the admin's own library services, so an
// admin of one service can never touch another's. Audit entries name ids and changed field
// names, never old values of personal fields.
import { ENDONYMS, isLocale, LANG_TAGS, LOCALES, translator, type Translate } from '../i18n/i18n.js'
import type { AppContext } from '../context.js'
import type { Role } from '../db/schema.js'
import { adminServiceIds, assertAdminOf, type SignedInUser } from '../auth/access.js'
import { audit } from '../audit/audit.repository.js'
import { inTransaction } from '../db/transaction.js'
import { ConflictError, ForbiddenError, NotFoundError, UserError, ValidationError, type FieldError, type Wording } from '../errors.js'
import { normaliseEmail } from '../auth/email-address.js'
import { Info } from 'luxon'
import type { Locale } from '../i18n/i18n.js'
import { formatFor } from '../views/format.js'
import { isValidDate, isValidZone, localToInstant, DEFAULT_ZONE } from '../time/wall-clock.js'
import { describeOffsets, parseOffsets, MAX_OFFSET_DAYS } from '../reminders/schedule.js'
import { clockTime } from '../views/format.js'
import { requestSignInLink } from '../auth/auth.service.js'
import { defaultAreasFor } from '../evidence/framework.js'
import { allFrameworkAreas, areaKeysOf, areaNamesByTopic, replaceTopicAreas } from '../evidence/framework.repository.js'
import * as repo from './admin.repository.js'
import type { Tx } from '../db/connect.js'

/** The admin's words, English unless a route passes its request's translator (request.t). */
const EN: Translate = translator('en')

/** What an admin is told when a name is already used in their library service (one wording per kind of thing). */
const NAME_TAKEN = {
  branch: (name: string, t: Translate = EN) => t('admin.errors.branchTaken', { name }),
  skill: (name: string, t: Translate = EN) => t('admin.errors.skillTaken', { name }),
  training: (name: string, t: Translate = EN) => t('admin.errors.trainingTaken', { name }),
}
const NAME_CHECK = { branch: repo.branchNameTaken, skill: repo.skillNameTaken, training: repo.trainingNameTaken }

/**
 * The name check once more inside the writing transaction, with the service's row held: the form's
 * check runs before it, so two admins saving the same new name at once would otherwise both pass.
 */
async function claimName(tx: Tx, what: keyof typeof NAME_TAKEN, serviceId: number, name: string, exceptId: number | null, t: Translate = EN): Promise<void> {
  await repo.lockServiceForNames(tx, serviceId)
  if (await NAME_CHECK[what](tx, serviceId, name, exceptId)) throw new ValidationError([{ field: 'name', message: NAME_TAKEN[what](name, t) }])
}

export type Body = Record<string, unknown>

const MAX_NAME = 120

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : ''
}

function list(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')
}

/** A whole number from a form field, or an error for it. */
function whole(body: Body, field: string, what: string, min: number, max: number, errors: FieldError[], t: Translate = EN): number {
  const raw = str(body[field])
  const named = { what, label: cap(what) }
  if (!/^\d{1,6}$/.test(raw)) {
    errors.push({ field, message: raw === '' ? t('admin.check.enter', named) : t('admin.check.whole', { ...named, example: min === 0 ? 3 : min + 1 }) })
    return min
  }
  const n = Number(raw)
  if (n < min || n > max) errors.push({ field, message: t('admin.check.between', { ...named, min, max }) })
  return n
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** Control characters (C0 but tab, line feed and carriage return; DEL; C1): nobody types them, and PostgreSQL refuses a NUL. */
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/

function text(body: Body, field: string, what: string, max: number, errors: FieldError[], required = false, t: Translate = EN): string {
  const v = str(body[field]).replace(/\r\n/g, '\n')
  const named = { what, label: cap(what) }
  if (HIDDEN.test(v)) errors.push({ field, message: t('admin.check.hidden', named) })
  else if (required && !v) errors.push({ field, message: t('admin.check.enter', named) })
  else if (v.length > max) errors.push({ field, message: t('admin.check.tooLong', { ...named, max }) })
  return v
}

/**
 * The Welsh form of a name (optional, issue 16): one line (runs of spaces become one), no hidden
 * characters, no longer than the English name may be. null when left empty.
 */
function welshName(body: Body, max: number, errors: FieldError[], t: Translate = EN): string | null {
  const v = str(body.nameCy)
  const named = { what: t('admin.what.welshName'), label: cap(t('admin.what.welshName')) }
  if (HIDDEN.test(v)) {
    errors.push({ field: 'nameCy', message: t('admin.check.hidden', named) })
    return null
  }
  const one = v.replace(/\s+/g, ' ')
  if (one.length > max) errors.push({ field: 'nameCy', message: t('admin.check.tooLong', { ...named, max }) })
  return one || null
}

function fail(errors: FieldError[]): void {
  if (errors.length) throw new ValidationError(errors)
}

// ── Which library service ───────────────────────────────────────────────────

/** The service an admin is working on: the one asked for (if theirs), else their first. */
export async function serviceFor(ctx: AppContext, user: SignedInUser, requested?: unknown): Promise<{ id: number; name: string; all: Array<{ id: number; name: string }> }> {
  const all = await repo.servicesNamed(ctx.db, adminServiceIds(user))
  if (!all.length) throw new ForbiddenError({ key: 'admin.errors.forAdmins' })
  const want = Number(str(requested))
  const chosen = all.find((s) => s.id === want) ?? all[0]!
  if (want && chosen.id !== want) throw new ForbiddenError({ key: 'admin.errors.notYourService' })
  return { ...chosen, all }
}

// ── Settings ─────────────────────────────────────────────────────────────────

export const REMINDER_CHOICES: ReadonlyArray<{ value: string; text: string }> = [
  { value: '2d', text: '2 days before, at the session’s time' },
  { value: '1d', text: 'The day before, at the session’s time' },
  { value: '1d@18:00', text: 'The day before at 18:00' },
  { value: '0d@08:00', text: 'On the day at 08:00' },
  { value: '3h', text: '3 hours before' },
]
export const MAX_REMINDERS = 4
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

/** The reminder presets in a language (the catalogue's admin.settings.choices). */
export function reminderChoices(t: Translate = EN): Array<{ value: string; text: string }> {
  return REMINDER_CHOICES.map((c) => ({ value: c.value, text: t(`admin.settings.choices.${c.value}`) }))
}

/** The days of the week, Monday first, in a language: the English list, or Luxon's (Intl's) Welsh names. */
export function dayNames(locale: Locale): string[] {
  return locale === 'en' ? DAYS : Info.weekdays('long', { locale })
}

/** The reminders in Welsh words, as describeOffsets gives them in English ("two days before, and at 8am on the day"). */
function describeOffsetsIn(offsets: ReturnType<typeof parseOffsets>, t: Translate, clock: (time: string) => string): string {
  const days = (n: number) => (n === 1 ? t('admin.preview.dayBefore') : t('admin.preview.daysBefore', { n }))
  const parts = offsets.map((o) => {
    if (o.kind === 'days-before') return o.days === 0 ? t('admin.preview.whenStarts') : days(o.days)
    if (o.kind === 'hours-before') return o.hours === 1 ? t('admin.preview.hourBefore') : t('admin.preview.hoursBefore', { n: o.hours })
    return o.days === 0 ? t('admin.preview.atOnTheDay', { time: clock(o.time) }) : t('admin.preview.atDaysBefore', { time: clock(o.time), days: days(o.days) })
  })
  return parts.length <= 1 ? (parts[0] ?? '') : t('admin.preview.list', { first: parts.slice(0, -1).join(', '), last: parts[parts.length - 1] })
}

/** The sentence a volunteer would read about their reminders, in the admin's language. */
export function previewReminders(setting: string, locale: Locale = 'en'): string {
  const t = translator(locale)
  const offsets = parseOffsets(setting)
  if (!offsets.length) return t('admin.preview.none')
  // English keeps the volunteers' own wording (describeOffsets, with number words); Welsh its own.
  const when = locale === 'en' ? describeOffsets(offsets, clockTime) : describeOffsetsIn(offsets, t, formatFor(locale).clockTime)
  return t('admin.preview.some', { when })
}

/** Chosen presets plus an optional "N days before, at HH:MM (or the session's time)" → the stored setting. */
export function offsetsFrom(body: Body, errors: FieldError[], t: Translate = EN): string {
  const chosen = list(body.reminders)
  const known = new Set(REMINDER_CHOICES.map((c) => c.value))
  const parts: string[] = []
  for (const c of chosen) {
    if (!known.has(c)) errors.push({ field: 'reminders', message: t('admin.errors.reminderFromList') })
    else if (!parts.includes(c)) parts.push(c)
  }
  const daysRaw = str(body.customDays)
  const timeRaw = str(body.customTime)
  if (daysRaw || timeRaw) {
    if (!/^\d{1,2}$/.test(daysRaw) || Number(daysRaw) > MAX_OFFSET_DAYS) errors.push({ field: 'customDays', message: t('admin.errors.customDays', { max: MAX_OFFSET_DAYS }) })
    else if (timeRaw && !/^([01]\d|2[0-3]):[0-5]\d$/.test(timeRaw)) errors.push({ field: 'customTime', message: t('admin.errors.customTime') })
    else if (!timeRaw && Number(daysRaw) === 0) errors.push({ field: 'customDays', message: t('admin.errors.customZero') })
    else {
      const key = timeRaw ? `${Number(daysRaw)}d@${timeRaw}` : `${Number(daysRaw)}d`
      if (parts.includes(key)) errors.push({ field: 'customDays', message: t('admin.errors.customTicked') })
      else parts.push(key)
    }
  }
  if (parts.length > MAX_REMINDERS) errors.push({ field: 'reminders', message: t('admin.errors.tooMany', { max: MAX_REMINDERS }) })
  return parts.join(',')
}

export async function settingsForm(ctx: AppContext, user: SignedInUser, serviceId: number, locale: Locale = 'en') {
  assertAdminOf(user, serviceId)
  const s = (await repo.findService(ctx.db, serviceId))!
  const offsets = s.reminder_offsets.split(',').filter(Boolean)
  const presets = offsets.filter((o) => REMINDER_CHOICES.some((c) => c.value === o))
  const custom = offsets.find((o) => !presets.includes(o))
  const m = custom ? /^(\d+)d(?:@(\d\d:\d\d))?$/.exec(custom) : null
  return {
    values: {
      name: s.name,
      bookingWindowDays: String(s.booking_window_days),
      withdrawCutoffHours: String(s.withdraw_cutoff_hours),
      reminders: presets,
      customDays: m?.[1] ?? '',
      customTime: m?.[2] ?? '',
      shortAlertDays: String(s.short_alert_days),
      digestDay: String(s.digest_day),
      digestTime: s.digest_time,
      contact: s.contact,
      retentionMonths: String(s.retention_months),
      defaultLanguage: s.default_language,
    },
    preview: previewReminders(s.reminder_offsets, locale),
  }
}

function defaultLanguage(body: Body, errors: FieldError[], t: Translate): string | undefined {
  // Absent (a form from before the question existed): left as it is.
  if (body.defaultLanguage === undefined) return undefined
  const value = str(body.defaultLanguage)
  if (isLocale(value)) return value
  errors.push({ field: 'defaultLanguage', message: t('admin.errors.language') })
  return 'en'
}

function readSettings(body: Body, errors: FieldError[], t: Translate): repo.ServiceSettings {
  const digestTime = str(body.digestTime)
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(digestTime)) errors.push({ field: 'digestTime', message: t('admin.errors.digestTime') })
  const language = defaultLanguage(body, errors, t)
  const digestDay = str(body.digestDay)
  if (!/^[1-7]$/.test(digestDay)) errors.push({ field: 'digestDay', message: t('admin.errors.digestDay') })
  return {
    name: text(body, 'name', t('admin.what.serviceName'), MAX_NAME, errors, true, t),
    booking_window_days: whole(body, 'bookingWindowDays', t('admin.what.bookingWindow'), 1, 366, errors, t),
    withdraw_cutoff_hours: whole(body, 'withdrawCutoffHours', t('admin.what.cutoff'), 0, 336, errors, t),
    reminder_offsets: offsetsFrom(body, errors, t),
    short_alert_days: whole(body, 'shortAlertDays', t('admin.what.shortAlert'), 0, 28, errors, t),
    digest_day: Number(digestDay) || 1,
    digest_time: digestTime,
    contact: text(body, 'contact', t('admin.what.contact'), 300, errors, false, t),
    retention_months: whole(body, 'retentionMonths', t('admin.what.retention'), 1, 120, errors, t),
    ...(language === undefined ? {} : { default_language: language }),
  }
}

/** For the Preview button: the sentence for what was ticked, without saving. */
export function previewFromForm(body: Body, locale: Locale = 'en'): { preview: string | null; errors: FieldError[] } {
  const errors: FieldError[] = []
  const setting = offsetsFrom(body, errors, translator(locale))
  return { preview: errors.length ? null : previewReminders(setting, locale), errors }
}

export async function saveSettings(ctx: AppContext, user: SignedInUser, serviceId: number, body: Body, t: Translate = EN): Promise<void> {
  assertAdminOf(user, serviceId)
  const errors: FieldError[] = []
  const next = readSettings(body, errors, t)
  if (!errors.some((e) => e.field === 'name') && (await repo.serviceNameTaken(ctx.db, next.name, serviceId))) errors.push({ field: 'name', message: t('admin.errors.serviceTaken') })
  fail(errors)
  await inTransaction(ctx.db, async (tx) => {
    const before = (await repo.findService(tx, serviceId))!
    const changed = (Object.keys(next) as Array<keyof repo.ServiceSettings>).filter((k) => before[k] !== next[k])
    if (!changed.length) return
    await repo.updateService(tx, serviceId, next)
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: serviceId, action: 'service.settings_changed', objectType: 'library_service', objectId: serviceId, detail: { fields: changed }, at: ctx.clock.now() })
  })
}

// ── Branches ─────────────────────────────────────────────────────────────────

/** A row of a library service the user administers; one that does not exist is not found, and another service's is forbidden. */
function ownRow<T extends { library_service_id: number }>(user: SignedInUser, row: T | null | undefined, missing: Wording): T {
  if (!row) throw new NotFoundError(missing)
  assertAdminOf(user, row.library_service_id)
  return row
}

async function ownBranch(ctx: AppContext, user: SignedInUser, id: number) {
  return ownRow(user, await repo.findBranch(ctx.db, id), { key: 'admin.errors.noBranch' })
}

export function branchValues(b: { name: string; name_cy: string | null; address: string; postcode: string; timezone: string; arrival_notes: string; accessibility_notes: string }) {
  return { name: b.name, nameCy: b.name_cy ?? '', address: b.address, postcode: b.postcode, timezone: b.timezone, arrivalNotes: b.arrival_notes, accessibilityNotes: b.accessibility_notes }
}

/** The choice of a library service's default language: each in its own words. */
export const LANGUAGE_CHOICES = LOCALES.map((l) => ({ value: l, text: ENDONYMS[l], lang: LANG_TAGS[l] }))

export const EMPTY_BRANCH = { name: '', nameCy: '', address: '', postcode: '', timezone: DEFAULT_ZONE, arrivalNotes: '', accessibilityNotes: '' }

async function readBranch(ctx: AppContext, serviceId: number, body: Body, exceptId: number | null, t: Translate): Promise<repo.BranchFields> {
  const errors: FieldError[] = []
  const name = text(body, 'name', t('admin.what.branchName'), MAX_NAME, errors, true, t)
  const nameCy = welshName(body, MAX_NAME, errors, t)
  const timezone = str(body.timezone) || DEFAULT_ZONE
  // IANA names only: Luxon (through isValidZone) knows them; "GMT+1" style offsets are refused too.
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(timezone) || !isValidZone(timezone)) errors.push({ field: 'timezone', message: t('admin.errors.zone', { zone: timezone.slice(0, 60) }) })
  const b = {
    name,
    name_cy: nameCy,
    address: text(body, 'address', t('admin.what.address'), 300, errors, false, t),
    postcode: text(body, 'postcode', t('admin.what.postcode'), 12, errors, false, t).toUpperCase(),
    timezone,
    arrival_notes: text(body, 'arrivalNotes', t('admin.what.arrivalNotes'), 2000, errors, false, t),
    accessibility_notes: text(body, 'accessibilityNotes', t('admin.what.accessibilityNotes'), 2000, errors, false, t),
  }
  if (name && !errors.some((e) => e.field === 'name') && (await repo.branchNameTaken(ctx.db, serviceId, name, exceptId))) errors.push({ field: 'name', message: NAME_TAKEN.branch(name, t) })
  fail(errors)
  return b
}

export async function branches(ctx: AppContext, user: SignedInUser, serviceId: number) {
  assertAdminOf(user, serviceId)
  return repo.branchesOf(ctx.db, serviceId)
}

export async function addBranch(ctx: AppContext, user: SignedInUser, serviceId: number, body: Body, t: Translate = EN): Promise<number> {
  assertAdminOf(user, serviceId)
  const b = await readBranch(ctx, serviceId, body, null, t)
  return inTransaction(ctx.db, async (tx) => {
    await claimName(tx, 'branch', serviceId, b.name, null, t)
    const now = ctx.clock.now()
    const id = await repo.insertBranch(tx, serviceId, b, now)
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: serviceId, action: 'branch.added', objectType: 'branch', objectId: id, at: now })
    return id
  })
}

export async function branchForm(ctx: AppContext, user: SignedInUser, id: number) {
  return ownBranch(ctx, user, id)
}

export async function editBranch(ctx: AppContext, user: SignedInUser, id: number, body: Body, t: Translate = EN): Promise<void> {
  const before = await ownBranch(ctx, user, id)
  const b = await readBranch(ctx, before.library_service_id, body, id, t)
  // A form from before the Welsh name existed (no nameCy field) leaves the Welsh name as it is.
  if (body.nameCy === undefined) b.name_cy = before.name_cy ?? null
  const changed = (Object.keys(b) as Array<keyof repo.BranchFields>).filter((k) => (before[k] ?? null) !== b[k])
  if (!changed.length) return
  await inTransaction(ctx.db, async (tx) => {
    if (changed.includes('name')) await claimName(tx, 'branch', before.library_service_id, b.name, id, t)
    await repo.updateBranch(tx, id, b)
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: before.library_service_id, action: 'branch.changed', objectType: 'branch', objectId: id, detail: { fields: changed }, at: ctx.clock.now() })
  })
}

/** Closing keeps every session and report; the branch just stops taking new sessions and volunteers. */
export async function setBranchOpen(ctx: AppContext, user: SignedInUser, id: number, open: boolean): Promise<string> {
  const b = await ownBranch(ctx, user, id)
  if ((b.active === 1) === open) throw new ConflictError({ key: open ? 'admin.errors.branchOpen' : 'admin.errors.branchClosed', values: { name: b.name } })
  await inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    await repo.updateBranch(tx, id, { active: open ? 1 : 0, closed_at: open ? null : now })
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: b.library_service_id, action: open ? 'branch.reopened' : 'branch.closed', objectType: 'branch', objectId: id, at: now })
  })
  return b.name
}

// ── Topics and languages ────────────────────────────────────────────────────

async function ownSkill(ctx: AppContext, user: SignedInUser, id: number) {
  return ownRow(user, await repo.findSkill(ctx.db, id), { key: 'admin.errors.noSkill' })
}

/** The service's topics and languages, each topic with the names of the framework areas it counts towards. */
export async function skills(ctx: AppContext, user: SignedInUser, serviceId: number) {
  assertAdminOf(user, serviceId)
  const [rows, areas] = await Promise.all([repo.skillsOf(ctx.db, serviceId), areaNamesByTopic(ctx.db, serviceId)])
  return rows.map((s) => ({ ...s, areas: areas.get(s.id) ?? [] }))
}

const MAX_SKILL_NAME = 80

/** The English name and its Welsh form (null when none), each checked. */
async function skillName(ctx: AppContext, serviceId: number, body: Body, exceptId: number | null, t: Translate): Promise<{ name: string; nameCy: string | null }> {
  const errors: FieldError[] = []
  const name = text(body, 'name', t('admin.what.aName'), MAX_SKILL_NAME, errors, true, t)
  const nameCy = welshName(body, MAX_SKILL_NAME, errors, t)
  if (name && !errors.some((e) => e.field === 'name') && (await repo.skillNameTaken(ctx.db, serviceId, name, exceptId))) errors.push({ field: 'name', message: NAME_TAKEN.skill(name, t) })
  fail(errors)
  return { name, nameCy }
}

export async function addSkill(ctx: AppContext, user: SignedInUser, serviceId: number, body: Body, t: Translate = EN): Promise<number> {
  assertAdminOf(user, serviceId)
  const errors: FieldError[] = []
  const kind = str(body.kind)
  if (kind !== 'topic' && kind !== 'language') errors.push({ field: 'kind', message: t('admin.errors.skillKind') })
  let name = ''
  let nameCy: string | null = null
  try {
    ;({ name, nameCy } = await skillName(ctx, serviceId, body, null, t))
  } catch (err) {
    if (err instanceof ValidationError) errors.push(...err.errors)
    else throw err
  }
  fail(errors)
  return inTransaction(ctx.db, async (tx) => {
    await claimName(tx, 'skill', serviceId, name, null, t)
    const id = await repo.insertSkill(tx, serviceId, name, kind as 'topic' | 'language', nameCy)
    // A new topic counts towards its default areas at once, so reports never leave it out; the admin can change them.
    const areas = kind === 'topic' ? defaultAreasFor(name) : []
    if (areas.length) await replaceTopicAreas(tx, id, areas)
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: serviceId, action: 'skill.added', objectType: 'skill', objectId: id, detail: areas.length ? { kind, areas } : { kind }, at: ctx.clock.now() })
    return id
  })
}

export async function skillForm(ctx: AppContext, user: SignedInUser, id: number) {
  return ownSkill(ctx, user, id)
}

export async function renameSkill(ctx: AppContext, user: SignedInUser, id: number, body: Body, t: Translate = EN): Promise<void> {
  const s = await ownSkill(ctx, user, id)
  const { name, nameCy } = await skillName(ctx, s.library_service_id, body, id, t)
  // A form from before the Welsh name existed (no nameCy field) leaves the Welsh name as it is.
  const next = { name, name_cy: body.nameCy === undefined ? (s.name_cy ?? null) : nameCy }
  const changed = (['name', 'name_cy'] as const).filter((k) => (s[k] ?? null) !== next[k])
  if (!changed.length) return
  await inTransaction(ctx.db, async (tx) => {
    if (changed.includes('name')) await claimName(tx, 'skill', s.library_service_id, name, id, t)
    await repo.updateSkill(tx, id, next)
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: s.library_service_id, action: 'skill.renamed', objectType: 'skill', objectId: id, detail: { fields: changed }, at: ctx.clock.now() })
  })
}

/** A topic of the admin's own service: languages count towards no framework area. */
async function ownTopic(ctx: AppContext, user: SignedInUser, id: number) {
  const s = await ownSkill(ctx, user, id)
  if (s.kind !== 'topic') throw new NotFoundError({ key: 'admin.errors.isLanguage', values: { name: s.name } })
  return s
}

/** The form for a topic's framework areas: every area in the framework's order, and the ones it counts towards now. */
export async function skillAreasForm(ctx: AppContext, user: SignedInUser, id: number) {
  const skill = await ownTopic(ctx, user, id)
  const [areas, current] = await Promise.all([allFrameworkAreas(ctx.db), areaKeysOf(ctx.db, id)])
  return { skill, areas, current }
}

/** Replaces the areas a topic counts towards (at least one, all from the framework); returns their names. */
export async function setSkillAreas(ctx: AppContext, user: SignedInUser, id: number, body: Body, t: Translate = EN): Promise<{ name: string; areas: string[] }> {
  const s = await ownTopic(ctx, user, id)
  const areas = await allFrameworkAreas(ctx.db)
  const chosen = list(body.areas)
  const errors: FieldError[] = []
  if (chosen.some((k) => !areas.some((a) => a.key === k))) errors.push({ field: 'areas', message: t('admin.errors.areasFromList') })
  else if (!chosen.length) errors.push({ field: 'areas', message: t('admin.errors.areasNone') })
  fail(errors)
  const after = areas.filter((a) => chosen.includes(a.key))
  await inTransaction(ctx.db, async (tx) => {
    const before = await areaKeysOf(tx, id)
    if (before.join() === after.map((a) => a.key).join()) return
    await replaceTopicAreas(tx, id, after.map((a) => a.key))
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: s.library_service_id, action: 'skill.areas_changed', objectType: 'skill', objectId: id, detail: { before, after: after.map((a) => a.key) }, at: ctx.clock.now() })
  })
  return { name: s.name, areas: after.map((a) => a.name) }
}

/** A retired skill stays on old sessions and profiles, and is no longer offered. */
export async function setSkillActive(ctx: AppContext, user: SignedInUser, id: number, active: boolean): Promise<string> {
  const s = await ownSkill(ctx, user, id)
  if ((s.active === 1) === active) throw new ConflictError({ key: active ? 'admin.errors.skillOffered' : 'admin.errors.skillRetired', values: { name: s.name } })
  await inTransaction(ctx.db, async (tx) => {
    await repo.updateSkill(tx, id, { active: active ? 1 : 0 })
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: s.library_service_id, action: active ? 'skill.restored' : 'skill.retired', objectType: 'skill', objectId: id, at: ctx.clock.now() })
  })
  return s.name
}

/** Moves a skill one place up or down among its kind (topics or languages), renumbering them in order. */
export async function moveSkill(ctx: AppContext, user: SignedInUser, id: number, direction: unknown): Promise<void> {
  const s = await ownSkill(ctx, user, id)
  if (direction !== 'up' && direction !== 'down') throw new UserError({ key: 'admin.errors.upOrDown' })
  await inTransaction(ctx.db, async (tx) => {
    const same = (await repo.skillsOf(tx, s.library_service_id)).filter((x) => x.kind === s.kind)
    const i = same.findIndex((x) => x.id === id)
    const j = direction === 'up' ? i - 1 : i + 1
    if (j < 0 || j >= same.length) return
    ;[same[i], same[j]] = [same[j]!, same[i]!]
    for (const [n, x] of same.entries()) if (x.sort_order !== n + 1) await repo.updateSkill(tx, x.id, { sort_order: n + 1 })
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: s.library_service_id, action: 'skill.moved', objectType: 'skill', objectId: id, detail: { direction }, at: ctx.clock.now() })
  })
}

// ── Training kinds and checks ───────────────────────────────────────────────

async function ownTraining(ctx: AppContext, user: SignedInUser, id: number) {
  return ownRow(user, await repo.findTrainingKind(ctx.db, id), { key: 'admin.errors.noTraining' })
}

export async function trainingKinds(ctx: AppContext, user: SignedInUser, serviceId: number) {
  assertAdminOf(user, serviceId)
  return repo.trainingKindsOf(ctx.db, serviceId)
}

async function readTraining(ctx: AppContext, serviceId: number, body: Body, exceptId: number | null, tr: Translate) {
  const errors: FieldError[] = []
  const name = text(body, 'name', tr('admin.what.aName'), MAX_NAME, errors, true, tr)
  const nameCy = welshName(body, MAX_NAME, errors, tr)
  const kind = str(body.kind)
  if (kind !== 'training' && kind !== 'check') errors.push({ field: 'kind', message: tr('admin.errors.trainingKind') })
  const expires = str(body.expires)
  let validity: number | null = null
  if (expires === 'yes') validity = whole(body, 'validityMonths', tr('admin.what.months'), 1, 120, errors, tr)
  else if (expires !== 'no') errors.push({ field: 'expires', message: tr('admin.errors.expires') })
  if (name && !errors.some((e) => e.field === 'name') && (await repo.trainingNameTaken(ctx.db, serviceId, name, exceptId))) errors.push({ field: 'name', message: NAME_TAKEN.training(name, tr) })
  fail(errors)
  return { name, name_cy: nameCy, kind: kind as 'training' | 'check', validity_months: validity }
}

export async function addTraining(ctx: AppContext, user: SignedInUser, serviceId: number, body: Body, tr: Translate = EN): Promise<number> {
  assertAdminOf(user, serviceId)
  const t = await readTraining(ctx, serviceId, body, null, tr)
  return inTransaction(ctx.db, async (tx) => {
    await claimName(tx, 'training', serviceId, t.name, null, tr)
    const id = await repo.insertTrainingKind(tx, serviceId, t)
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: serviceId, action: 'training_kind.added', objectType: 'training_kind', objectId: id, at: ctx.clock.now() })
    return id
  })
}

export async function trainingForm(ctx: AppContext, user: SignedInUser, id: number) {
  return ownTraining(ctx, user, id)
}

export async function editTraining(ctx: AppContext, user: SignedInUser, id: number, body: Body, tr: Translate = EN): Promise<void> {
  const before = await ownTraining(ctx, user, id)
  const t = await readTraining(ctx, before.library_service_id, body, id, tr)
  if (body.nameCy === undefined) t.name_cy = before.name_cy ?? null
  const changed = (Object.keys(t) as Array<keyof typeof t>).filter((k) => (before[k] ?? null) !== t[k])
  if (!changed.length) return
  await inTransaction(ctx.db, async (tx) => {
    if (changed.includes('name')) await claimName(tx, 'training', before.library_service_id, t.name, id, tr)
    await repo.updateTrainingKind(tx, id, t)
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: before.library_service_id, action: 'training_kind.changed', objectType: 'training_kind', objectId: id, detail: { fields: changed }, at: ctx.clock.now() })
  })
}

export async function setTrainingActive(ctx: AppContext, user: SignedInUser, id: number, active: boolean): Promise<string> {
  const t = await ownTraining(ctx, user, id)
  if ((t.active === 1) === active) throw new ConflictError({ key: active ? 'admin.errors.trainingInUse' : 'admin.errors.trainingRetired', values: { name: t.name } })
  await inTransaction(ctx.db, async (tx) => {
    await repo.updateTrainingKind(tx, id, { active: active ? 1 : 0 })
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: t.library_service_id, action: active ? 'training_kind.restored' : 'training_kind.retired', objectType: 'training_kind', objectId: id, at: ctx.clock.now() })
  })
  return t.name
}

// ── People with rights ──────────────────────────────────────────────────────

export async function people(ctx: AppContext, user: SignedInUser, serviceId: number) {
  assertAdminOf(user, serviceId)
  return repo.grantsOf(ctx.db, serviceId)
}

/** Role and scope from the form: a coordinator covers the whole service or one branch; an admin or a partner the whole service. */
async function readRight(ctx: AppContext, serviceId: number, body: Body, errors: FieldError[], t: Translate): Promise<{ role: Role; branchId: number | null }> {
  const role = str(body.role)
  if (role !== 'coordinator' && role !== 'admin' && role !== 'partner') errors.push({ field: 'role', message: t('admin.errors.role') })
  const scope = str(body.scope) || 'all'
  let branchId: number | null = null
  if (scope !== 'all') {
    const b = /^\d{1,9}$/.test(scope) ? await repo.findBranch(ctx.db, Number(scope)) : null
    if (!b || b.library_service_id !== serviceId) errors.push({ field: 'scope', message: t('admin.errors.scope') })
    else if (b.active !== 1) errors.push({ field: 'scope', message: t('admin.errors.scopeClosed', { name: b.name }) })
    else branchId = b.id
  }
  if (role === 'admin' && branchId !== null) errors.push({ field: 'scope', message: t('admin.errors.adminScope') })
  // A partner's figures are per library service, never per branch (a branch's month could point at someone).
  if (role === 'partner' && branchId !== null) errors.push({ field: 'scope', message: t('admin.errors.partnerScope') })
  return { role: role as Role, branchId }
}

export async function invitePerson(ctx: AppContext, user: SignedInUser, serviceId: number, body: Body, clientKey: string, t: Translate = EN): Promise<{ name: string; email: string }> {
  assertAdminOf(user, serviceId)
  const errors: FieldError[] = []
  const name = text(body, 'name', t('admin.what.fullName'), MAX_NAME, errors, true, t)
  const emailRaw = str(body.email)
  const email = normaliseEmail(emailRaw)
  if (!email) errors.push({ field: 'email', message: t(emailRaw ? 'admin.errors.emailFormat' : 'admin.errors.emailEnter') })
  const right = await readRight(ctx, serviceId, body, errors, t)
  fail(errors)
  const now = ctx.clock.now()
  await inTransaction(ctx.db, async (tx) => {
    await repo.lockService(tx, serviceId)
    const existing = await repo.personByEmail(tx, email!)
    if (existing && (await repo.sameGrant(tx, existing.id, serviceId, right.role, right.branchId))) {
      throw new ValidationError([{ field: 'email', message: t('admin.errors.hasRight', { name: existing.name }) }])
    }
    const personId = existing?.id ?? (await repo.insertPerson(tx, email!, name, now))
    const grantId = await repo.insertGrant(tx, { personId, role: right.role, serviceId, branchId: right.branchId, now })
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: serviceId, action: 'right.granted', objectType: 'role_grant', objectId: grantId, detail: { personId, role: right.role, branchId: right.branchId }, at: now })
  })
  // Sent after the right exists, so the link signs them straight in with it.
  await requestSignInLink(ctx, email!, clientKey)
  return { name, email: email! }
}

async function ownGrant(ctx: AppContext, user: SignedInUser, id: number) {
  return ownRow(user, await repo.findGrant(ctx.db, id), { key: 'admin.errors.noRight' })
}

export async function grantForm(ctx: AppContext, user: SignedInUser, id: number) {
  return ownGrant(ctx, user, id)
}

const LAST_ADMIN = 'admin.errors.lastAdmin'

export async function changeGrant(ctx: AppContext, user: SignedInUser, id: number, body: Body, t: Translate = EN): Promise<void> {
  const g = await ownGrant(ctx, user, id)
  const errors: FieldError[] = []
  const right = await readRight(ctx, g.library_service_id, body, errors, t)
  fail(errors)
  if (right.role === g.role && right.branchId === g.branch_id) return
  await inTransaction(ctx.db, async (tx) => {
    await repo.lockService(tx, g.library_service_id)
    if (g.role === 'admin' && right.role !== 'admin' && (await repo.countAdmins(tx, g.library_service_id)) <= 1) throw new ValidationError([{ field: 'role', message: t(LAST_ADMIN) }])
    if (await repo.sameGrant(tx, g.person_id, g.library_service_id, right.role, right.branchId, id)) throw new ValidationError([{ field: 'role', message: t('admin.errors.hasThatRight', { name: g.name }) }])
    await repo.updateGrant(tx, id, right.role, right.branchId)
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: g.library_service_id, action: 'right.changed', objectType: 'role_grant', objectId: id, detail: { personId: g.person_id, role: right.role, branchId: right.branchId }, at: ctx.clock.now() })
  })
}

/** Removing a right signs the person out everywhere at once. */
export async function removeGrant(ctx: AppContext, user: SignedInUser, id: number): Promise<string> {
  const g = await ownGrant(ctx, user, id)
  await inTransaction(ctx.db, async (tx) => {
    await repo.lockService(tx, g.library_service_id)
    if (g.role === 'admin' && (await repo.countAdmins(tx, g.library_service_id)) <= 1) throw new ConflictError({ key: LAST_ADMIN })
    await repo.deleteGrant(tx, id)
    await repo.endSessionsOf(tx, g.person_id)
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: g.library_service_id, action: 'right.removed', objectType: 'role_grant', objectId: id, detail: { personId: g.person_id, role: g.role }, at: ctx.clock.now() })
  })
  return g.name
}

// ── The audit log ────────────────────────────────────────────────────────────

export const AUDIT_PAGE_SIZE = 50

export interface AuditQuery {
  person?: unknown
  kind?: unknown
  from?: unknown
  to?: unknown
  page?: unknown
}

/** Reads the filters; a bad date is a field error (and no filter is applied until it is fixed). */
function auditFilter(serviceId: number, q: AuditQuery, errors: FieldError[], t: Translate = EN): { filter: repo.AuditFilter; values: Record<string, string>; page: number } {
  const values = { person: str(q.person), kind: str(q.kind), from: str(q.from), to: str(q.to) }
  const date = (field: 'from' | 'to', which: string): string | null => {
    const v = values[field]
    if (!v) return null
    if (!isValidDate(v)) {
      errors.push({ field, message: t('admin.errors.auditDate', { which }) })
      return null
    }
    return v
  }
  const from = date('from', t('admin.errors.auditFirst'))
  const to = date('to', t('admin.errors.auditLast'))
  if (from && to && to < from) errors.push({ field: 'to', message: t('admin.errors.auditOrder') })
  const person = /^\d{1,9}$/.test(values.person) ? Number(values.person) : null
  const page = Math.max(1, Math.min(100_000, Number(str(q.page)) || 1))
  return {
    filter: {
      serviceId,
      actorPersonId: person,
      objectType: values.kind && /^[a-z_]{1,40}$/.test(values.kind) ? values.kind : null,
      from: from && !errors.length ? localToInstant(from, '00:00', DEFAULT_ZONE) : null,
      until: to && !errors.length ? localToInstant(to, '00:00', DEFAULT_ZONE) + 86_400_000 : null,
    },
    values,
    page,
  }
}

function detailText(detail: string): string {
  try {
    const d = JSON.parse(detail) as Record<string, unknown>
    return Object.entries(d)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
      .join('; ')
  } catch {
    return ''
  }
}

export async function auditLog(ctx: AppContext, user: SignedInUser, serviceId: number, q: AuditQuery, t: Translate = EN) {
  assertAdminOf(user, serviceId)
  const errors: FieldError[] = []
  const { filter, values, page } = auditFilter(serviceId, q, errors, t)
  const total = await repo.auditCount(ctx.db, filter)
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE))
  const rows = await repo.auditPage(ctx.db, filter, AUDIT_PAGE_SIZE, (Math.min(page, pages) - 1) * AUDIT_PAGE_SIZE)
  const query = (p: number) => new URLSearchParams({ ...Object.fromEntries(Object.entries(values).filter(([, v]) => v)), ...(p > 1 ? { page: String(p) } : {}) }).toString()
  return {
    errors,
    values,
    total,
    page: Math.min(page, pages),
    pages,
    prevHref: page > 1 ? `/admin/audit?${query(page - 1)}` : null,
    nextHref: page < pages ? `/admin/audit?${query(page + 1)}` : null,
    csvHref: `/admin/audit.csv?${query(1)}`,
    choices: await repo.auditChoices(ctx.db, serviceId),
    entries: rows.map((r) => ({ ...r, detailText: detailText(r.detail) })),
  }
}

/** Every entry matching the filters, newest first, as CSV rows (a spreadsheet formula cannot be smuggled in). */
export async function auditCsvRows(ctx: AppContext, user: SignedInUser, serviceId: number, q: AuditQuery): Promise<string[][]> {
  assertAdminOf(user, serviceId)
  const errors: FieldError[] = []
  const { filter } = auditFilter(serviceId, q, errors)
  fail(errors)
  const rows = await repo.auditPage(ctx.db, filter, 100_000, 0)
  const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)
  return [
    ['id', 'at', 'actor_person_id', 'actor_name', 'action', 'object_type', 'object_id', 'detail'],
    ...rows.map((r) => [String(r.id), new Date(r.at).toISOString(), r.actor_person_id === null ? '' : String(r.actor_person_id), r.actor_name ?? '', r.action, r.object_type, r.object_id, r.detail].map(safe)),
  ]
}

// ── First run ────────────────────────────────────────────────────────────────

export const ADMIN_CREATE_COMMAND = 'npm run admin:create -- --service "Eastvale Libraries" --email ada@eastvale.example'

/** For the start-up log: how to let the first admin in, when nobody can run the service yet. */
export async function firstRunHint(ctx: AppContext): Promise<string | null> {
  if (await repo.anyAdmin(ctx.db)) return null
  return `No library service has an admin yet. Create the first one with: ${ADMIN_CREATE_COMMAND}`
}

function slugFor(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'library-service'
}

export type FirstAdminOutcome = { service: 'created' | 'existing'; serviceId: number; person: 'created' | 'existing'; email: string }

/**
 * Creates a library service (or finds it by name) and makes the person with this email its admin:
 * the one-line way in for an operator on an empty database. Running it twice changes nothing.
 */
export async function createFirstAdmin(ctx: Pick<AppContext, 'db' | 'clock'>, input: { service: string; email: string; name?: string }): Promise<FirstAdminOutcome> {
  const serviceName = input.service.trim()
  if (!serviceName || serviceName.length > MAX_NAME) throw new UserError({ key: 'admin.refusal.cliService', values: { max: MAX_NAME } })
  const email = normaliseEmail(input.email)
  if (!email) throw new UserError({ key: 'admin.refusal.cliEmail', values: { email: input.email } })
  const personName = (input.name ?? '').trim() || email.split('@')[0]!
  if (personName.length > MAX_NAME) throw new UserError({ key: 'admin.refusal.cliName', values: { max: MAX_NAME } })
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    const found = await repo.serviceIdByName(tx, serviceName)
    let serviceId = found
    if (serviceId === undefined) {
      let slug = slugFor(serviceName)
      for (let n = 2; await repo.slugTaken(tx, slug); n++) slug = `${slugFor(serviceName)}-${n}`
      serviceId = await repo.insertService(tx, serviceName, slug, now)
    }
    const person = await repo.personByEmail(tx, email)
    const personId = person?.id ?? (await repo.insertPerson(tx, email, personName, now))
    if (!(await repo.sameGrant(tx, personId, serviceId, 'admin', null))) {
      const grantId = await repo.insertGrant(tx, { personId, role: 'admin', serviceId, branchId: null, now })
      await audit(tx, { actorPersonId: null, libraryServiceId: serviceId, action: 'right.granted', objectType: 'role_grant', objectId: grantId, detail: { personId, role: 'admin', via: 'admin:create' }, at: now })
    }
    return { service: found !== undefined ? 'existing' : 'created', serviceId, person: person ? 'existing' : 'created', email }
  })
}
