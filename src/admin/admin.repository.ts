// SQL for running a library service: its settings, branches, skills, training kinds, people with rights, and the audit log.
import { sql } from 'kysely'
import { isSqlite, type Db, type Tx } from '../db/connect.js'
import type { Role } from '../db/schema.js'

// ── The library service ──────────────────────────────────────────────────────

export async function findService(db: Db | Tx, id: number) {
  return (await db.selectFrom('library_services').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
}

export async function servicesNamed(db: Db | Tx, ids: readonly number[]) {
  if (!ids.length) return []
  return db.selectFrom('library_services').select(['id', 'name']).where('id', 'in', ids).orderBy('name').execute()
}

/**
 * Two names are the same whatever their case or spacing, in any script ("Café" and "CAFÉ"), on
 * both databases: compared here rather than with SQL's lower(), which on SQLite folds only A–Z.
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-GB')
}

function sameNameIn(rows: ReadonlyArray<{ id: number; name: string }>, name: string, exceptId: number | null): boolean {
  const key = nameKey(name)
  return rows.some((r) => r.id !== exceptId && nameKey(r.name) === key)
}

/**
 * Holds the library service's row until the transaction ends, so two admins adding the same name
 * at once are checked one after the other. SQLite runs one writing transaction at a time already.
 */
export async function lockServiceForNames(tx: Tx, serviceId: number): Promise<void> {
  if (isSqlite(tx)) return
  await sql`select id from library_services where id = ${serviceId} for update`.execute(tx)
}

export async function serviceNameTaken(db: Db | Tx, name: string, exceptId: number | null): Promise<boolean> {
  return sameNameIn(await db.selectFrom('library_services').select(['id', 'name']).execute(), name, exceptId)
}

export interface ServiceSettings {
  name: string
  booking_window_days: number
  withdraw_cutoff_hours: number
  reminder_offsets: string
  short_alert_days: number
  digest_day: number
  digest_time: string
  contact: string
  retention_months: number
  /** 'en' or 'cy': the language of people who have not chosen one. Left as it is when undefined. */
  default_language?: string
}

export async function updateService(tx: Tx, id: number, s: ServiceSettings): Promise<void> {
  await tx.updateTable('library_services').set(s).where('id', '=', id).execute()
}

export async function insertService(tx: Tx, name: string, slug: string, now: number): Promise<number> {
  return (await tx.insertInto('library_services').values({ name, slug, created_at: now }).returning('id').executeTakeFirstOrThrow()).id
}

export async function slugTaken(db: Db | Tx, slug: string): Promise<boolean> {
  return !!(await db.selectFrom('library_services').select('id').where('slug', '=', slug).executeTakeFirst())
}

/**
 * Serialises changes to a service's rights (e.g. two admins removing each other at once): on
 * PostgreSQL the UPDATE holds the service row's lock until commit; SQLite has one writer already.
 */
export async function lockService(tx: Tx, id: number): Promise<void> {
  await tx.updateTable('library_services').set({ name: sql`name` }).where('id', '=', id).execute()
}

// ── Branches ─────────────────────────────────────────────────────────────────

export async function branchesOf(db: Db | Tx, serviceId: number) {
  return db.selectFrom('branches').selectAll().where('library_service_id', '=', serviceId).orderBy('active', 'desc').orderBy('name').execute()
}

export async function findBranch(db: Db | Tx, id: number) {
  return (await db.selectFrom('branches').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
}

export async function branchNameTaken(db: Db | Tx, serviceId: number, name: string, exceptId: number | null): Promise<boolean> {
  return sameNameIn(await db.selectFrom('branches').select(['id', 'name']).where('library_service_id', '=', serviceId).execute(), name, exceptId)
}

export interface BranchFields {
  name: string
  /** The Welsh form of the name, or null (issue 16). */
  name_cy: string | null
  address: string
  postcode: string
  timezone: string
  arrival_notes: string
  accessibility_notes: string
}

export async function insertBranch(tx: Tx, serviceId: number, b: BranchFields, now: number): Promise<number> {
  return (await tx.insertInto('branches').values({ library_service_id: serviceId, ...b, created_at: now }).returning('id').executeTakeFirstOrThrow()).id
}

export async function updateBranch(tx: Tx, id: number, b: Partial<BranchFields> & { active?: 0 | 1; closed_at?: number | null }): Promise<void> {
  await tx.updateTable('branches').set(b).where('id', '=', id).execute()
}

// ── Skills and training kinds ───────────────────────────────────────────────

export async function skillsOf(db: Db | Tx, serviceId: number) {
  return db.selectFrom('skills').selectAll().where('library_service_id', '=', serviceId).orderBy('kind', 'desc').orderBy('sort_order').orderBy('name').execute()
}

export async function findSkill(db: Db | Tx, id: number) {
  return (await db.selectFrom('skills').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
}

export async function skillNameTaken(db: Db | Tx, serviceId: number, name: string, exceptId: number | null): Promise<boolean> {
  return sameNameIn(await db.selectFrom('skills').select(['id', 'name']).where('library_service_id', '=', serviceId).execute(), name, exceptId)
}

export async function insertSkill(tx: Tx, serviceId: number, name: string, kind: 'topic' | 'language', nameCy: string | null = null): Promise<number> {
  const last = await tx.selectFrom('skills').select((eb) => eb.fn.max('sort_order').as('n')).where('library_service_id', '=', serviceId).where('kind', '=', kind).executeTakeFirst()
  return (await tx.insertInto('skills').values({ library_service_id: serviceId, name, name_cy: nameCy, kind, sort_order: Number(last?.n ?? 0) + 1 }).returning('id').executeTakeFirstOrThrow()).id
}

export async function updateSkill(tx: Tx, id: number, s: { name?: string; name_cy?: string | null; active?: 0 | 1; sort_order?: number }): Promise<void> {
  await tx.updateTable('skills').set(s).where('id', '=', id).execute()
}

export async function trainingKindsOf(db: Db | Tx, serviceId: number) {
  return db.selectFrom('training_kinds').selectAll().where('library_service_id', '=', serviceId).orderBy('active', 'desc').orderBy('name').execute()
}

export async function findTrainingKind(db: Db | Tx, id: number) {
  return (await db.selectFrom('training_kinds').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
}

export async function trainingNameTaken(db: Db | Tx, serviceId: number, name: string, exceptId: number | null): Promise<boolean> {
  return sameNameIn(await db.selectFrom('training_kinds').select(['id', 'name']).where('library_service_id', '=', serviceId).execute(), name, exceptId)
}

export async function insertTrainingKind(tx: Tx, serviceId: number, t: { name: string; name_cy: string | null; kind: 'training' | 'check'; validity_months: number | null }): Promise<number> {
  return (await tx.insertInto('training_kinds').values({ library_service_id: serviceId, ...t }).returning('id').executeTakeFirstOrThrow()).id
}

export async function updateTrainingKind(tx: Tx, id: number, t: { name?: string; name_cy?: string | null; kind?: 'training' | 'check'; validity_months?: number | null; active?: 0 | 1 }): Promise<void> {
  await tx.updateTable('training_kinds').set(t).where('id', '=', id).execute()
}

// ── People with rights ──────────────────────────────────────────────────────

/** A right with the person holding it (role_grants joined to people). */
const GRANT_COLUMNS = ['role_grants.id', 'role_grants.person_id', 'role_grants.role', 'role_grants.branch_id', 'role_grants.library_service_id', 'people.name', 'people.email'] as const

export async function grantsOf(db: Db | Tx, serviceId: number) {
  return db
    .selectFrom('role_grants')
    .innerJoin('people', 'people.id', 'role_grants.person_id')
    .leftJoin('branches', 'branches.id', 'role_grants.branch_id')
    .select([...GRANT_COLUMNS, 'branches.name as branch_name'])
    .where('role_grants.library_service_id', '=', serviceId)
    .orderBy('people.name')
    .orderBy('role_grants.id')
    .execute()
}

export async function findGrant(db: Db | Tx, id: number) {
  return (
    (await db
      .selectFrom('role_grants')
      .innerJoin('people', 'people.id', 'role_grants.person_id')
      .select(GRANT_COLUMNS)
      .where('role_grants.id', '=', id)
      .executeTakeFirst()) ?? null
  )
}

export async function countAdmins(tx: Tx, serviceId: number): Promise<number> {
  const r = await tx.selectFrom('role_grants').select((eb) => eb.fn.count<number>('person_id').distinct().as('n')).where('library_service_id', '=', serviceId).where('role', '=', 'admin').executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function personByEmail(db: Db | Tx, email: string) {
  return (await db.selectFrom('people').select(['id', 'name', 'anonymised_at']).where('email', '=', email).executeTakeFirst()) ?? null
}

export async function insertPerson(tx: Tx, email: string, name: string, now: number): Promise<number> {
  return (await tx.insertInto('people').values({ email, name, phone: null, created_at: now, anonymised_at: null }).returning('id').executeTakeFirstOrThrow()).id
}

export async function sameGrant(db: Db | Tx, personId: number, serviceId: number, role: Role, branchId: number | null, exceptId: number | null = null): Promise<boolean> {
  let q = db.selectFrom('role_grants').select('id').where('person_id', '=', personId).where('library_service_id', '=', serviceId).where('role', '=', role)
  q = branchId === null ? q.where('branch_id', 'is', null) : q.where('branch_id', '=', branchId)
  if (exceptId !== null) q = q.where('id', '!=', exceptId)
  return !!(await q.executeTakeFirst())
}

export async function insertGrant(tx: Tx, g: { personId: number; role: Role; serviceId: number; branchId: number | null; now: number }): Promise<number> {
  return (
    await tx.insertInto('role_grants').values({ person_id: g.personId, role: g.role, library_service_id: g.serviceId, branch_id: g.branchId, created_at: g.now }).returning('id').executeTakeFirstOrThrow()
  ).id
}

export async function updateGrant(tx: Tx, id: number, role: Role, branchId: number | null): Promise<void> {
  await tx.updateTable('role_grants').set({ role, branch_id: branchId }).where('id', '=', id).execute()
}

export async function deleteGrant(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('role_grants').where('id', '=', id).execute()
}

export async function endSessionsOf(tx: Tx, personId: number): Promise<void> {
  await tx.deleteFrom('login_sessions').where('person_id', '=', personId).execute()
}

export async function anyAdmin(db: Db): Promise<boolean> {
  return !!(await db.selectFrom('role_grants').select('id').where('role', '=', 'admin').executeTakeFirst())
}

// ── The audit log ────────────────────────────────────────────────────────────

export interface AuditFilter {
  serviceId: number
  actorPersonId: number | null
  objectType: string | null
  from: number | null
  until: number | null
}

function filtered(db: Db, f: AuditFilter) {
  let q = db.selectFrom('audit_log').leftJoin('people', 'people.id', 'audit_log.actor_person_id').where('audit_log.library_service_id', '=', f.serviceId)
  if (f.actorPersonId !== null) q = q.where('audit_log.actor_person_id', '=', f.actorPersonId)
  if (f.objectType !== null) q = q.where('audit_log.object_type', '=', f.objectType)
  if (f.from !== null) q = q.where('audit_log.at', '>=', f.from)
  if (f.until !== null) q = q.where('audit_log.at', '<', f.until)
  return q
}

export async function auditPage(db: Db, f: AuditFilter, limit: number, offset: number) {
  return filtered(db, f)
    .select(['audit_log.id', 'audit_log.at', 'audit_log.action', 'audit_log.object_type', 'audit_log.object_id', 'audit_log.detail', 'audit_log.actor_person_id', 'people.name as actor_name'])
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function auditCount(db: Db, f: AuditFilter): Promise<number> {
  const r = await filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Who appears as an actor, and which kinds of object, in a service's log: the filter's choices. */
export async function auditChoices(db: Db, serviceId: number) {
  const actors = await db
    .selectFrom('audit_log')
    .innerJoin('people', 'people.id', 'audit_log.actor_person_id')
    .select(['people.id', 'people.name'])
    .where('audit_log.library_service_id', '=', serviceId)
    .distinct()
    .orderBy('people.name')
    .execute()
  const kinds = await db.selectFrom('audit_log').select('object_type').where('library_service_id', '=', serviceId).distinct().orderBy('object_type').execute()
  return { actors, kinds: kinds.map((k) => k.object_type) }
}

/** The library service of this exact name, if there is one (the first-run tool finds before it creates). */
export async function serviceIdByName(db: Db | Tx, name: string): Promise<number | undefined> {
  return (await db.selectFrom('library_services').select('id').where('name', '=', name).executeTakeFirst())?.id
}
