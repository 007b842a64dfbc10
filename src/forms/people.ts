// The fields that describe a person, read the same on every form that asks for them: full name, email address, telephone.
import { normaliseEmail } from '../auth/email-address.js'
import { hasHiddenCharacters, text, type FormReader } from './fields.js'
import { translator, type Translate } from '../i18n/i18n.js'

// The words are the catalogue's (profile.person.*, auth.signIn.*), in the form's language: English unless a page gives its own.
const EN = translator('en')

export const MAX_NAME = 100

/** A person's full name, tidied (one space between words); hidden characters refused. */
export function readFullName(form: FormReader, field = 'name', t: Translate = EN): string {
  return form.line(field, { label: t('profile.person.fullName'), what: t('profile.person.fullNameWhat'), max: MAX_NAME, required: true })
}

/** An optional UK-style telephone number; null when left blank. */
export function readPhone(form: FormReader, field = 'phone', t: Translate = EN): string | null {
  const phone = text(form.body[field])
  if (phone === '') return null
  if (!/^[+0-9 ()-]{7,20}$/.test(phone)) form.fail(field, t('profile.person.phoneFormat'))
  return phone
}

/** An email address, trimmed and lower-cased; null (with the message) when blank or not an address. */
export function readEmail(form: FormReader, field = 'email', t: Translate = EN): string | null {
  const raw = text(form.body[field])
  if (raw === '') {
    form.fail(field, t('auth.signIn.errorEmpty'))
    return null
  }
  // Checked here as well as in normaliseEmail: a NUL would otherwise reach the database's lookup.
  const email = hasHiddenCharacters(raw) ? null : normaliseEmail(raw)
  if (!email) form.fail(field, t('auth.signIn.errorFormat'))
  return email
}
