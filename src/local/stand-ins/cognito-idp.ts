/**
 * Cognito user-pool stand-in for the one call the hub's functions make:
 * `AdminAddUserToGroup` (JSON 1.1, `X-Amz-Target: AWSCognitoIdentityProviderService.*`), which
 * the post-confirmation trigger sends for a confirmed sign-up. It keeps the local pool's users
 * (those who signed up through `POST /local/cognito/sign-up`) and their groups; the groups
 * are the pool's `AWS::Cognito::UserPoolGroup`s of template.yaml. Errors are those of the real
 * service, so the function's adapter meets the same exceptions as in AWS.
 */
import type { OutgoingResponse } from '../api-gateway-event.ts';
import { type CfnTemplate, resourcesOfType } from '../cfn-template.ts';
import { awsJsonError } from './eventbridge.ts';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/** Group names of the template's user pool. */
export function readUserPoolGroups(template: CfnTemplate): string[] {
  return resourcesOfType(template, 'AWS::Cognito::UserPoolGroup')
    .map(([, r]) => r.Properties?.GroupName)
    .filter((name): name is string => typeof name === 'string');
}

export class CognitoIdpStandIn {
  private readonly members = new Map<string, Set<string>>();

  constructor(
    readonly userPoolId: string,
    private readonly groups: readonly string[],
  ) {}

  /** A user who signed up and confirmed (no groups yet: the trigger adds them). */
  signUp(username: string): void {
    if (!this.members.has(username)) this.members.set(username, new Set());
  }

  /** The user's groups, or undefined for a user the pool does not know. */
  groupsOf(username: string): string[] | undefined {
    const groups = this.members.get(username);
    return groups && [...groups].sort();
  }

  /** Answers one JSON 1.1 request. */
  handle(target: string | undefined, body: Buffer): OutgoingResponse {
    if (target !== `${TARGET_PREFIX}AdminAddUserToGroup`) {
      return awsJsonError(
        400,
        'UnknownOperationException',
        `The local pool answers AdminAddUserToGroup only, not ${target}.`,
      );
    }
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return awsJsonError(400, 'SerializationException', 'The body is not JSON.');
    }
    const { UserPoolId, Username, GroupName } = input;
    if (typeof UserPoolId !== 'string' || typeof Username !== 'string' || typeof GroupName !== 'string') {
      return awsJsonError(
        400,
        'InvalidParameterException',
        'UserPoolId, Username and GroupName are required.',
      );
    }
    if (UserPoolId !== this.userPoolId) {
      return awsJsonError(400, 'ResourceNotFoundException', `User pool ${UserPoolId} does not exist.`);
    }
    if (!this.groups.includes(GroupName)) {
      return awsJsonError(400, 'ResourceNotFoundException', `Group ${GroupName} does not exist.`);
    }
    const groups = this.members.get(Username);
    if (groups === undefined) return awsJsonError(400, 'UserNotFoundException', 'User does not exist.');
    groups.add(GroupName); // adding a member again succeeds, as in Cognito
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: Buffer.from('{}'),
    };
  }
}
