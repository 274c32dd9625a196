import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { exportLines, issueSmokeTokens, smokePassword } from '../../scripts/smoke-tokens.ts';

interface Sent {
  name: string;
  input: Record<string, unknown>;
}

/** A user pool in memory, speaking just the four admin commands. */
function fakePool(options: { existing?: string[]; challenge?: boolean } = {}) {
  const users = new Map<string, { password?: string; groups: Set<string> }>();
  for (const name of options.existing ?? []) users.set(name, { groups: new Set() });
  const sent: Sent[] = [];
  const send = async (command: { input: Record<string, unknown> }) => {
    const input = command.input;
    sent.push({ name: command.constructor.name, input });
    const name = (input.Username ??
      (input.AuthParameters as Record<string, string> | undefined)?.USERNAME) as string;
    if (command instanceof AdminCreateUserCommand) {
      if (users.has(name)) throw new UsernameExistsException({ message: 'exists', $metadata: {} });
      users.set(name, { groups: new Set() });
      return {};
    }
    const user = users.get(name);
    if (!user) throw new Error(`no user ${name}`);
    if (command instanceof AdminSetUserPasswordCommand) user.password = input.Password as string;
    if (command instanceof AdminAddUserToGroupCommand) user.groups.add(input.GroupName as string);
    if (command instanceof AdminInitiateAuthCommand) {
      if (options.challenge) return { ChallengeName: 'NEW_PASSWORD_REQUIRED' };
      const password = (input.AuthParameters as Record<string, string>).PASSWORD;
      assert.equal(password, user.password);
      return { AuthenticationResult: { AccessToken: `token-for-${name}` } };
    }
    return {};
  };
  return { users, sent, client: { send: send as never } };
}

const pool = { userPoolId: 'us-east-1_Smoke', clientId: 'site-client' };

describe('smoke tokens', () => {
  it('creates the three users silently, puts each in its group and signs them in', async () => {
    const fake = fakePool();
    const tokens = await issueSmokeTokens(fake.client, pool);
    assert.deepEqual(tokens, {
      SHOPPER: 'token-for-e2e-shopper@example.com',
      SHOPPER2: 'token-for-e2e-shopper-two@example.com',
      OPERATOR: 'token-for-e2e-operator@example.com',
    });
    assert.deepEqual([...(fake.users.get('e2e-operator@example.com')?.groups ?? [])], ['operators']);
    assert.deepEqual([...(fake.users.get('e2e-shopper@example.com')?.groups ?? [])], ['shoppers']);
    const create = fake.sent.find((s) => s.name === 'AdminCreateUserCommand')!;
    assert.equal(create.input.MessageAction, 'SUPPRESS');
    const auth = fake.sent.find((s) => s.name === 'AdminInitiateAuthCommand')!;
    assert.equal(auth.input.AuthFlow, 'ADMIN_USER_PASSWORD_AUTH');
    assert.equal(auth.input.ClientId, 'site-client');
  });

  it('reuses users from an earlier run with a fresh password', async () => {
    const fake = fakePool({ existing: ['e2e-shopper@example.com'] });
    const before = fake.users.get('e2e-shopper@example.com');
    await issueSmokeTokens(fake.client, pool);
    assert.ok(before?.password && before.password.length >= 12);
  });

  it('fails clearly when Cognito answers with a challenge instead of tokens', async () => {
    await assert.rejects(
      issueSmokeTokens(fakePool({ challenge: true }).client, pool),
      /NEW_PASSWORD_REQUIRED/,
    );
  });

  it('makes passwords the pool policy accepts, different every time', () => {
    const a = smokePassword();
    assert.match(a, /[A-Z]/);
    assert.match(a, /[a-z]/);
    assert.match(a, /[0-9]/);
    assert.ok(a.length >= 12);
    assert.notEqual(a, smokePassword());
  });

  it('prints shell exports the e2e suite reads, with nothing a shell would interpret', () => {
    const lines = exportLines({ SHOPPER: 'a.b-c_d', SHOPPER2: "x'; rm -rf /", OPERATOR: 'o' });
    assert.equal(
      lines,
      "export E2E_SHOPPER_TOKEN='a.b-c_d'\nexport E2E_SHOPPER2_TOKEN='xrm-rf'\nexport E2E_OPERATOR_TOKEN='o'\n",
    );
  });
});
