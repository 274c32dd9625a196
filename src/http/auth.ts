/**
 * Access-token verification with `jose` (ADR 0200): RS256 only, the pool's issuer exactly,
 * `client_id` = the app client, `token_use` = access, `exp`/`nbf`/`iat` with at most 60 s of
 * clock skew (and `iat` within a day), `sub` required. Keys come from a module-scope remote JWKS that refetches on an unknown
 * `kid` at most once per cooldown, so a flood of unknown kids cannot flood Cognito.
 *
 * The Lambda verifies the bearer token itself even when API Gateway's authorizer claims are in
 * the event (defence in depth; `sam local start-api` skips JWT authorizers).
 */
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { Unauthenticated } from '../domain/errors.ts';
import type { Caller } from '../domain/model.ts';

export interface TokenVerifier {
  /** The caller of a valid access token; throws Unauthenticated otherwise. */
  verify(token: string): Promise<Caller>;
}

export interface JwtSettings {
  issuer: string;
  clientId: string;
  /** where the keys are served (Cognito: `${issuer}/.well-known/jwks.json`) */
  jwksUrl?: string;
  /** a key source instead of the URL (tests) */
  keys?: JWTVerifyGetKey;
  /** minimum time between two JWKS fetches triggered by unknown kids */
  cooldownMs?: number;
}

export const CLOCK_SKEW_SECONDS = 60;
/**
 * Cognito access tokens live at most a day. Bounding their age makes `iat` required and
 * checked: not in the future (beyond the skew), not older than any token Cognito issues.
 */
export const MAX_TOKEN_AGE_SECONDS = 24 * 60 * 60;
export const OPERATORS_GROUP = 'operators';
const MAX_TOKEN_LENGTH = 8192;

function groupsOf(payload: JWTPayload): string[] {
  const groups = payload['cognito:groups'];
  return Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
}

/** A verifier bound to one pool and app client; build it once at module scope. */
export function createJwtVerifier(settings: JwtSettings): TokenVerifier {
  const issuer = settings.issuer.replace(/\/$/, '');
  const keys =
    settings.keys ??
    createRemoteJWKSet(new URL(settings.jwksUrl ?? `${issuer}/.well-known/jwks.json`), {
      cooldownDuration: settings.cooldownMs ?? 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 3_000,
    });
  return {
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw new Unauthenticated('The access token is not valid.');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: ['RS256'],
          issuer,
          clockTolerance: CLOCK_SKEW_SECONDS,
          maxTokenAge: MAX_TOKEN_AGE_SECONDS,
          requiredClaims: ['exp', 'iat', 'sub'],
        }));
      } catch (error) {
        // the precise reason (expired, bad signature, JWKS unreachable) stays in `cause`, for logs only
        throw new Unauthenticated('The access token is not valid or has expired.', error);
      }
      if (payload.token_use !== 'access') throw new Unauthenticated('An access token is required.');
      if (payload.client_id !== settings.clientId)
        throw new Unauthenticated('The token is for another client.');
      if (typeof payload.sub !== 'string' || payload.sub === '')
        throw new Unauthenticated('The token has no subject.');
      const groups = groupsOf(payload);
      return { userId: payload.sub, groups, isOperator: groups.includes(OPERATORS_GROUP) };
    },
  };
}

/** The token of an `Authorization: Bearer …` header, or undefined when there is none. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw new Unauthenticated('The Authorization header must be "Bearer <access token>".');
  return match[1];
}
