/**
 * Cognito post-confirmation trigger: a confirmed self sign-up joins `shoppers`. The client is
 * built once per container; the handler only translates the trigger event. A failure is
 * thrown back to Cognito (the user sees it and can retry) after it is logged.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { CognitoUserDirectory } from '../adapters/cognito/user-directory.ts';
import { awsRegion, serviceEndpoints } from '../config/env.ts';
import { DomainError } from '../domain/errors.ts';
import { enrolConfirmedShopper, type UserDirectory } from '../identity/sign-up.ts';
import { createLogger, type Logger } from '../observability/log.ts';

export type PostConfirmationHandler = (
  event: PostConfirmationTriggerEvent,
) => Promise<PostConfirmationTriggerEvent>;

/** The testable core: the trigger with its directory and logger passed in. */
export function createPostConfirmationHandler(deps: {
  directory: UserDirectory;
  logger: Logger;
}): PostConfirmationHandler {
  return async (event) => {
    // `sub` identifies the user in logs; the username may be an email address.
    const log = deps.logger.child({ trigger: event.triggerSource, sub: event.request.userAttributes?.sub });
    try {
      const enrolled = await enrolConfirmedShopper(deps.directory, {
        trigger: event.triggerSource,
        userPoolId: event.userPoolId,
        username: event.userName,
      });
      log.info(enrolled ? 'enrolled in shoppers' : 'nothing to do');
      return event;
    } catch (error) {
      log.error('enrolment failed', { code: error instanceof DomainError ? error.code : 'INTERNAL' });
      throw error;
    }
  };
}

const endpoint = serviceEndpoints().cognitoidp; // the local hub's stand-in; unset in AWS
const client = new CognitoIdentityProviderClient({ region: awsRegion(), ...(endpoint ? { endpoint } : {}) });

export const handler = createPostConfirmationHandler({
  directory: new CognitoUserDirectory(client),
  logger: createLogger('post-confirmation'),
});
