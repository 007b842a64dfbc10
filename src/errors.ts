// Errors a person can act on, by what went wrong, with the plain-English message to show.
//
// Services throw these and say nothing of HTTP: src/plugins/errors.ts is the one place that turns a
// kind into an answer (status and title), and a route that shows a refusal on its own page asks
// the kind (`err.kind === 'conflict'`), not a status code.

/**
 * invalid: the input cannot be used. sign-in: nobody is signed in. forbidden: this person may not.
 * not-found: no such thing. conflict: the thing is in a state that refuses this (full, started, answered).
 */
export type ErrorKind = 'invalid' | 'sign-in' | 'forbidden' | 'not-found' | 'conflict'

export class UserError extends Error {
  readonly kind: ErrorKind

  constructor(
    message: string,
    kind: ErrorKind = 'invalid',
    /** Form field the message belongs to, for the inline error pattern. */
    readonly field?: string,
  ) {
    super(message)
    this.name = 'UserError'
    this.kind = kind
  }
}

export class NotFoundError extends UserError {
  constructor(message = 'Page not found') {
    super(message, 'not-found')
    this.name = 'NotFoundError'
  }
}

export class ForbiddenError extends UserError {
  constructor(message = 'You do not have permission to see this page') {
    super(message, 'forbidden')
    this.name = 'ForbiddenError'
  }
}

/** The thing asked about is in a state that refuses this: full, started, cancelled, already answered. */
export class ConflictError extends UserError {
  constructor(message: string) {
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
