// Errors a person can act on, by what went wrong, with the message to show: a catalogue key and its
// values (a Wording), shown in the reader's language, or (older code) a plain-English sentence.
//
// Services throw these and say nothing of HTTP: src/plugins/errors.ts is the one place that turns a
// kind into an answer (status and title), and a route that shows a refusal on its own page asks
// the kind (`err.kind === 'conflict'`), not a status code.

import { translator, type Translate } from './i18n/i18n.js'

/**
 * invalid: the input cannot be used. sign-in: nobody is signed in. forbidden: this person may not.
 * not-found: no such thing. conflict: the thing is in a state that refuses this (full, started, answered).
 */
export type ErrorKind = 'invalid' | 'sign-in' | 'forbidden' | 'not-found' | 'conflict'

/** A message from the catalogue (src/i18n/catalogue): its key and values, worded when it is shown. */
export interface Wording {
  key: string
  values?: Record<string, unknown>
}

export class UserError extends Error {
  readonly kind: ErrorKind
  /** The message as the catalogue has it, so the error page words it in the reader's language. */
  readonly wording?: Wording

  constructor(
    /** A catalogue key and values, or a plain-English sentence (shown as English on a Welsh page). */
    message: string | Wording,
    kind: ErrorKind = 'invalid',
    /** Form field the message belongs to, for the inline error pattern. */
    readonly field?: string,
  ) {
    // `message` stays English either way, for logs and for code that reads it.
    super(typeof message === 'string' ? message : translator('en')(message.key, message.values))
    this.name = 'UserError'
    this.kind = kind
    if (typeof message !== 'string') this.wording = message
  }

  /** The message in a language: the catalogue's wording when there is one, else the English sentence. */
  wordedIn(t: Translate): string {
    return this.wording ? t(this.wording.key, this.wording.values) : this.message
  }
}

export class NotFoundError extends UserError {
  constructor(message: string | Wording = { key: 'errors.answer.notFound' }) {
    super(message, 'not-found')
    this.name = 'NotFoundError'
  }
}

export class ForbiddenError extends UserError {
  constructor(message: string | Wording = { key: 'errors.answer.forbiddenMessage' }) {
    super(message, 'forbidden')
    this.name = 'ForbiddenError'
  }
}

/** The thing asked about is in a state that refuses this: full, started, cancelled, already answered. */
export class ConflictError extends UserError {
  constructor(message: string | Wording) {
    super(message, 'conflict')
    this.name = 'ConflictError'
  }
}

/** A field-by-field validation failure for the GOV.UK error summary pattern. */
export interface FieldError {
  field: string
  message: string
}

export class ValidationError extends UserError {
  constructor(readonly errors: FieldError[]) {
    super(errors[0]?.message ?? 'There is a problem', 'invalid', errors[0]?.field)
    this.name = 'ValidationError'
  }
}
