/**
 * The venue rules, read-only. Locally the hub exposes the live AppConfig document
 * (GET /local/appconfig); in AWS the API exposes only the version in force (GET /health), and
 * the screen says so.
 */
import type { AppContext } from '../app.ts';
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { errorBox, laneFlags, showError } from '../ui.ts';

interface VenueRulesView {
  name?: string;
  timezone?: string;
  hours?: Record<string, [string, string]>;
  maxPartySize?: number;
  lanes?: {
    laneId: string;
    serviceKinds: string[];
    accessible: boolean;
    open: boolean;
    reopensAt?: string;
  }[];
  limits?: Record<string, number>;
}

interface RulesView {
  venues?: Record<string, VenueRulesView>;
  features?: Record<string, boolean>;
}

function definitions(entries: [string, string][]): HTMLElement {
  return h('dl', {}, ...entries.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
}

/** The document's shapes vary by version; `GET /local/appconfig` may wrap it in `{document}`. */
function unwrap(raw: unknown): RulesView {
  const value = raw as { document?: unknown; venues?: unknown };
  return (value.venues ? value : (value.document ?? {})) as RulesView;
}

export async function rulesView(ctx: AppContext, main: HTMLElement) {
  const errors = errorBox();
  const parts: (HTMLElement | string)[] = [h('h1', {}, t('rulesTitle'))];
  let version = '';
  try {
    version = (await ctx.api.health()).configVersion ?? '';
  } catch (error) {
    showError(errors, error);
  }
  parts.push(definitions([[t('configVersion'), version || '—']]));
  if (ctx.config.auth.mode !== 'local') {
    parts.push(h('p', { class: 'notice' }, t('rulesAwsNote')), errors);
    replace(main, ...parts);
    return;
  }
  parts.push(h('p', {}, t('rulesLocalNote')));
  try {
    const raw = await ctx.api.localRules();
    const doc = unwrap(raw);
    const venue = doc.venues?.[ctx.config.venueId];
    if (venue) {
      parts.push(
        h('h2', {}, venue.name ?? ctx.config.venueId),
        definitions([
          [t('timezone'), venue.timezone ?? ''],
          [t('maxPartySize'), String(venue.maxPartySize ?? '')],
          ...Object.entries(venue.limits ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
        ]),
        h('h3', {}, t('hours')),
        definitions(
          Object.entries(venue.hours ?? {}).map(([day, [from, to]]): [string, string] => [
            day,
            `${from}–${to}`,
          ]),
        ),
        h('h3', {}, t('lanes')),
        h(
          'ul',
          {},
          ...(venue.lanes ?? []).map((lane) =>
            h(
              'li',
              {},
              `${lane.laneId}: ${laneFlags(lane, venue.timezone ?? ctx.config.timezone, ctx.locale()).join(' · ')}`,
            ),
          ),
        ),
      );
    }
    parts.push(
      h('h2', {}, t('features')),
      definitions(
        Object.entries(doc.features ?? {}).map(([k, v]): [string, string] => [k, v ? t('on') : t('off')]),
      ),
      h(
        'details',
        {},
        h('summary', {}, t('rawDocument')),
        h('pre', { tabindex: 0 }, JSON.stringify(raw, null, 2)),
      ),
    );
  } catch (error) {
    showError(errors, error);
  }
  parts.push(errors);
  replace(main, ...parts);
}
