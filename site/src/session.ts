/**
 * The signed-in session: the access token (kept in sessionStorage, so it dies with the tab)
 * and the claims the UI needs. The token is only decoded here, for display and routing; the
 * API verifies it.
 */

export interface Session {
  accessToken: string;
  userId: string;
  username: string;
  groups: string[];
  /** epoch ms */
  expiresAt: number;
}

const KEY = 'venue-hub.session';

function decodeSegment(segment: string): Record<string, unknown> {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** Builds a session from an access token's claims (Cognito-shaped: sub, username, cognito:groups, exp). */
export function sessionFromToken(accessToken: string, now = Date.now()): Session {
  const [, payload] = accessToken.split('.');
  if (!payload) throw new Error('not a JWT');
  const claims = decodeSegment(payload);
  const groups = claims['cognito:groups'];
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : now + 3600_000;
  return {
    accessToken,
    userId: String(claims.sub ?? ''),
    username: String(claims.username ?? claims['cognito:username'] ?? claims.sub ?? ''),
    groups: Array.isArray(groups) ? groups.map(String) : [],
    expiresAt: exp,
  };
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

/** The stored session, or undefined when there is none or it has expired. */
export function currentSession(now = Date.now()): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.accessToken !== 'string' || session.expiresAt <= now) {
      clearSession();
      return undefined;
    }
    return session;
  } catch {
    clearSession();
    return undefined;
  }
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

export function isOperator(session: Session | undefined): boolean {
  return session?.groups.includes('operators') ?? false;
}
