/** What kind of failure a {@link DomainError} is; the global exception filter maps each kind to one HTTP status. */
export type ErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  /** A service we depend on answered with an error (Stripe refused or failed a call). */
  | 'bad_gateway'
  /** A service we depend on did not answer (Stripe unreachable or timed out); retrying later may work. */
  | 'unavailable';

export const HTTP_STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  bad_gateway: 502,
  unavailable: 503,
};

/** One offending input field, as the API reports it: `organization.creditCode`, `lines[2].quantityKg`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The base of every error a service raises on purpose. `code` is a stable string from the domain's code list
 * (`identity.phone_taken`, `fsm.illegal_transition`), `kind` decides the HTTP status.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(code: string, details: FieldProblem[], message?: string): DomainError {
    return new DomainError('validation', code, message ?? details.map((d) => `${d.field} ${d.message}`).join('; '), details);
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError('not_found', `${what}.not_found`, `${what} ${id} not found`);
  }
}
