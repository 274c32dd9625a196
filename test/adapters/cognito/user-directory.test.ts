import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  InternalErrorException,
  ResourceNotFoundException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUserDirectory } from '../../../src/adapters/cognito/user-directory.ts';
import { DomainError, NotFound } from '../../../src/domain/errors.ts';

const metadata = { $metadata: {} };

function clientThat(behaviour: (command: unknown) => unknown) {
  const sent: unknown[] = [];
  return {
    sent,
    send: (async (command: unknown) => {
      sent.push(command);
      return behaviour(command);
    }) as never,
  };
}

describe('CognitoUserDirectory', () => {
  it('sends AdminAddUserToGroup with the pool, user and group', async () => {
    const client = clientThat(() => ({}));
    await new CognitoUserDirectory(client).addToGroup('us-east-1_Pool', 'user-1', 'shoppers');
    assert.equal(client.sent.length, 1);
    const command = client.sent[0];
    assert.ok(command instanceof AdminAddUserToGroupCommand);
    assert.deepEqual(command.input, {
      UserPoolId: 'us-east-1_Pool',
      Username: 'user-1',
      GroupName: 'shoppers',
    });
  });

  it('maps an unknown user to NotFound', async () => {
    const client = clientThat(() => {
      throw new UserNotFoundException({ message: 'User does not exist.', ...metadata });
    });
    await assert.rejects(new CognitoUserDirectory(client).addToGroup('p', 'ghost', 'shoppers'), NotFound);
  });

  it('maps a missing pool or group to INTERNAL with the SDK error as cause', async () => {
    const sdkError = new ResourceNotFoundException({ message: 'Group not found.', ...metadata });
    const client = clientThat(() => {
      throw sdkError;
    });
    await assert.rejects(
      new CognitoUserDirectory(client).addToGroup('p', 'u', 'shoppers'),
      (error: unknown) => {
        assert.ok(error instanceof DomainError);
        assert.equal(error.code, 'INTERNAL');
        assert.equal(error.cause, sdkError);
        assert.doesNotMatch(error.message, /ResourceNotFoundException/);
        return true;
      },
    );
  });

  it('maps any other failure to SERVICE_UNAVAILABLE', async () => {
    const client = clientThat(() => {
      throw new InternalErrorException({ message: 'boom', ...metadata });
    });
    await assert.rejects(new CognitoUserDirectory(client).addToGroup('p', 'u', 'shoppers'), {
      code: 'SERVICE_UNAVAILABLE',
    });
  });
});
