/**
 * `config.json`, served beside the site: where the API is and how to sign in. The local hub
 * serves the local variant; the deploy pipeline writes the Cognito one.
 */

export interface DemoUser {
  username: string;
  groups: string[];
}

export type AuthConfig =
  | { mode: 'local'; demoUsers?: DemoUser[] }
  | { mode: 'cognito'; domain: string; clientId: string; redirectUri: string; scopes?: string[] };

export interface SiteConfig {
  /** '' = same origin */
  apiBaseUrl: string;
  auth: AuthConfig;
  /** the venue this site serves, and its time zone (defaults: the demo venue) */
  venueId: string;
  timezone: string;
}

function demoUsers(value: unknown): DemoUser[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const users = value.filter(
    (u): u is DemoUser =>
      typeof u === 'object' && u !== null && typeof u.username === 'string' && Array.isArray(u.groups),
  );
  return users.length > 0
    ? users.map((u) => ({ username: u.username, groups: u.groups.map(String) }))
    : undefined;
}

const DEFAULT_VENUE = 'flagship-001';
const DEFAULT_TIMEZONE = 'America/New_York';

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`config.json: ${name} must be a string`);
  return value;
}

/**
 * The deploy pipeline may write the stack's outputs flat (`apiUrl`, `cognitoDomain`,
 * `clientId`); read that as the Cognito variant, returning to this site's own root, which is
 * the callback URL the app client allows.
 */
function fromStackOutputs(input: Record<string, unknown>, origin: string): Record<string, unknown> {
  if (input.auth !== undefined || typeof input.cognitoDomain !== 'string') return input;
  return {
    ...input,
    apiBaseUrl: input.apiBaseUrl ?? input.apiUrl,
    auth: {
      mode: 'cognito',
      domain: input.cognitoDomain,
      clientId: input.clientId,
      redirectUri: `${origin}/`,
    },
  };
}

/**
 * Validates the parsed file; unknown extra fields are ignored, missing required ones throw.
 * `origin` is the site's own origin (for the flat stack-outputs shape).
 */
export function parseConfig(raw: unknown, origin = ''): SiteConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error('config.json: not an object');
  const input = fromStackOutputs(raw as Record<string, unknown>, origin);
  const auth = (input.auth ?? { mode: 'local' }) as Record<string, unknown>;
  let parsedAuth: AuthConfig;
  if (auth.mode === 'cognito') {
    parsedAuth = {
      mode: 'cognito',
      domain: text(auth.domain, 'auth.domain')
        .replace(/^https?:\/\//, '')
        .replace(/\/$/, ''),
      clientId: text(auth.clientId, 'auth.clientId'),
      redirectUri: text(auth.redirectUri, 'auth.redirectUri'),
      ...(Array.isArray(auth.scopes) ? { scopes: auth.scopes.map(String) } : {}),
    };
  } else if (auth.mode === 'local' || auth.mode === undefined) {
    // the hub lists its demo users at the top level; `auth.demoUsers` is accepted too
    const users = demoUsers(auth.demoUsers) ?? demoUsers(input.demoUsers);
    parsedAuth = users ? { mode: 'local', demoUsers: users } : { mode: 'local' };
  } else {
    throw new Error('config.json: auth.mode must be "local" or "cognito"');
  }
  const apiBaseUrl = typeof input.apiBaseUrl === 'string' ? input.apiBaseUrl.replace(/\/$/, '') : '';
  return {
    apiBaseUrl,
    auth: parsedAuth,
    venueId: typeof input.venueId === 'string' && input.venueId ? input.venueId : DEFAULT_VENUE,
    timezone: typeof input.timezone === 'string' && input.timezone ? input.timezone : DEFAULT_TIMEZONE,
  };
}

export async function loadConfig(): Promise<SiteConfig> {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return parseConfig(await response.json(), location.origin);
}
