/**
 * The one errors module. Every failure a client may see is a `DomainError` with a stable
 * `code` from DESIGN.md §3; `src/http/error-response.ts` holds the one map from code to HTTP
 * status. Adapters translate SDK failures into these (STYLE.md 3); nothing else reaches a client.
 */

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CAPACITY_EXCEEDED'
  | 'ALREADY_BOOKED'
  | 'NOT_BOOKABLE'
  | 'INVALID_STATE'
  | 'QUEUE_CLOSED'
  | 'QUEUE_FULL'
  | 'ALREADY_QUEUED'
  | 'CAPACITY_BELOW_BOOKED'
  | 'IDEMPOTENCY_MISMATCH'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'FEATURE_DISABLED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** Base class: a failure with a client-facing code and message. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetail[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options?.details ?? [];
  }
}

export class ValidationFailed extends DomainError {
  constructor(details: ErrorDetail[], message = 'The request is not valid.') {
    super('VALIDATION_FAILED', message, { details });
  }

  static at(path: string, message: string): ValidationFailed {
    return new ValidationFailed([{ path, message }], message);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = 'A valid access token is required.', cause?: unknown) {
    super('UNAUTHENTICATED', message, { cause });
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'This action needs the operators group.') {
    super('FORBIDDEN', message);
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`);
  }
}

export class CapacityExceeded extends DomainError {
  constructor(message = 'Not enough places remain for this party.') {
    super('CAPACITY_EXCEEDED', message);
  }
}

export class AlreadyBooked extends DomainError {
  constructor(message = 'You already hold an active reservation for this item.') {
    super('ALREADY_BOOKED', message);
  }
}

export class NotBookable extends DomainError {
  constructor(message = 'This item cannot be booked (cancelled, draft or past).') {
    super('NOT_BOOKABLE', message);
  }
}

export class InvalidState extends DomainError {
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}

export class QueueClosed extends DomainError {
  constructor(message = 'The queue is closed for this service right now.') {
    super('QUEUE_CLOSED', message);
  }
}

export class QueueFull extends DomainError {
  constructor(message = 'The queue is full; please try again later.') {
    super('QUEUE_FULL', message);
  }
}

export class AlreadyQueued extends DomainError {
  constructor(message = 'You already hold an active ticket at this venue.') {
    super('ALREADY_QUEUED', message);
  }
}

export class CapacityBelowBooked extends DomainError {
  constructor(message = 'Capacity cannot go below the places already booked.') {
    super('CAPACITY_BELOW_BOOKED', message);
  }
}

export class IdempotencyMismatch extends DomainError {
  constructor(message = 'This Idempotency-Key was used with a different request.') {
    super('IDEMPOTENCY_MISMATCH', message);
  }
}

export class PayloadTooLarge extends DomainError {
  constructor(message = 'The request body is larger than 16 KiB.') {
    super('PAYLOAD_TOO_LARGE', message);
  }
}

export class RateLimited extends DomainError {
  constructor(message: string) {
    super('RATE_LIMITED', message);
  }
}

export class FeatureDisabled extends DomainError {
  constructor(feature: string) {
    super('FEATURE_DISABLED', `The ${feature} feature is switched off at this venue.`);
  }
}

/** A dependency stayed unavailable (throttling) after bounded retries; nothing was half-written. */
export class ServiceUnavailable extends DomainError {
  constructor(message = 'The service is busy; please retry shortly.', cause?: unknown) {
    super('SERVICE_UNAVAILABLE', message, { cause });
  }
}
