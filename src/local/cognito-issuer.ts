/**
 * The local stand-in for the Cognito user pool: mints Cognito-shaped RS256 tokens with a key
 * generated at start (kept in memory only), serves the JWKS, and verifies bearer tokens the
 * way API Gateway's JWT authorizer does (signature, issuer, audience or client_id, expiry) so
 * that the hub can refuse a protected route exactly as API Gateway would. The venue-api
 * handler verifies the same tokens again through its own code path (JWKS_URL).
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { ValidationFailed } from '../domain/errors.ts';

export interface TokenRequest {
  username: string;
  groups: string[];
  /** seconds; negative mints an already expired token */
  expiresIn: number;
  tokenUse: 'access' | 'id';
  clientId: string;
}

export interface MintedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** What the authorizer passes on: claims and scopes of a token it accepted. */
export interface VerifiedToken {
  claims: JWTPayload;
  scopes: string[];
}

const MAX_LIFETIME = 24 * 3600;
export const USERNAME = /^[\w.@+-]{1,128}$/;
const GROUP = /^[\w.@+-]{1,128}$/;
const CLIENT_ID = /^[\w.-]{1,128}$/;

/** A uuid derived from the username, so the same username always gets the same `sub`. */
export function subjectFor(username: string): string {
  const hex = createHash('sha256').update(`venue-hub-local:${username}`).digest('hex');
  // Shaped as a version-4 style uuid (Cognito subs are uuids).
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Parses the body of `POST /local/cognito/token`; anything unexpected throws ValidationFailed
 * (answered 400 in the error shape).
 */
export function parseTokenRequest(body: unknown, defaultClientId: string): TokenRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ValidationFailed.at('', 'the body must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  const known = new Set(['username', 'groups', 'expiresIn', 'tokenUse', 'clientId']);
  const details = Object.keys(input)
    .filter((key) => !known.has(key))
    .map((key) => ({ path: `/${key}`, message: 'unknown field' }));
  const { username, groups = [], expiresIn = 3600, tokenUse = 'access', clientId = defaultClientId } = input;
  if (typeof username !== 'string' || !USERNAME.test(username)) {
    details.push({ path: '/username', message: 'a username of 1–128 letters, digits or ._@+- is required' });
  }
  if (
    !Array.isArray(groups) ||
    groups.length > 10 ||
    !groups.every((g) => typeof g === 'string' && GROUP.test(g))
  ) {
    details.push({ path: '/groups', message: 'groups must be a list of at most 10 group names' });
  }
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || Math.abs(expiresIn) > MAX_LIFETIME) {
    details.push({
      path: '/expiresIn',
      message: `expiresIn must be an integer from -${MAX_LIFETIME} to ${MAX_LIFETIME}`,
    });
  }
  if (tokenUse !== 'access' && tokenUse !== 'id') {
    details.push({ path: '/tokenUse', message: 'tokenUse must be "access" or "id"' });
  }
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) {
    details.push({ path: '/clientId', message: 'clientId must be 1–128 letters, digits or ._-' });
  }
  if (details.length > 0) throw new ValidationFailed(details);
  return {
    username: username as string,
    groups: [...new Set(groups as string[])],
    expiresIn: expiresIn as number,
    tokenUse: tokenUse as 'access' | 'id',
    clientId: clientId as string,
  };
}

export class LocalIssuer {
  private constructor(
    readonly issuer: string,
    readonly clientId: string,
    private readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly keySet: JSONWebKeySet,
  ) {}

  /** A new issuer with a fresh RS256 key pair. */
  static async create(issuer: string, clientId: string): Promise<LocalIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new LocalIssuer(issuer, clientId, kid, privateKey, { keys: [jwk] });
  }

  /** The public keys, as `/.well-known/jwks.json` serves them. */
  jwks(): JSONWebKeySet {
    return structuredClone(this.keySet);
  }

  /** Mints a token shaped like Cognito's access (or ID) token. */
  async mint(request: TokenRequest, now = new Date()): Promise<MintedToken> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + request.expiresIn;
    const common = {
      sub: subjectFor(request.username),
      'cognito:groups': request.groups,
      auth_time: iat,
      token_use: request.tokenUse,
      jti: randomUUID(),
    };
    const claims =
      request.tokenUse === 'access'
        ? {
            ...common,
            client_id: request.clientId,
            scope: 'openid profile email',
            username: request.username,
            origin_jti: randomUUID(),
            event_id: randomUUID(),
          }
        : { ...common, aud: request.clientId, 'cognito:username': request.username, email_verified: false };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { access_token: token, token_type: 'Bearer', expires_in: request.expiresIn };
  }

  /**
   * What API Gateway's JWT authorizer checks: an RS256 signature by a key of the JWKS, `iss`,
   * `exp`/`nbf`, and the audience — `aud`, or `client_id` when there is no `aud` — among the
   * configured audiences. It does not look at `token_use` (the Lambda does). Returns undefined
   * for any token it would refuse.
   */
  async authorize(authorization: string | undefined, now = new Date()): Promise<VerifiedToken | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!match) return undefined;
    try {
      const { payload } = await jwtVerify(match[1] as string, createLocalJWKSet(this.keySet), {
        algorithms: ['RS256'],
        issuer: this.issuer,
        currentDate: now,
      });
      const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
      if (!audiences.includes(this.clientId)) return undefined;
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      return { claims: payload, scopes };
    } catch {
      return undefined;
    }
  }
}
