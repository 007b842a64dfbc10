// Errors a person can act on: each carries the HTTP status and the plain-English message to show.
export class UserError extends Error {
  constructor(
    message: string,
    readonly statusCode: number = 400,
    /** Form field the message belongs to, for the inline error pattern. */
    readonly field?: string,
  ) {
    super(message)
    this.name = 'UserError'
  }
}

export class NotFoundError extends UserError {
  constructor(message = 'Page not found') {
    super(message, 404)
    this.name = 'NotFoundError'
  }
}

export class ForbiddenError extends UserError {
  constructor(message = 'You do not have permission to see this page') {
    super(message, 403)
    this.name = 'ForbiddenError'
  }
}

/** A field-by-field validation failure for the GOV.UK error summary pattern. */
export interface FieldError {
  field: string
  message: string
}

export class ValidationError extends UserError {
  constructor(readonly errors: FieldError[]) {
    super(errors[0]?.message ?? 'There is a problem', 400, errors[0]?.field)
    this.name = 'ValidationError'
  }
}
