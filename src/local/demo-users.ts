/**
 * The local hub's demo users: it lists them in the site's config.json (`demoUsers`, the sign-in
 * picker) and prints them when ready. Any other username signs in too; these are the ones the
 * demo data and the docs use.
 */
export interface DemoUser {
  username: string;
  groups: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'alice', groups: ['shoppers'] },
  { username: 'bob', groups: ['shoppers'] },
  { username: 'olivia', groups: ['operators'] },
];
