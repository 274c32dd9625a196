/**
 * RulesProvider over AppConfigData: one configuration session, polled lazily from `current()`
 * (a Lambda has no timers between invocations; the worker calls `current()` every loop), never
 * more often than the poll interval. The last good copy stays in force when a poll fails or
 * brings a malformed document; only a first load that fails is an error.
 */
import { createHash } from 'node:crypto';
import {
  type AppConfigDataClient,
  GetLatestConfigurationCommand,
  type GetLatestConfigurationResponse,
  StartConfigurationSessionCommand,
  type StartConfigurationSessionResponse,
} from '@aws-sdk/client-appconfigdata';
import { ServiceUnavailable } from '../../domain/errors.ts';
import type { RulesProvider } from '../../domain/ports.ts';
import type { RulesDocument, RulesSnapshot } from '../../domain/rules.ts';
import { errorName, type Logger } from '../../observability/log.ts';
import { rulesDocumentProblems } from './rules-shape.ts';

export interface AppConfigSettings {
  application: string;
  environment: string;
  profile: string;
  /** minimum seconds between two polls */
  pollSeconds: number;
}

/** The part of AppConfigDataClient the provider uses (tests inject a fake `send`). */
export type AppConfigDataSender = Pick<AppConfigDataClient, 'send'>;

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silent,
};

const FIRST_LOAD_RETRY_MS = 1000;

/** A short, stable version for content deployed without a VersionLabel. */
function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export class AppConfigRulesProvider implements RulesProvider {
  private snapshot: RulesSnapshot | undefined;
  private token: string | undefined;
  /** epoch ms before which no poll is made */
  private nextPollAt = 0;
  /** epoch ms before which a failed first load is not retried (requests fail fast meanwhile) */
  private retryAt = 0;
  private inFlight: Promise<void> | undefined;
  private readonly decoder = new TextDecoder();

  /**
   * @param client the AppConfigData client (built once at module scope by the handler)
   * @param settings application, environment and profile identifiers, and the poll interval
   * @param logger where failed polls and rejected documents are reported
   * @param now the clock in epoch ms (tests move it)
   */
  constructor(
    private readonly client: AppConfigDataSender,
    private readonly settings: AppConfigSettings,
    private readonly logger: Logger = silent,
    private readonly now: () => number = Date.now,
  ) {}

  /** The rules in force; polls first when the interval has passed. */
  async current(): Promise<RulesSnapshot> {
    const due = this.snapshot === undefined ? this.now() >= this.retryAt : this.now() >= this.nextPollAt;
    // Concurrent callers share one poll instead of each spending a poll token, and all of them
    // wait for it: a request that arrives while the poll runs is as late as the one that began
    // it, so it must not act on the copy the poll is replacing (DESIGN.md §6: new rules are in
    // force within seconds). A failed poll keeps the copy, so waiting costs at most its latency.
    if (due || this.inFlight) {
      this.inFlight ??= this.poll().finally(() => {
        this.inFlight = undefined;
      });
      await this.inFlight;
    }
    if (this.snapshot === undefined)
      throw new ServiceUnavailable('The venue rules are not available yet; please retry shortly.');
    return this.snapshot;
  }

  private async poll(): Promise<void> {
    this.nextPollAt = this.now() + this.settings.pollSeconds * 1000;
    // Without a copy every request needs the rules; still, ask AppConfig at most once a second.
    this.retryAt = this.now() + FIRST_LOAD_RETRY_MS;
    let response: GetLatestConfigurationResponse;
    try {
      this.token ??= await this.startSession();
      response = await this.client.send(
        new GetLatestConfigurationCommand({ ConfigurationToken: this.token }),
      );
    } catch (error) {
      // A token is single-use and expires after 24 h; whatever went wrong, the next poll
      // starts a fresh session rather than retrying a token that may be spent or expired.
      this.token = undefined;
      this.logger.warn('venue rules poll failed; keeping the last good copy', {
        errorName: errorName(error),
        hasCopy: this.snapshot !== undefined,
      });
      if (this.snapshot === undefined)
        throw new ServiceUnavailable('The venue rules could not be loaded.', error);
      return;
    }
    this.token = response.NextPollConfigurationToken;
    // AWS refuses polls sooner than the interval it announces; that interval only matters
    // when we asked for one (pollSeconds >= 15). Local stand-ins poll at pollSeconds.
    const serverSeconds =
      this.requestedInterval() === undefined ? 0 : (response.NextPollIntervalInSeconds ?? 0);
    this.nextPollAt = this.now() + Math.max(this.settings.pollSeconds, serverSeconds) * 1000;
    this.accept(response);
  }

  private async startSession(): Promise<string> {
    const session: StartConfigurationSessionResponse = await this.client.send(
      new StartConfigurationSessionCommand({
        ApplicationIdentifier: this.settings.application,
        EnvironmentIdentifier: this.settings.environment,
        ConfigurationProfileIdentifier: this.settings.profile,
        RequiredMinimumPollIntervalInSeconds: this.requestedInterval(),
      }),
    );
    if (!session.InitialConfigurationToken) throw new Error('session without an initial token');
    return session.InitialConfigurationToken;
  }

  /** AppConfigData accepts 15 s and more; below that (local hub only) the field is left out. */
  private requestedInterval(): number | undefined {
    return this.settings.pollSeconds >= 15 ? this.settings.pollSeconds : undefined;
  }

  /** Takes a polled body: empty means unchanged; malformed is logged and ignored. */
  private accept(response: GetLatestConfigurationResponse): void {
    // The SDK gives an empty (or, from some endpoints, null) body for "unchanged".
    const bytes = response.Configuration;
    if (!bytes || bytes.length === 0) {
      if (this.snapshot === undefined)
        throw new ServiceUnavailable('The venue rules configuration is empty.');
      return;
    }
    const text = this.decoder.decode(bytes);
    let parsed: unknown;
    let problems: string[];
    try {
      parsed = JSON.parse(text);
      problems = rulesDocumentProblems(parsed);
    } catch {
      problems = ['the document is not valid JSON'];
    }
    const version = response.VersionLabel || contentHash(text);
    if (problems.length > 0) {
      this.logger.error('venue rules rejected; keeping the last good copy', {
        version,
        problems: problems.slice(0, 10),
        hasCopy: this.snapshot !== undefined,
      });
      if (this.snapshot === undefined)
        throw new ServiceUnavailable('The venue rules configuration is malformed.');
      return;
    }
    if (this.snapshot?.version !== version) this.logger.info('venue rules loaded', { version });
    this.snapshot = { document: parsed as RulesDocument, version };
  }
}
