/**
 * The one map from error code to HTTP status, and the one error body (DESIGN.md §3). Anything
 * that is not a DomainError becomes 500 INTERNAL with no internals in the body.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { DomainError, type ErrorCode, type ErrorDetail } from '../domain/errors.ts';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CAPACITY_EXCEEDED: 409,
  ALREADY_BOOKED: 409,
  NOT_BOOKABLE: 409,
  INVALID_STATE: 409,
  QUEUE_CLOSED: 409,
  QUEUE_FULL: 409,
  ALREADY_QUEUED: 409,
  CAPACITY_BELOW_BOOKED: 409,
  IDEMPOTENCY_MISMATCH: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  FEATURE_DISABLED: 503,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details: ErrorDetail[] };
}

/** The code, status and body for any thrown value. */
export function describeError(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (error instanceof DomainError) {
    return {
      status: STATUS_BY_CODE[error.code],
      body: { error: { code: error.code, message: error.message, requestId, details: error.details } },
    };
  }
  return {
    status: 500,
    body: {
      error: { code: 'INTERNAL', message: 'Something went wrong on our side.', requestId, details: [] },
    },
  };
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}
