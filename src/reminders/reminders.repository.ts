// SQL for reminders and alerts: places to remind, short sessions, coordinators' gaps, expiring trainings, and the reminders switch.
import type { Db, Tx } from '../db/connect.js'
import { placeHolderColumns, placesWithPeople, sessionFactColumns, sessionHeadingColumns, sessionsWithService, volunteersWithPeople } from '../db/columns.js'

/** Confirmed places on scheduled sessions starting in (from, until], of volunteers who want reminders. */
export async function placesStartingBetween(db: Db, from: number, until: number) {
  return placesWithPeople(db)
    .innerJoin('library_services', 'library_services.id', 'branches.library_service_id')
    .select([
      ...placeHolderColumns,
      'assignments.confirmed_at as confirmedAt',
      'assignments.updated_at as placeUpdatedAt',
      ...sessionFactColumns,
      'sessions.starts_at as startsAt',
      'library_services.id as libraryServiceId',
      'library_services.reminder_offsets as reminderOffsets',
    ])
    .where('assignments.state', '=', 'confirmed')
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.starts_at', '>', from)
    .where('sessions.starts_at', '<=', until)
    .where('volunteers.reminders_enabled', '=', 1)
    .where('volunteers.status', '!=', 'left')
    .where('people.anonymised_at', 'is', null)
    .orderBy('sessions.starts_at')
    .execute()
}

/** Which of these dedupe keys are already in the outbox (so nothing is rendered twice). */
export async function existingKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500)
    const rows = await db.selectFrom('outbox').select('dedupe_key').where('dedupe_key', 'in', chunk).execute()
    for (const r of rows) found.add(r.dedupe_key)
  }
  return found
}

/** Scheduled sessions below their minimum that start in (from, until], with their service's alert lead. */
export async function shortSessionsBetween(db: Db, from: number, until: number) {
  return sessionsWithService(db)
    .select([
      ...sessionHeadingColumns,
      'sessions.starts_at as startsAt',
      'sessions.min_volunteers as min',
      'sessions.max_volunteers as max',
      'sessions.confirmed_count as confirmed',
      'branches.id as branchId',
      'branches.name as branchName',
      'branches.name_cy as branchNameCy',
      'branches.timezone',
      'library_services.id as libraryServiceId',
      'library_services.short_alert_days as alertDays',
    ])
    .where('sessions.status', '=', 'scheduled')
    .whereRef('sessions.confirmed_count', '<', 'sessions.min_volunteers')
    .where('sessions.starts_at', '>', from)
    .where('sessions.starts_at', '<=', until)
    .orderBy('sessions.starts_at')
    .execute()
}

export async function maxShortAlertDays(db: Db): Promise<number> {
  const row = await db.selectFrom('library_services').select((eb) => eb.fn.max('short_alert_days').as('days')).executeTakeFirst()
  return Number(row?.days ?? 3)
}

export async function reminderOffsetSettings(db: Db): Promise<string[]> {
  return (await db.selectFrom('library_services').select('reminder_offsets').distinct().execute()).map((r) => r.reminder_offsets)
}

/** Coordinators (not admins) with their grants and the zone of their branches, for the weekly digest. */
export async function coordinatorsForDigest(db: Db) {
  return db
    .selectFrom('role_grants')
    .innerJoin('people', 'people.id', 'role_grants.person_id')
    .select(['people.id as personId', 'people.name', 'people.email', 'role_grants.library_service_id as libraryServiceId', 'role_grants.branch_id as branchId'])
    .where('role_grants.role', '=', 'coordinator')
    .where('people.anonymised_at', 'is', null)
    .orderBy('people.id')
    .execute()
}

/** Training and check records that end between two dates, with what decides whether to remind. */
export async function trainingsExpiringBetween(db: Db, fromDate: string, untilDate: string) {
  return db
    .selectFrom('volunteer_trainings')
    .innerJoin('training_kinds', 'training_kinds.id', 'volunteer_trainings.training_kind_id')
    .innerJoin('volunteers', 'volunteers.id', 'volunteer_trainings.volunteer_id')
    .innerJoin('people', 'people.id', 'volunteers.person_id')
    .leftJoin('branches', 'branches.id', 'volunteers.home_branch_id')
    .select([
      'volunteer_trainings.id as recordId',
      'volunteer_trainings.training_kind_id as trainingKindId',
      'volunteer_trainings.expires_on as expiresOn',
      'volunteer_trainings.created_at as createdAt',
      'training_kinds.name as trainingName',
      'training_kinds.name_cy as trainingNameCy',
      'training_kinds.kind as trainingKind',
      'volunteers.id as volunteerId',
      'volunteers.library_service_id as libraryServiceId',
      'people.id as personId',
      'people.name as volunteerName',
      'people.email as volunteerEmail',
      'branches.timezone',
    ])
    .where('volunteer_trainings.expires_on', '>=', fromDate)
    .where('volunteer_trainings.expires_on', '<=', untilDate)
    .where('volunteers.status', 'in', ['active', 'paused'])
    .where('volunteers.reminders_enabled', '=', 1)
    .where('people.anonymised_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      // Renewed already: a later record of the same kind that lasts longer.
      not(
        exists(
          selectFrom('volunteer_trainings as renewal')
            .select('renewal.id')
            .whereRef('renewal.volunteer_id', '=', 'volunteer_trainings.volunteer_id')
            .whereRef('renewal.training_kind_id', '=', 'volunteer_trainings.training_kind_id')
            .where((eb) => eb.or([eb('renewal.expires_on', 'is', null), eb('renewal.expires_on', '>', eb.ref('volunteer_trainings.expires_on'))])),
        ),
      ),
    )
    .execute()
}

/** Active branches with their service and zone (whose Monday morning a digest waits for). */
export async function activeBranchZones(db: Db) {
  return db.selectFrom('branches').select(['id', 'library_service_id', 'timezone']).where('active', '=', 1).execute()
}

/** Whether a (not anonymised) volunteer wants reminders, with their name and their service's reminder times. */
export async function reminderSettingsOf(db: Db | Tx, volunteerId: number) {
  return volunteersWithPeople(db)
    .innerJoin('library_services', 'library_services.id', 'volunteers.library_service_id')
    .select(['volunteers.reminders_enabled', 'people.name', 'library_services.reminder_offsets'])
    .where('volunteers.id', '=', volunteerId)
    .where('people.anonymised_at', 'is', null)
    .executeTakeFirst()
}

/** Each library service's digest day and time (Admin → Settings). */
export async function digestSettings(db: Db): Promise<Map<number, { day: number; time: string }>> {
  const rows = await db.selectFrom('library_services').select(['id', 'digest_day', 'digest_time']).execute()
  return new Map(rows.map((r) => [r.id, { day: r.digest_day, time: r.digest_time }]))
}
