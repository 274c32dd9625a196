/**
 * Cognito hosted UI: authorization code with PKCE (RFC 7636, S256) and a `state` check. The
 * verifier and state live in sessionStorage only between the redirect and the callback.
 */

const PENDING_KEY = 'venue-hub.pkce';

export interface CognitoSettings {
  domain: string;
  clientId: string;
  redirectUri: string;
  scopes?: string[];
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh random string of 43+ URL-safe characters. */
export function randomToken(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge of a verifier. */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** The hosted-UI authorize URL; remembers verifier and state for the callback. */
export async function authorizeUrl(settings: CognitoSettings, storage: Storage): Promise<string> {
  const verifier = randomToken(48);
  const state = randomToken(16);
  storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    scope: (settings.scopes ?? ['openid', 'email', 'profile']).join(' '),
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return `https://${settings.domain}/oauth2/authorize?${params}`;
}

/**
 * Completes the callback: checks `state`, exchanges the code at the token endpoint with the
 * verifier, and returns the access token. The pending verifier is used once and dropped.
 */
export async function exchangeCode(
  settings: CognitoSettings,
  params: URLSearchParams,
  storage: Storage,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const pendingRaw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  const pending = pendingRaw ? (JSON.parse(pendingRaw) as { verifier: string; state: string }) : undefined;
  const code = params.get('code');
  if (!pending || !code || params.get('state') !== pending.state) {
    throw new Error('sign-in callback does not match the request (state)');
  }
  const response = await fetchImpl(`https://${settings.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: settings.clientId,
      code,
      redirect_uri: settings.redirectUri,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  const tokens = (await response.json()) as { access_token?: unknown };
  if (typeof tokens.access_token !== 'string') throw new Error('token endpoint gave no access token');
  return tokens.access_token;
}

/** The hosted-UI logout URL, which returns to the site. */
export function logoutUrl(settings: CognitoSettings): string {
  const params = new URLSearchParams({ client_id: settings.clientId, logout_uri: settings.redirectUri });
  return `https://${settings.domain}/logout?${params}`;
}
