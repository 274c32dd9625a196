/**
 * The pipeline's smoke stage: real Cognito access tokens for the end-to-end suite
 * (test/e2e/target.ts reads E2E_SHOPPER_TOKEN, E2E_SHOPPER2_TOKEN, E2E_OPERATOR_TOKEN).
 * Ensures three smoke users exist in the pool, gives each a fresh random password (never
 * stored anywhere), puts them in their group and signs them in through the admin flow, which
 * needs IAM credentials (the smoke build role), never a public client.
 *
 *   eval "$(npx tsx scripts/smoke-tokens.ts)"     with E2E_USER_POOL_ID and E2E_CLIENT_ID set
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';

type Sender = Pick<CognitoIdentityProviderClient, 'send'>;

/** The suite's roles → smoke user and group. */
export const SMOKE_USERS = {
  SHOPPER: { email: 'e2e-shopper@example.com', group: 'shoppers' },
  SHOPPER2: { email: 'e2e-shopper-two@example.com', group: 'shoppers' },
  OPERATOR: { email: 'e2e-operator@example.com', group: 'operators' },
} as const;

export type SmokeRole = keyof typeof SMOKE_USERS;

/** A password the pool's policy accepts (12+ characters, upper, lower, digit). */
export function smokePassword(random: (size: number) => Buffer = randomBytes): string {
  return `${random(24).toString('base64url')}Aa1`;
}

/** Creates (if needed), resets and signs in each smoke user; returns role → access token. */
export async function issueSmokeTokens(
  client: Sender,
  pool: { userPoolId: string; clientId: string },
  random: (size: number) => Buffer = randomBytes,
): Promise<Record<SmokeRole, string>> {
  const tokens = {} as Record<SmokeRole, string>;
  for (const [role, user] of Object.entries(SMOKE_USERS) as Array<
    [SmokeRole, (typeof SMOKE_USERS)[SmokeRole]]
  >) {
    const base = { UserPoolId: pool.userPoolId, Username: user.email };
    try {
      await client.send(
        new AdminCreateUserCommand({
          ...base,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
    } catch (error) {
      // an earlier run created it: reset its password below
      if (!(error instanceof UsernameExistsException)) throw error;
    }
    const password = smokePassword(random);
    await client.send(new AdminSetUserPasswordCommand({ ...base, Password: password, Permanent: true }));
    await client.send(new AdminAddUserToGroupCommand({ ...base, GroupName: user.group }));
    const auth = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.userPoolId,
        ClientId: pool.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: password },
      }),
    );
    const token = auth.AuthenticationResult?.AccessToken;
    if (!token)
      throw new Error(
        `no access token for the ${role.toLowerCase()} smoke user (challenge ${auth.ChallengeName})`,
      );
    tokens[role] = token;
  }
  return tokens;
}

/** Shell lines exporting the tokens under the names the e2e suite reads. */
export function exportLines(tokens: Record<SmokeRole, string>): string {
  return Object.entries(tokens)
    .map(([role, token]) => `export E2E_${role}_TOKEN='${token.replace(/[^A-Za-z0-9._-]/g, '')}'\n`)
    .join('');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const userPoolId = process.env.E2E_USER_POOL_ID;
  const clientId = process.env.E2E_CLIENT_ID;
  if (!userPoolId || !clientId) {
    process.stderr.write('smoke-tokens: set E2E_USER_POOL_ID and E2E_CLIENT_ID\n');
    process.exit(2);
  }
  const tokens = await issueSmokeTokens(new CognitoIdentityProviderClient({}), { userPoolId, clientId });
  process.stdout.write(exportLines(tokens));
}
