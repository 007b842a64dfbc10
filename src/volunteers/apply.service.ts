// Applying to volunteer: a new person lands as "applied" until a coordinator approves them.
//
// The answer is the same whether or not the address already has an account (no enumeration):
// a known address gets an email saying so, with a way to sign in.
import type { AppContext } from '../context.js'
import { ValidationError } from '../errors.js'
import { FormReader, list, parseId, sayIn } from '../forms/fields.js'
import { readEmail, readFullName, readPhone } from '../forms/people.js'
import { findPersonByEmail } from '../people/people.repository.js'
import { enqueueEmail } from '../mail/outbox.repository.js'
import { audit } from '../audit/audit.repository.js'
import { activeBranchesByService } from '../branches/branches.repository.js'
import { activeBranchesAmong, insertApplicant } from './apply.repository.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { recipientLocale } from '../people/recipient-language.repository.js'

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

/** The application's fields, its mistakes worded in the form's language. */
export function validateApplication(input: ApplicationInput, locale: Locale = 'en'): ValidApplication {
  const t = translator(locale)
  const form = new FormReader({ name: input.name, email: input.email, phone: input.phone }, sayIn(t))
  const name = readFullName(form, 'name', t)
  const email = readEmail(form, 'email', t)
  const phone = readPhone(form, 'phone', t)
  // Which libraries are real, active and of one service is checked against the database below.
  const chosen = list(input.branchIds)
  const branchIds = chosen.map(parseId)
  if (chosen.length === 0) form.fail('branches', t('profile.libraries.atLeastOne'))
  else if (branchIds.some((id) => id === null) || chosen.length > 100) form.fail('branches', t('profile.apply.fromList'))
  form.done()
  return { name, email: email!, phone, branchIds: [...new Set(branchIds as number[])] }
}

/** The active branches one may choose on the form, with their library service's name. */
export async function branchesToApplyTo(ctx: AppContext) {
  return activeBranchesByService(ctx.db)
}

/**
 * `pageLocale`: the form's language (for its mistakes). `chosenLanguage`: one they picked in the
 * header before applying, kept on their profile, so their emails are in it; else their service's default.
 */
export async function applyToVolunteer(ctx: AppContext, input: ApplicationInput, pageLocale: Locale = 'en', chosenLanguage: Locale | null = null): Promise<void> {
  const application = validateApplication(input, pageLocale)
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (tx) => {
    const branches = await activeBranchesAmong(tx, application.branchIds)
    const services = new Set(branches.map((b) => b.library_service_id))
    if (branches.length !== application.branchIds.length || services.size !== 1) {
      throw new ValidationError([{ field: 'branches', message: translator(pageLocale)('profile.apply.oneService') }])
    }
    const libraryServiceId = branches[0]!.library_service_id
    const existing = await findPersonByEmail(tx, application.email)
    if (existing !== null) {
      // Greeted by the name we hold, not the one just typed: whoever typed it may not be them.
      const locale = await recipientLocale(tx, existing.id)
      const mail = ctx.composer.compose('already-registered', translator(locale)('email.alreadyRegistered.subject'), { name: existing.name, signInUrl: `${ctx.config.baseUrl}/sign-in` }, locale)
      await enqueueEmail(
        tx,
        { dedupeKey: `already-registered:${existing.id}:${now}`, kind: 'already-registered', to: { address: application.email }, ...mail, personId: existing.id },
        now,
      )
      return
    }
    const { personId, volunteerId } = await insertApplicant(tx, { ...application, libraryServiceId, now, language: chosenLanguage })
    await audit(tx, {
      actorPersonId: personId,
      libraryServiceId,
      action: 'applied',
      objectType: 'volunteer',
      objectId: volunteerId,
      at: now,
    })
    const locale = await recipientLocale(tx, personId)
    const mail = ctx.composer.compose('application-received', translator(locale)('email.applicationReceived.subject'), { name: application.name, signInUrl: `${ctx.config.baseUrl}/sign-in` }, locale)
    await enqueueEmail(
      tx,
      { dedupeKey: `application-received:${volunteerId}`, kind: 'application-received', to: { address: application.email, name: application.name }, ...mail, personId },
      now,
    )
  })
  ctx.outboxQueued(ctx.db)
}
