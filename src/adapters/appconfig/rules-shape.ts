/**
 * A dependency-free structural check of the venue rules document, run by the rules provider
 * on every new copy it receives. AppConfig already enforces the JSON Schema of template.yaml
 * on deployment; this check guards the bundles against a document they cannot work with
 * (a hosted version deployed before a schema change, a hand-edited local copy) so that the
 * provider keeps its last good copy instead of handing out something half-shaped.
 */
import type { RulesDocument } from '../../domain/rules.ts';

/** One thing wrong with the document: where (dotted, `venues.x.lanes[0].open`) and what. */
export interface RulesProblem {
  path: string;
  message: string;
}

type Problems = RulesProblem[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function checkNumber(value: unknown, path: string, problems: Problems, min = 0): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
    problems.push({ path, message: `must be a number >= ${min}` });
}

function checkLanes(value: unknown, path: string, problems: Problems): void {
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be an array' });
    return;
  }
  value.forEach((lane, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(lane)) {
      problems.push({ path: at, message: 'must be an object' });
      return;
    }
    if (typeof lane.laneId !== 'string' || lane.laneId === '')
      problems.push({ path: `${at}.laneId`, message: 'must be a string' });
    if (!Array.isArray(lane.serviceKinds) || !lane.serviceKinds.every((k) => typeof k === 'string'))
      problems.push({ path: `${at}.serviceKinds`, message: 'must be an array of strings' });
    if (typeof lane.accessible !== 'boolean')
      problems.push({ path: `${at}.accessible`, message: 'must be a boolean' });
    if (typeof lane.open !== 'boolean') problems.push({ path: `${at}.open`, message: 'must be a boolean' });
    if (
      lane.reopensAt !== undefined &&
      (typeof lane.reopensAt !== 'string' || Number.isNaN(Date.parse(lane.reopensAt)))
    ) {
      problems.push({ path: `${at}.reopensAt`, message: 'must be an ISO time' });
    }
  });
}

function checkQueue(value: unknown, path: string, problems: Problems): void {
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object' });
    return;
  }
  checkNumber(value.maxLength, `${path}.maxLength`, problems);
  checkNumber(value.noShowGraceMinutes, `${path}.noShowGraceMinutes`, problems);
  const minutes = value.serviceMinutes;
  if (!isRecord(minutes)) problems.push({ path: `${path}.serviceMinutes`, message: 'must be an object' });
  else
    for (const [kind, m] of Object.entries(minutes))
      checkNumber(m, `${path}.serviceMinutes.${kind}`, problems);
}

function checkVenue(venue: unknown, path: string, problems: Problems): void {
  if (!isRecord(venue)) {
    problems.push({ path, message: 'must be an object' });
    return;
  }
  if (typeof venue.name !== 'string') problems.push({ path: `${path}.name`, message: 'must be a string' });
  if (typeof venue.timezone !== 'string' || !isValidTimeZone(venue.timezone))
    problems.push({ path: `${path}.timezone`, message: 'must be an IANA time zone' });
  if (!isRecord(venue.hours)) problems.push({ path: `${path}.hours`, message: 'must be an object' });
  if (!Array.isArray(venue.closedDates))
    problems.push({ path: `${path}.closedDates`, message: 'must be an array' });
  checkNumber(venue.maxPartySize, `${path}.maxPartySize`, problems, 1);
  const window = venue.checkInWindowMinutes;
  if (!isRecord(window))
    problems.push({ path: `${path}.checkInWindowMinutes`, message: 'must be an object' });
  else {
    checkNumber(window.before, `${path}.checkInWindowMinutes.before`, problems);
    checkNumber(window.after, `${path}.checkInWindowMinutes.after`, problems);
  }
  checkQueue(venue.queue, `${path}.queue`, problems);
  checkLanes(venue.lanes, `${path}.lanes`, problems);
  const limits = venue.limits;
  if (!isRecord(limits)) problems.push({ path: `${path}.limits`, message: 'must be an object' });
  else {
    checkNumber(limits.activeReservationsPerUser, `${path}.limits.activeReservationsPerUser`, problems, 1);
    checkNumber(limits.queueJoinsPerHour, `${path}.limits.queueJoinsPerHour`, problems, 1);
  }
  const alerts = venue.alerts;
  if (!isRecord(alerts)) problems.push({ path: `${path}.alerts`, message: 'must be an object' });
  else {
    checkNumber(alerts.capacityThreshold, `${path}.alerts.capacityThreshold`, problems);
    checkNumber(alerts.predictedWaitMinutes, `${path}.alerts.predictedWaitMinutes`, problems);
    if (alerts.language !== undefined && alerts.language !== 'en' && alerts.language !== 'es') {
      problems.push({ path: `${path}.alerts.language`, message: 'must be en or es' });
    }
  }
}

/** A problem as one sentence: `venues.x.timezone must be an IANA time zone`. */
export function describeProblem(problem: RulesProblem): string {
  return problem.path === '' ? `the document ${problem.message}` : `${problem.path} ${problem.message}`;
}

/** The problems that make `value` unusable as a rules document (empty when it is usable). */
export function rulesDocumentProblems(value: unknown): string[] {
  return rulesDocumentDetails(value).map(describeProblem);
}

/** The same problems with their paths apart (the local hub answers them as `{path, message}`). */
export function rulesDocumentDetails(value: unknown): RulesProblem[] {
  const problems: Problems = [];
  if (!isRecord(value)) return [{ path: '', message: 'must be a JSON object' }];
  if (!isRecord(value.venues)) problems.push({ path: 'venues', message: 'must be an object' });
  else for (const [id, venue] of Object.entries(value.venues)) checkVenue(venue, `venues.${id}`, problems);
  const features = value.features;
  if (!isRecord(features)) problems.push({ path: 'features', message: 'must be an object' });
  else
    for (const flag of ['queue', 'pickup', 'campaigns'])
      if (typeof features[flag] !== 'boolean')
        problems.push({ path: `features.${flag}`, message: 'must be a boolean' });
  return problems;
}

/** Narrows `value` to a RulesDocument when it has no problems. */
export function isRulesDocument(value: unknown): value is RulesDocument {
  return rulesDocumentProblems(value).length === 0;
}
