// Applying to volunteer: a new person lands as "applied" until a coordinator approves them.
//
// The answer is the same whether or not the address already has an account (no enumeration):
// a known address gets an email saying so, with a way to sign in.
import type { AppContext } from '../context.js'
import { ValidationError, type FieldError } from '../errors.js'
import { normaliseEmail } from '../auth/email-address.js'
import { findPersonByEmail } from '../people/people.repository.js'
import { enqueueEmail } from '../mail/outbox.repository.js'
import { audit } from '../audit/audit.repository.js'
import { activeBranchesByService } from '../branches/branches.repository.js'
import { activeBranchesAmong, insertApplicant } from './apply.repository.js'

export interface ApplicationInput {
  name: unknown
  email: unknown
  phone: unknown
  branchIds: unknown
}

export interface ValidApplication {
  name: string
  email: string
  phone: string | null
  branchIds: number[]
}

/** A form value that may be absent, one value or repeated (checkboxes), as a list. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return []
  return Array.isArray(value) ? value : [value]
}

/** A person's full name, tidied; pushes the GOV.UK message onto `errors` when it is missing or too long. */
export function checkName(value: unknown, errors: FieldError[]): string {
  const name = typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : ''
  if (!name) errors.push({ field: 'name', message: 'Enter your full name' })
  else if (name.length > 100) errors.push({ field: 'name', message: 'Full name must be 100 characters or fewer' })
  return name
}

/** An optional UK-style phone number; null when left blank. */
export function checkPhone(value: unknown, errors: FieldError[]): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null
  const phone = value.trim()
  if (!/^[+0-9 ()-]{7,20}$/.test(phone)) {
    errors.push({ field: 'phone', message: 'Enter a telephone number, like 01632 960 001 or 07700 900 982' })
  }
  return phone
}

export function validateApplication(input: ApplicationInput): ValidApplication {
  const errors: FieldError[] = []
  const name = checkName(input.name, errors)
  const email = normaliseEmail(input.email)
  if (!email) {
    const blank = typeof input.email !== 'string' || input.email.trim() === ''
    errors.push({
      field: 'email',
      message: blank ? 'Enter your email address' : 'Enter an email address in the correct format, like name@example.com',
    })
  }
  const phone = checkPhone(input.phone, errors)
  const branchIds = asArray(input.branchIds).map((v) => Number(v))
  if (branchIds.length === 0) errors.push({ field: 'branches', message: 'Select at least one library you can get to' })
  else if (branchIds.some((id) => !Number.isInteger(id) || id <= 0) || branchIds.length > 100) {
    errors.push({ field: 'branches', message: 'Select libraries from the list' })
  }
  if (errors.length) throw new ValidationError(errors)
  return { name, email: email!, phone, branchIds: [...new Set(branchIds)] }
}

/** The active branches one may choose on the form, with their library service's name. */
export async function branchesToApplyTo(ctx: AppContext) {
  return activeBranchesByService(ctx.db)
}

export async function applyToVolunteer(ctx: AppContext, input: ApplicationInput): Promise<void> {
  const application = validateApplication(input)
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (tx) => {
    const branches = await activeBranchesAmong(tx, application.branchIds)
    const services = new Set(branches.map((b) => b.library_service_id))
    if (branches.length !== application.branchIds.length || services.size !== 1) {
      throw new ValidationError([{ field: 'branches', message: 'Select libraries from one library service in the list' }])
    }
    const libraryServiceId = branches[0]!.library_service_id
    const existing = await findPersonByEmail(tx, application.email)
    if (existing !== null) {
      // Greeted by the name we hold, not the one just typed: whoever typed it may not be them.
      const mail = ctx.composer.compose('already-registered', 'You already have a Champion Rota account', {
        name: existing.name,
        signInUrl: `${ctx.config.baseUrl}/sign-in`,
      })
      await enqueueEmail(
        tx,
        { dedupeKey: `already-registered:${existing.id}:${now}`, kind: 'already-registered', to: { address: application.email }, ...mail, personId: existing.id },
        now,
      )
      return
    }
    const { personId, volunteerId } = await insertApplicant(tx, { ...application, libraryServiceId, now })
    await audit(tx, {
      actorPersonId: personId,
      libraryServiceId,
      action: 'applied',
      objectType: 'volunteer',
      objectId: volunteerId,
      at: now,
    })
    const mail = ctx.composer.compose('application-received', 'Thank you for applying to be a digital champion', {
      name: application.name,
      signInUrl: `${ctx.config.baseUrl}/sign-in`,
    })
    await enqueueEmail(
      tx,
      { dedupeKey: `application-received:${volunteerId}`, kind: 'application-received', to: { address: application.email, name: application.name }, ...mail, personId },
      now,
    )
  })
  ctx.outboxQueued()
}
