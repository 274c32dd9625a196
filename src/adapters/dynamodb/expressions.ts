/** Builds the optimistic-locking updates that the catalog and the queue share. */

export interface VersionedUpdate {
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * `SET` each of `sets` and `REMOVE` each of `removes`, bump `version`, all only if the item is
 * still at `expectedVersion` (and, when given, `extra` also holds). Every attribute name goes
 * through a placeholder, so reserved words (`status`, `capacity`, `position`) are safe.
 */
export function versionedUpdate(
  sets: Record<string, unknown>,
  removes: string[],
  expectedVersion: unknown,
  extra?: { condition: string; names: Record<string, string>; values: Record<string, unknown> },
): VersionedUpdate {
  const names: Record<string, string> = { '#version': 'version', ...extra?.names };
  const values: Record<string, unknown> = { ':v': expectedVersion, ':one': 1, ...extra?.values };
  const assignments = Object.entries(sets).map(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  });
  const removals = removes.map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  return {
    UpdateExpression:
      `SET ${[...assignments, '#version = #version + :one'].join(', ')}` +
      (removals.length > 0 ? ` REMOVE ${removals.join(', ')}` : ''),
    ConditionExpression: extra ? `#version = :v AND (${extra.condition})` : '#version = :v',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
