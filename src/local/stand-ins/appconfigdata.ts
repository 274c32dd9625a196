/**
 * AppConfigData stand-in, wire-compatible with the SDK's REST-JSON protocol:
 * `POST /configurationsessions` (StartConfigurationSession) and
 * `GET /configuration?configuration_token=` (GetLatestConfiguration). Like the service, the
 * first poll of a session returns the document and later polls return an empty body until a
 * new version is deployed; each answer carries the next token and the poll interval.
 */
import { randomUUID } from 'node:crypto';
import type { OutgoingResponse } from '../api-gateway-event.ts';

export interface DeployedConfiguration {
  /** the document as deployed (JSON text) */
  content: string;
  version: string;
}

export interface AppConfigDataStandInOptions {
  application: string;
  environment: string;
  profile: string;
  current(): DeployedConfiguration;
}

interface Session {
  /** the version this session was last given; undefined before the first poll */
  seen?: string;
  minimumPollSeconds: number;
}

function restError(status: number, type: string, message: string): OutgoingResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: Buffer.from(JSON.stringify({ Message: message })),
  };
}

export class AppConfigDataStandIn {
  private readonly sessions = new Map<string, Session>();
  /** token → session id; a token is good for one poll, as with the real service */
  private readonly tokens = new Map<string, string>();

  constructor(private readonly options: AppConfigDataStandInOptions) {}

  /** Answers a request whose path is relative to the stand-in's endpoint. */
  handle(method: string, path: string, query: URLSearchParams, body: Buffer): OutgoingResponse {
    if (method === 'POST' && path === '/configurationsessions') return this.start(body);
    if (method === 'GET' && path === '/configuration') return this.poll(query.get('configuration_token'));
    return restError(404, 'ResourceNotFoundException', `no AppConfigData operation at ${method} ${path}`);
  }

  private start(body: Buffer): OutgoingResponse {
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return restError(400, 'BadRequestException', 'the body is not valid JSON');
    }
    const { application, environment, profile } = this.options;
    if (
      input.ApplicationIdentifier !== application ||
      input.EnvironmentIdentifier !== environment ||
      input.ConfigurationProfileIdentifier !== profile
    ) {
      return restError(
        404,
        'ResourceNotFoundException',
        'no such application, environment or configuration profile',
      );
    }
    const minimum = input.RequiredMinimumPollIntervalInSeconds;
    // The real service refuses intervals under 15 s; the local one allows 1 s for fast demos.
    if (minimum !== undefined && (typeof minimum !== 'number' || minimum < 1 || minimum > 86400)) {
      return restError(400, 'BadRequestException', 'RequiredMinimumPollIntervalInSeconds is out of range');
    }
    const sessionId = randomUUID();
    this.sessions.set(sessionId, { minimumPollSeconds: typeof minimum === 'number' ? minimum : 60 });
    return {
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ InitialConfigurationToken: this.issueToken(sessionId) })),
    };
  }

  private poll(token: string | null): OutgoingResponse {
    const sessionId = token ? this.tokens.get(token) : undefined;
    const session = sessionId ? this.sessions.get(sessionId) : undefined;
    if (!token || !sessionId || !session) {
      return restError(
        400,
        'BadRequestException',
        'the configuration token is not valid (or was already used)',
      );
    }
    this.tokens.delete(token);
    const deployed = this.options.current();
    const changed = session.seen !== deployed.version;
    session.seen = deployed.version;
    return {
      status: 200,
      headers: {
        'content-type': changed ? 'application/json' : 'application/octet-stream',
        'next-poll-configuration-token': this.issueToken(sessionId),
        'next-poll-interval-in-seconds': String(session.minimumPollSeconds),
        ...(changed ? { 'version-label': deployed.version } : {}),
      },
      body: Buffer.from(changed ? deployed.content : ''),
    };
  }

  private issueToken(sessionId: string): string {
    const token = randomUUID();
    this.tokens.set(token, sessionId);
    return token;
  }
}
