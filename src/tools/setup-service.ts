// `npm run setup:service -- <file.json>`: creates a library service from a file, with its branches,
// skills, trainings and checks, and the admins, coordinators and partners who can then sign in.
// A partner (read-only figures, the network view) listed in several services' files is one person with a right in each.
//
// A production deploy starts with an empty database (the demo is never seeded there), and no page
// creates a library service: this is how the first one gets in. It refuses a file with any mistake
// (every one listed), and a service whose name is taken, so running it twice changes nothing.
import fs from 'node:fs'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ConfigError, loadConfig, type Config } from '../config.js'
import { openDatabase, type Db } from '../db/connect.js'
import { inTransaction } from '../db/transaction.js'
import { findPersonIdByEmail } from '../people/people.repository.js'
import { insertBranch, insertLibraryService, insertPerson, insertRoleGrant, insertSkill, insertTrainingKind, serviceNameOrSlugTaken } from './setup.repository.js'
import { migrateToLatest } from '../db/migrate.js'
import { normaliseEmail } from '../auth/email-address.js'
import { isValidZone, DEFAULT_ZONE } from '../time/wall-clock.js'

const Name = Type.String({ minLength: 1, maxLength: 120 })
const Person = Type.Object({ name: Name, email: Type.String({ maxLength: 254 }) }, { additionalProperties: false })

