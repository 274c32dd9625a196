/** Preferences (routes 14, 15): the defaults until the user saves their own. */
import { DEFAULT_PREFERENCES, type Preferences } from '../domain/model.ts';
import type { Actor, ServiceDeps } from './context.ts';

export class PreferencesService {
  constructor(private readonly deps: ServiceDeps) {}

  async get(actor: Actor): Promise<Preferences> {
    return (
      (await this.deps.stores.preferences.get(actor.caller.userId)) ?? structuredClone(DEFAULT_PREFERENCES)
    );
  }

  async put(actor: Actor, preferences: Preferences): Promise<Preferences> {
    return this.deps.stores.preferences.put(
      actor.caller.userId,
      preferences,
      this.deps.clock.now().toISOString(),
    );
  }
}
