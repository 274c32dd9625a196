/**
 * Self sign-up: a shopper who confirms their email lands in the `shoppers` group. Operators
 * are never added here: an administrator puts them in `operators` (DESIGN.md §2).
 * No AWS imports: the Cognito adapter implements `UserDirectory`.
 */

/** Cognito group of self-registered shoppers. */
export const SHOPPERS_GROUP = 'shoppers';

/** The user pool, as far as sign-up needs it. */
export interface UserDirectory {
  /** Adds the user to the group; adding a member again is not an error (idempotent). */
  addToGroup(userPoolId: string, username: string, group: string): Promise<void>;
}

export interface ConfirmedSignUp {
  /** the Cognito trigger source, e.g. `PostConfirmation_ConfirmSignUp` */
  trigger: string;
  userPoolId: string;
  username: string;
}

/**
 * Enrols the user in `shoppers` when the confirmation is a sign-up; a confirmed password
 * reset changes nothing. Returns whether the user was enrolled.
 */
export async function enrolConfirmedShopper(
  directory: UserDirectory,
  signUp: ConfirmedSignUp,
): Promise<boolean> {
  if (signUp.trigger !== 'PostConfirmation_ConfirmSignUp') return false;
  await directory.addToGroup(signUp.userPoolId, signUp.username, SHOPPERS_GROUP);
  return true;
}