export const ServiceFile = Type.Object(
  {
    name: Name,
    bookingWindowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
    withdrawCutoffHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 336 })),
    branches: Type.Array(
      Type.Object(
        {
          name: Name,
          address: Type.Optional(Type.String({ maxLength: 300 })),
          postcode: Type.Optional(Type.String({ maxLength: 12 })),
          timezone: Type.Optional(Type.String({ maxLength: 64 })),
          arrivalNotes: Type.Optional(Type.String({ maxLength: 2000 })),
          accessibilityNotes: Type.Optional(Type.String({ maxLength: 2000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
    topics: Type.Optional(Type.Array(Name, { maxItems: 200 })),
    languages: Type.Optional(Type.Array(Name, { maxItems: 200 })),
    trainings: Type.Optional(
      Type.Array(
        Type.Object(
          { name: Name, kind: Type.Optional(Type.Union([Type.Literal('training'), Type.Literal('check')])), validityMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })) },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    admins: Type.Array(Person, { minItems: 1, maxItems: 50 }),
    coordinators: Type.Optional(
      Type.Array(
        Type.Object({ name: Name, email: Type.String({ maxLength: 254 }), branches: Type.Optional(Type.Array(Name, { maxItems: 500 })) }, { additionalProperties: false }),
        { maxItems: 500 },
      ),
    ),
    partners: Type.Optional(Type.Array(Person, { maxItems: 100 })),
  },
  { additionalProperties: false },
)

export type ServiceFileInput = Static<typeof ServiceFile>

/** Every mistake in the file, one line each (an empty list: it is good). */
export function checkServiceFile(input: unknown): string[] {
  if (!Value.Check(ServiceFile, input)) {
    return [...Value.Errors(ServiceFile, input)].slice(0, 20).map((e) => `${e.path || '(the file)'}: ${e.message}`)
  }
  const errors: string[] = []
  const branchNames = new Set<string>()
  for (const b of input.branches) {
    if (branchNames.has(b.name)) errors.push(`branch "${b.name}" is listed twice`)
    branchNames.add(b.name)
    if (b.timezone !== undefined && !isValidZone(b.timezone)) errors.push(`branch "${b.name}": "${b.timezone}" is not a time zone (like Europe/London)`)
  }
  const skills = [...(input.topics ?? []), ...(input.languages ?? [])]
  if (new Set(skills).size !== skills.length) errors.push('a topic or language is listed twice')
  const trainings = (input.trainings ?? []).map((t) => t.name)
  if (new Set(trainings).size !== trainings.length) errors.push('a training or check is listed twice')
  for (const p of [...input.admins, ...(input.coordinators ?? []), ...(input.partners ?? [])]) {
    if (normaliseEmail(p.email) === null) errors.push(`"${p.email}" (${p.name}) is not an email address`)
  }
  for (const c of input.coordinators ?? []) {
    for (const name of c.branches ?? []) if (!branchNames.has(name)) errors.push(`coordinator ${c.name}: there is no branch "${name}" in this file`)
  }
  return errors
}

function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'library-service'
  )
}

export interface SetupResult {
  serviceId: number
  branches: number
  skills: number
  trainings: number
  people: string[]
}

/** Creates the service in one transaction. Throws with a plain message when the name is taken. */
export async function setupService(db: Db, input: ServiceFileInput, now: number): Promise<SetupResult> {
  const slug = slugOf(input.name)
  return inTransaction(db, async (tx) => {
    if (await serviceNameOrSlugTaken(tx, input.name, slug)) throw new Error(`A library service called "${input.name}" already exists; nothing was changed`)
    const serviceId = await insertLibraryService(tx, {
      name: input.name,
      slug,
      created_at: now,
      ...(input.bookingWindowDays !== undefined ? { booking_window_days: input.bookingWindowDays } : {}),
      ...(input.withdrawCutoffHours !== undefined ? { withdraw_cutoff_hours: input.withdrawCutoffHours } : {}),
    })
    const branchIds = new Map<string, number>()
    for (const b of input.branches) {
      const id = await insertBranch(tx, {
        library_service_id: serviceId,
        name: b.name,
        address: b.address ?? '',
        postcode: b.postcode ?? '',
        timezone: b.timezone ?? DEFAULT_ZONE,
        arrival_notes: b.arrivalNotes ?? '',
        accessibility_notes: b.accessibilityNotes ?? '',
        created_at: now,
      })
      branchIds.set(b.name, id)
    }
    let order = 0
    const skills = [...(input.topics ?? []).map((name) => ({ name, kind: 'topic' as const })), ...(input.languages ?? []).map((name) => ({ name, kind: 'language' as const }))]
    for (const s of skills) await insertSkill(tx, { library_service_id: serviceId, name: s.name, kind: s.kind, sort_order: order++ })
    for (const t of input.trainings ?? []) {
      await insertTrainingKind(tx, { library_service_id: serviceId, name: t.name, kind: t.kind ?? 'training', validity_months: t.validityMonths ?? null })
    }
    const people: string[] = []
    const personId = async (p: { name: string; email: string }) => {
      const email = normaliseEmail(p.email)!
      const existing = await findPersonIdByEmail(tx, email)
      if (existing !== null) return existing
      people.push(email)
      return insertPerson(tx, { email, name: p.name, created_at: now })
    }
    for (const a of input.admins) {
      await insertRoleGrant(tx, { person_id: await personId(a), role: 'admin', library_service_id: serviceId, branch_id: null, created_at: now })
    }
    for (const c of input.coordinators ?? []) {
      const id = await personId(c)
      const scopes = c.branches?.length ? c.branches.map((name) => branchIds.get(name)!) : [null]
      for (const branchId of scopes) await insertRoleGrant(tx, { person_id: id, role: 'coordinator', library_service_id: serviceId, branch_id: branchId, created_at: now })
    }
    for (const p of input.partners ?? []) {
      await insertRoleGrant(tx, { person_id: await personId(p), role: 'partner', library_service_id: serviceId, branch_id: null, created_at: now })
    }
    return { serviceId, branches: branchIds.size, skills: skills.length, trainings: (input.trainings ?? []).length, people }
  })
}

async function main(file: string | undefined): Promise<number> {
  if (!file) {
    console.error('Usage: npm run setup:service -- <service.json | ->   (see README, "Deploying to Fly.io")')
    return 2
  }
  let input: unknown
  try {
    input = JSON.parse(fs.readFileSync(file === '-' ? 0 : file, 'utf8'))
  } catch (err) {
    console.error(`Could not read ${file}: ${(err as Error).message}`)
    return 1
  }
  const errors = checkServiceFile(input)
  if (errors.length) {
    console.error(`${file} has ${errors.length === 1 ? 'a mistake' : 'mistakes'}; nothing was changed:\n${errors.map((e) => `  - ${e}`).join('\n')}`)
    return 1
  }
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`Configuration error: ${err.message}`)
    return 1
  }
  const handle = openDatabase(config.database)
  try {
    await migrateToLatest(handle.db, handle.schema)
    const done = await setupService(handle.db, input as ServiceFileInput, Date.now())
    console.log(
      `Created "${(input as ServiceFileInput).name}": ${done.branches} branches, ${done.skills} topics and languages, ${done.trainings} trainings and checks.` +
        (done.people.length ? ` They can sign in at ${config.baseUrl}/sign-in: ${done.people.join(', ')}` : ''),
    )
    return 0
  } catch (err) {
    console.error((err as Error).message)
    return 1
  } finally {
    await handle.close()
  }
}

if (process.argv[1] && /setup-service\.(js|ts)$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv[2])
}
