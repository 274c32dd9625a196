/**
 * The venue rules, read-only. Locally the hub exposes the whole live AppConfig document
 * (GET /local/appconfig), per-shopper limits and the raw document included; in AWS the screen
 * shows the version in force (GET /health) and the venue's public profile (GET /venues/{venueId},
 * ADR 0417), and says that the rest is deployed through AppConfig.
 */
import type { AppContext } from '../app.ts';
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { errorBox, labelFrom, laneFlags, showError } from '../ui.ts';
import { type DocumentVenueRules, rulesDocument } from '../venue-rules.ts';

const limitLabel = labelFrom({
  activeReservationsPerUser: 'limitActiveReservations',
  queueJoinsPerHour: 'limitQueueJoins',
});

const featureLabel = labelFrom({
  queue: 'featureQueue',
  pickup: 'featurePickup',
  campaigns: 'featureCampaigns',
});

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `mon` … `sun` as the reader's language names the day (1 January 2024 was a Monday). */
function weekdayName(day: string, locale: string): string {
  const index = WEEKDAYS.indexOf(day);
  if (index < 0) return day;
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
    Date.UTC(2024, 0, 1 + index),
  );
}

function definitions(entries: [string, string][]): HTMLElement {
  return h('dl', {}, ...entries.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
}

/** The venue's own rules: name, zone, party, window (and limits when known), hours, lanes. */
function venueSection(ctx: AppContext, venue: DocumentVenueRules): HTMLElement[] {
  const window = venue.checkInWindowMinutes;
  return [
    h('h2', {}, venue.name ?? ctx.config.venueId),
    definitions([
      [t('timezone'), venue.timezone ?? ''],
      [t('maxPartySize'), String(venue.maxPartySize ?? '')],
      ...(window ? [[t('checkInWindow'), t('checkInWindowValue', { ...window })] as [string, string]] : []),
      ...Object.entries(venue.limits ?? {}).map(([k, v]): [string, string] => [limitLabel(k), String(v)]),
    ]),
    h('h3', {}, t('hours')),
    definitions(
      Object.entries(venue.hours ?? {}).map(([day, [from, to]]): [string, string] => [
        weekdayName(day, ctx.locale()),
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
  ];
}

function featuresSection(features: Record<string, boolean | undefined>): HTMLElement[] {
  return [
    h('h2', {}, t('features')),
    definitions(
      Object.entries(features).map(([k, v]): [string, string] => [featureLabel(k), v ? t('on') : t('off')]),
    ),
  ];
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
    // only the local hub hands out the whole document; the API shows what shoppers may see
    parts.push(h('p', { class: 'notice' }, t('rulesAwsNote')));
    try {
      const profile = await ctx.api.venueProfile(ctx.config.venueId);
      parts.push(...venueSection(ctx, profile), ...featuresSection({ ...profile.features }));
    } catch (error) {
      showError(errors, error);
    }
    parts.push(errors);
    replace(main, ...parts);
    return;
  }
  parts.push(h('p', {}, t('rulesLocalNote')));
  try {
    const raw = await ctx.api.localRules();
    const doc = rulesDocument(raw);
    const venue = doc.venues?.[ctx.config.venueId];
    if (venue) parts.push(...venueSection(ctx, venue));
    parts.push(
      ...featuresSection(doc.features ?? {}),
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
