/**
 * The venue rules the hub has "deployed": the live document behind the AppConfigData stand-in
 * and `GET/PUT /local/appconfig`. A new document is checked against the profile's schema
 * first; a rejected one changes nothing (the last good copy stays), as AppConfig's validator
 * would stop the deployment. The profile's Lambda validators are the hub's to run (they are
 * functions of the template): `PUT /local/appconfig` runs them before `deploy`.
 */
import { ValidationFailed } from '../domain/errors.ts';
import type { RulesDocument } from '../domain/rules.ts';
import type { DeployedConfiguration } from './stand-ins/appconfigdata.ts';
import type { RulesValidation } from './venue-rules.ts';

export class LocalRulesStore {
  private content: string;
  private version = 1;

  constructor(
    initial: RulesDocument,
    private readonly validate: (document: unknown) => RulesValidation,
  ) {
    const check = validate(initial);
    if (!check.valid)
      throw new Error(
        `the venue rules in template.yaml fail their own schema: ${JSON.stringify(check.errors)}`,
      );
    this.content = JSON.stringify(initial);
  }

  current(): DeployedConfiguration {
    return { content: this.content, version: String(this.version) };
  }

  document(): RulesDocument {
    return JSON.parse(this.content) as RulesDocument;
  }

  /** The version the next deployment will get (what AppConfig tells its validators). */
  nextVersion(): string {
    return String(this.version + 1);
  }

  /** Throws ValidationFailed if the schema rejects `document`. */
  check(document: unknown): void {
    const check = this.validate(document);
    if (!check.valid) throw new ValidationFailed(check.errors, 'The venue rules do not match their schema.');
  }

  /** Deploys a new document; throws ValidationFailed (and keeps the old one) if the schema rejects it. */
  deploy(document: unknown): DeployedConfiguration {
    this.check(document);
    this.content = JSON.stringify(document);
    this.version += 1;
    return this.current();
  }
}
