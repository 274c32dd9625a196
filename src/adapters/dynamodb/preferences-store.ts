/** A user's notification preferences (preferences table, `USER#{userId}` / `PREFS`). */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Preferences } from '../../domain/model.ts';
import type { PreferencesStore } from '../../domain/ports.ts';
import { type Db, pick } from './db.ts';
import { preferenceKeys } from './keys.ts';

const FIELDS = [
  'channels',
  'email',
  'phone',
  'interests',
  'language',
  'accessibility',
  'marketingOptIn',
] as const satisfies readonly (keyof Preferences)[];

export class DynamoPreferencesStore implements PreferencesStore {
  constructor(private readonly db: Db) {}

  async get(userId: string): Promise<Preferences | undefined> {
    const out = await this.db.run(() =>
      this.db.doc.send(
        new GetCommand({
          TableName: this.db.tables.preferences,
          Key: preferenceKeys.preferences(userId),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item && pick<Preferences>(out.Item, FIELDS);
  }

  /** Replaces the whole document (PUT semantics): a field left out is removed. */
  async put(userId: string, preferences: Preferences, updatedAt: string): Promise<Preferences> {
    const fields = pick<Preferences>(preferences as unknown as Record<string, unknown>, FIELDS);
    await this.db.run(() =>
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.tables.preferences,
          Item: { ...preferenceKeys.preferences(userId), ...fields, userId, updatedAt },
        }),
      ),
    );
    return fields;
  }
}
