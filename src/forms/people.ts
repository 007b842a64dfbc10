// The fields that describe a person, read the same on every form that asks for them: full name, email address, telephone.
import { normaliseEmail } from '../auth/email-address.js'
import { hasHiddenCharacters, text, type FormReader } from './fields.js'

export const MAX_NAME = 100

/** A person's full name, tidied (one space between words); hidden characters refused. */
export function readFullName(form: FormReader, field = 'name'): string {
  return form.line(field, { label: 'Full name', what: 'your full name', max: MAX_NAME, required: true })
}

/** An optional UK-style telephone number; null when left blank. */
export function readPhone(form: FormReader, field = 'phone'): string | null {
  const phone = text(form.body[field])
  if (phone === '') return null
  if (!/^[+0-9 ()-]{7,20}$/.test(phone)) form.fail(field, 'Enter a telephone number, like 01632 960 001 or 07700 900 982')
  return phone
}

/** An email address, trimmed and lower-cased; null (with the message) when blank or not an address. */
export function readEmail(form: FormReader, field = 'email'): string | null {
  const raw = text(form.body[field])
  if (raw === '') {
    form.fail(field, 'Enter your email address')
    return null
  }
  // Checked here as well as in normaliseEmail: a NUL would otherwise reach the database's lookup.
  const email = hasHiddenCharacters(raw) ? null : normaliseEmail(raw)
  if (!email) form.fail(field, 'Enter an email address in the correct format, like name@example.com')
  return email
}
