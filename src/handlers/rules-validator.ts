/**
 * AppConfig's Lambda validator of the venue rules (ADR 0506). AppConfig runs it, beside the
 * profile's JSON Schema, before it deploys a configuration version: a thrown error refuses the
 * deployment, and its message is what the operator reads in AppConfig.
 *
 * It runs the very check the bundles' rules provider runs on every copy it receives
 * (`rules-shape.ts`: a known time zone, well-formed hours and lanes, the feature switches), so
 * AppConfig can no longer report a document deployed that the API and the worker would ignore
 * (they keep their last good copy). The local hub runs this same bundle for `PUT /local/appconfig`,
 * read from the validators of the configuration profile in template.yaml.
 */
import {
  describeProblem,
  type RulesProblem,
  rulesDocumentDetails,
} from '../adapters/appconfig/rules-shape.ts';
import { createLogger, type Logger } from '../observability/log.ts';

/** What AppConfig sends a Lambda validator (AppConfig User Guide, "Understanding validators"). */
export interface AppConfigValidationEvent {
  applicationId: string;
  configurationProfileId: string;
  configurationVersion: string;
  /** the configuration, base64-encoded */
  content: string;
  uri: string;
}

/** The refusal: AppConfig shows the message; the local hub reads the problems themselves. */
export class RulesRefused extends Error {
  override readonly name = 'RulesRefused';
  constructor(readonly problems: RulesProblem[]) {
    super(`The venue rules cannot be deployed: ${problems.map(describeProblem).join('; ')}`);
  }
}

/** The problems of a validation event's content (empty when the bundles can use it). */
export function contentProblems(content: unknown): RulesProblem[] {
  if (typeof content !== 'string') return [{ path: '', message: 'carries no base64 content' }];
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(content, 'base64').toString('utf8'));
  } catch {
    return [{ path: '', message: 'is not valid JSON' }];
  }
  return rulesDocumentDetails(document);
}

/** The testable core: the validator with its logger passed in. */
export function createRulesValidator(logger: Logger): (event: AppConfigValidationEvent) => Promise<void> {
  return async (event) => {
    const log = logger.child({
      applicationId: event?.applicationId,
      configurationProfileId: event?.configurationProfileId,
      configurationVersion: event?.configurationVersion,
    });
    const problems = contentProblems(event?.content);
    if (problems.length > 0) {
      log.warn('venue rules refused', { problems });
      throw new RulesRefused(problems);
    }
    log.info('venue rules accepted');
  };
}

export const handler = createRulesValidator(createLogger('rules-validator'));
