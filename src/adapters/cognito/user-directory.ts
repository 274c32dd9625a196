/**
 * Cognito user pool adapter: the one place that calls `cognito-idp`. Maps SDK failures to
 * domain errors; an unknown pool, user or group is a configuration fault, not a client's.
 */
import {
  AdminAddUserToGroupCommand,
  type CognitoIdentityProviderClient,
  ResourceNotFoundException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DomainError, NotFound } from '../../domain/errors.ts';
import type { UserDirectory } from '../../identity/sign-up.ts';

type Sender = Pick<CognitoIdentityProviderClient, 'send'>;

export class CognitoUserDirectory implements UserDirectory {
  constructor(private readonly client: Sender) {}

  async addToGroup(userPoolId: string, username: string, group: string): Promise<void> {
    try {
      // AdminAddUserToGroup succeeds when the user is already a member: retries are safe.
      await this.client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }),
      );
    } catch (error) {
      if (error instanceof UserNotFoundException) throw new NotFound('The user');
      if (error instanceof ResourceNotFoundException) {
        throw new DomainError('INTERNAL', `The user pool or the group ${group} does not exist.`, {
          cause: error,
        });
      }
      throw new DomainError('SERVICE_UNAVAILABLE', 'The user directory is unavailable.', { cause: error });
    }
  }
}
