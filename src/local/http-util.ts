/**
 * Small HTTP helpers shared by the hub's own endpoints: reading a bounded body, JSON answers
 * and the DESIGN.md §3 error shape.
 */
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../domain/errors.ts';
import { STATUS_BY_CODE } from '../http/error-response.ts';
import type { OutgoingResponse } from './api-gateway-event.ts';
import { newRequestId } from './api-gateway-event.ts';

/** API Gateway HTTP APIs accept payloads up to 10 MB; the hub refuses larger ones the same way. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyTooLarge extends Error {
  constructor() {
    super('request body too large');
    this.name = 'BodyTooLarge';
  }
}

/** Reads the whole body, refusing more than `limit` bytes. */
export async function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): OutgoingResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** The error shape of DESIGN.md §3. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  details: Array<{ path: string; message: string }> = [],
  requestId = newRequestId(),
): OutgoingResponse {
  return jsonResponse(status, { error: { code, message, requestId, details } });
}

/** A DomainError raised by the hub's own endpoints, with the API's status for its code. */
export function domainErrorResponse(error: DomainError): OutgoingResponse {
  return errorResponse(STATUS_BY_CODE[error.code], error.code, error.message, error.details);
}

/** Parses a JSON body, or answers with a 400 in the error shape. */
export function parseJsonBody(
  body: Buffer,
): { ok: true; value: unknown } | { ok: false; response: OutgoingResponse } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8') || 'null') };
  } catch {
    return {
      ok: false,
      response: errorResponse(400, 'VALIDATION_FAILED', 'The body is not valid JSON.', [
        { path: '', message: 'not valid JSON' },
      ]),
    };
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
