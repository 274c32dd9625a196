/**
 * The site by keyboard and screen reader, where the main flow (site.test.ts) does not go:
 * where focus lands after actions that hide, replace or remove what the reader was on (the
 * pickup desk's last "Load more", a ticket ended from elsewhere, a called ticket completed at
 * another desk), a busy button that keeps the focus, filters that keep the reader on the
 * control they use, results carried over a navigation announced by their live region, a
 * refusal about one field marked on it, and a loading screen marked busy. Chromium against its own local hub.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { hubToken, requestJson } from '../../scripts/hub-process.ts';
import { addDays, formatRange, venueDate, zonedToUtc } from '../../site/src/time.ts';
import {
  axeViolations,
  BrowserSuite,
  describeFocus,
  focusReaches,
  hubMissing,
  recordStatusRegions,
  screenDrawn,
  statusLog,
  storeSession,
  tabTo,
} from './harness.ts';

const TZ = 'America/New_York';
const VENUE = 'flagship-001';
const WAIT = { timeout: 30_000 };

/**
 * Types `date` (YYYY-MM-DD) into the focused date field key by key, as a reader does: month,
 * day and year in an en-US field, each segment moving on to the next when full.
 */
async function typeDate(page: Page, date: string): Promise<void> {
  const [year, month, day] = date.split('-');
  await page.keyboard.type(`${month}${day}${year}`, { delay: 30 });
  await page.waitForTimeout(300);
}

describe('the site by keyboard and screen reader, in Chromium against the local hub', {
  timeout: 600_000,
  skip: hubMissing(),
}, () => {
  const hub = new BrowserSuite();
  const today = venueDate(new Date(), TZ);

  /** A page signed in as `username` (a shopper, or an operator), on `hash`. */
  async function signedIn(
    username: string,
    hash: string,
    groups = ['shoppers'],
    prepare?: (page: Page) => Promise<unknown>,
  ): Promise<Page> {
    const page = await hub.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    await prepare?.(page);
    await page.goto(`${hub.url}/#/sign-in`);
    await storeSession(page, await hubToken(hub.url, username, groups));
    await page.goto(`${hub.url}/${hash}`);
    await page.getByText(`Signed in as ${username}`).waitFor(WAIT);
    await screenDrawn(page);
    return page;
  }

  const api = async <T>(username: string, groups: string[], method: string, path: string, body?: unknown) =>
    requestJson(hub.url, method, path, { token: await hubToken(hub.url, username, groups), body }) as T;
  /** The demo operator, through the API (another desk). */
  const asOperator = <T>(method: string, path: string, body?: unknown) =>
    api<T>('olivia', ['operators'], method, path, body);

  /** Creates the pickup slots of `day` from `from` to `to` as an operator; the first one's id. */
  async function createSlot(
    day: string,
    slot: { from: string; to: string; slotMinutes: number; capacity: number },
  ): Promise<string> {
    const created = await asOperator<{ items: { slotId: string }[] }>(
      'POST',
      `/venues/${VENUE}/pickup-slots`,
      {
        date: day,
        ...slot,
      },
    );
    return created.items[0]?.slotId ?? '';
  }

  /** Creates a published event of 10 places on `day`, 15:00 to 16:00 UTC, as an operator; its id. */
  async function createEvent(title: string, day: string): Promise<string> {
    const created = await asOperator<{ event: { eventId: string } }>('POST', `/venues/${VENUE}/events`, {
      kind: 'event',
      title,
      status: 'published',
      startsAt: `${day}T15:00:00Z`,
      endsAt: `${day}T16:00:00Z`,
      capacity: 10,
    });
    return created.event.eventId;
  }

  /** Puts `rules` in force as the live venue rules document (the local AppConfig stand-in). */
  const putRules = (rules: unknown) =>
    requestJson(hub.url, 'PUT', '/local/appconfig', { body: rules, expect: 200 });

  /** The live rules document, and a copy of it with the demo venue's last lane (`laneId`) closed. */
  async function lastLaneClosed() {
    const rules = (await requestJson(hub.url, 'GET', '/local/appconfig')) as {
      venues: Record<string, { lanes: { laneId: string; open: boolean }[] }>;
    };
    const laneId = rules.venues[VENUE]?.lanes.at(-1)?.laneId ?? '';
    const closing = structuredClone(rules);
    for (const lane of closing.venues[VENUE]?.lanes ?? []) if (lane.laneId === laneId) lane.open = false;
    return { rules, closing, laneId };
  }

  let operator: Page;
  let slotId = '';

  it('the pickup desk’s last "Load more" hands the focus to the first order it brought', async () => {
    slotId = await createSlot(addDays(today, 9), {
      from: '10:00',
      to: '10:30',
      slotMinutes: 30,
      capacity: 200,
    });
    // one more order than the desk's page (100, the API's largest): 101 shoppers, one each
    for (let batch = 0; batch < 101; batch += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, 101 - batch) }, (_, i) =>
          api(`desk-${batch + i}`, ['shoppers'], 'POST', `/pickup-slots/${slotId}/bookings`, {
            orderRef: `DESK-${batch + i}`,
          }),
        ),
      );
    }
    operator = await signedIn('olivia', `#/operator/slots/${slotId}`, ['operators']);
    await operator.getByRole('heading', { level: 1, name: 'Pickup desk' }).waitFor(WAIT);
    assert.equal(await operator.locator('li.card').count(), 100);
    const more = operator.getByRole('button', { name: 'Load more' });
    await more.focus();
    await operator.keyboard.press('Enter');
    await operator.locator('li.card').nth(100).waitFor(WAIT);
    assert.equal(await more.isHidden(), true, 'no page after the last one');
    await focusReaches(operator, 'li.card:nth-child(101) h2');
    // a browser without checkVisibility (Safari before 17.4, which the site targets): the
    // focus goes the same way, and nothing throws
    const older = await signedIn('olivia', `#/operator/slots/${slotId}`, ['operators'], (page) =>
      page.addInitScript(() => {
        delete (Element.prototype as Partial<Element>).checkVisibility;
      }),
    );
    const thrown: string[] = [];
    older.on('pageerror', (error) => thrown.push(error.message));
    await older.locator('li.card').nth(99).waitFor(WAIT);
    await older.getByRole('button', { name: 'Load more' }).focus();
    await older.keyboard.press('Enter');
    await older.locator('li.card').nth(100).waitFor(WAIT);
    await focusReaches(older, 'li.card:nth-child(101) h2');
    assert.deepEqual(thrown, []);
    await older.close();
  });

  it('the pickup desk names its slot, holds an early check-in and says why the API refused one', async () => {
    const day = addDays(today, 12);
    const slot = await createSlot(day, { from: '10:00', to: '10:15', slotMinutes: 15, capacity: 2 });
    const named = `Pickup desk · ${formatRange(
      zonedToUtc(day, '10:00', TZ).toISOString(),
      zonedToUtc(day, '10:15', TZ).toISOString(),
      TZ,
      'en-US',
    )}`;
    // an empty slot, opened from the day's slots: named by the day's slots (route 5)
    const desk = await signedIn('olivia', `#/operator/slots?date=${day}`, ['operators']);
    await desk.locator(`a[href^="#/operator/slots/${slot}?"]`).click();
    await desk.getByRole('heading', { level: 1, name: named, exact: true }).waitFor(WAIT);
    await desk.getByText('No orders are booked for this slot.').waitFor(WAIT);
    const spaced = (text: string) => text.replace(/\s+/g, ' ');
    assert.equal(spaced(await desk.title()), spaced(`${named} · Flagship Community Hub`));
    // with an order, a bare link (no day) is named by the order's times
    await api('wes', ['shoppers'], 'POST', `/pickup-slots/${slot}/bookings`, { orderRef: 'EARLY-1' });
    await desk.goto(`${hub.url}/#/operator/slots/${slot}`);
    await desk.getByRole('heading', { level: 1, name: named, exact: true }).waitFor(WAIT);
    await screenDrawn(desk);
    // 30 minutes before 10:00 in the demo rules: held, reached by the keyboard, said why
    const checkIn = desk.getByRole('button', { name: 'Check in: EARLY-1' });
    assert.equal(await checkIn.getAttribute('aria-disabled'), 'true');
    const note = desk.getByText(/^Check-in opens at 9:30\sAM\.$/);
    assert.equal(await checkIn.getAttribute('aria-describedby'), await note.getAttribute('id'));
    const checkIns: string[] = [];
    desk.on('request', (request) => {
      if (request.url().endsWith('/check-in')) checkIns.push(request.url());
    });
    await tabTo(desk, 'button[aria-label="Check in: EARLY-1"]');
    await desk.keyboard.press('Enter');
    await desk.waitForTimeout(300);
    assert.deepEqual(checkIns, [], 'no check-in asked of the API');
    // without the rules (the profile cannot be read) the API refuses, and the card says why
    await desk.route(
      (url) => url.pathname === `/venues/${VENUE}`,
      (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{}' }),
    );
    await desk.reload();
    await desk.getByRole('heading', { level: 1, name: named, exact: true }).waitFor(WAIT);
    await screenDrawn(desk);
    assert.equal(await checkIn.getAttribute('aria-disabled'), null);
    await checkIn.click();
    await desk
      .locator('li.card [role="alert"]')
      .getByText(/^Check-in is not open yet\. It opens shortly before the start \(10:00\sAM\)\.$/)
      .waitFor(WAIT);
    assert.equal(checkIns.length, 1);
    assert.equal(await desk.getByText('This is not possible right now.').count(), 0);
    await desk.close();
  });

  it('a busy button keeps the focus, says it is busy and takes no second press', async () => {
    const eventId = await createEvent('Busy workshop', addDays(today, 5));
    const shopper = await signedIn('uma', `#/events/${eventId}`);
    const bookings: string[] = [];
    await shopper.route('**/events/*/reservations', async (route) => {
      bookings.push(route.request().method());
      await new Promise((done) => setTimeout(done, 1500));
      await route.continue();
    });
    await tabTo(shopper, 'button[type="submit"]');
    await shopper.keyboard.press('Enter');
    await shopper.waitForFunction(() => document.activeElement?.getAttribute('aria-busy') === 'true');
    assert.equal(await describeFocus(shopper), 'button[] Book');
    assert.equal(await shopper.getByRole('button', { name: 'Book' }).getAttribute('aria-disabled'), 'true');
    await shopper.keyboard.press('Enter');
    await shopper.getByText('Booked! Your reservation is confirmed.').waitFor(WAIT);
    assert.deepEqual(bookings, ['POST'], 'one booking for two presses');
    await focusReaches(shopper, 'button', 'Book');
    assert.equal(await shopper.getByRole('button', { name: 'Book' }).getAttribute('aria-busy'), null);
  });

  it('a called ticket completed at another desk moves the focus to its lane’s "Call next"', async () => {
    await api('quinn', ['shoppers'], 'POST', `/venues/${VENUE}/queue/tickets`, {
      serviceKind: 'returns',
      partySize: 1,
      accessibility: false,
    });
    // the worker plans the queue within seconds: call next on a lane that has someone
    type Called = { ticketId: string; calledLaneId?: string; laneId?: string };
    let called: Called | undefined;
    for (let i = 0; i < 60 && !called; i += 1) {
      const board = await asOperator<{ lanes: { laneId: string }[] }>('GET', `/venues/${VENUE}/queue`);
      for (const lane of board.lanes) {
        const answer = await asOperator<{ ticket?: Called } | undefined>(
          'POST',
          `/venues/${VENUE}/lanes/${lane.laneId}/call-next`,
        );
        called = answer?.ticket;
        if (called) break;
      }
      if (!called) await new Promise((done) => setTimeout(done, 500));
    }
    assert.ok(called, 'a ticket called');
    const lane = called.calledLaneId ?? called.laneId ?? '';
    await operator.goto(`${hub.url}/#/operator/queue`);
    await operator.getByRole('heading', { level: 1, name: 'Live queue board' }).waitFor(WAIT);
    const served = operator.locator(`li[data-ticket="${called.ticketId}"] button[data-outcome="served"]`);
    await served.focus();
    await asOperator('POST', `/queue/tickets/${called.ticketId}/complete`, {
      outcome: 'served',
    });
    await served.waitFor({ state: 'detached', ...WAIT });
    await focusReaches(operator, `section.lane[data-lane="${lane}"] button`);
  });

  it('a ticket left from another device moves the focus to what the live region says', async () => {
    const shopper = await signedIn('rosa', '#/queue');
    await shopper.getByRole('heading', { level: 1, name: 'Virtual queue' }).waitFor(WAIT);
    await shopper.getByLabel('Service', { exact: true }).selectOption('consultation');
    await shopper.getByRole('button', { name: 'Join the queue' }).click();
    await shopper.getByRole('heading', { name: /Your ticket/ }).waitFor(WAIT);
    await focusReaches(shopper, '#ticket-live');
    await tabTo(shopper, 'button.secondary');
    const mine = await api<{ items: { ticketId: string; status: string }[] }>(
      'rosa',
      ['shoppers'],
      'GET',
      '/me/queue/tickets',
    );
    const ticket = mine.items.find((x) => x.status === 'waiting' || x.status === 'called');
    assert.ok(ticket);
    await api('rosa', ['shoppers'], 'DELETE', `/queue/tickets/${ticket.ticketId}`);
    await shopper.locator('#ticket-live').getByText('You left the queue.').waitFor(WAIT);
    await focusReaches(shopper, '#ticket-live');
  });

  it('filters keep the reader on the control they use; a date applies once typed, not at every key', async () => {
    const shopper = await signedIn('sam', `#/?day=${today}`);
    await shopper.getByRole('heading', { level: 1, name: "What's on" }).waitFor(WAIT);
    // a select applies on change (the arrow keys change it): the new screen keeps the focus
    // there, and says how many items the filters found
    await recordStatusRegions(shopper);
    await tabTo(shopper, 'select[name="kind"]');
    await shopper.keyboard.press('ArrowDown');
    await shopper.waitForFunction(() => location.hash.includes('kind=event'));
    await screenDrawn(shopper);
    await focusReaches(shopper, 'select[name="kind"]');
    assert.equal(await shopper.locator('select[name="kind"]').inputValue(), 'event');
    const found = await shopper.locator('main li.card').count();
    await shopper.getByText(`Items shown: ${found}`).waitFor(WAIT);
    assert.ok(
      (await statusLog(shopper)).includes(`said:Items shown: ${found}`),
      (await statusLog(shopper)).join(' | '),
    );
    // a date field changes at every key: the screen waits until Enter (or leaving the field)
    const hash = await shopper.evaluate(() => location.hash);
    const tomorrow = addDays(today, 1);
    await shopper.locator('input[name="day"]').focus();
    await typeDate(shopper, tomorrow);
    assert.equal(await shopper.locator('input[name="day"]').inputValue(), tomorrow);
    assert.equal(await shopper.evaluate(() => location.hash), hash, 'no new screen while typing');
    await focusReaches(shopper, 'input[name="day"]');
    await shopper.keyboard.press('Enter');
    await shopper.waitForFunction((day) => location.hash.includes(`day=${day}`), tomorrow);
    await screenDrawn(shopper);
    await focusReaches(shopper, 'input[name="day"]');
    // a day chosen in the browser's picker applies at once, the reader still on the field
    // (the picker, opened and used here by keyboard as by mouse, sends no key to the field)
    const dayAfter = addDays(today, 2);
    await shopper.keyboard.press('Alt+ArrowDown');
    await shopper.waitForTimeout(500);
    await shopper.keyboard.press('ArrowRight');
    await shopper.keyboard.press('Enter');
    await shopper
      .waitForFunction((day) => location.hash.includes(`day=${day}`), dayAfter, { timeout: 5000 })
      .catch(async () => assert.fail(`still ${await shopper.evaluate(() => location.hash)}`));
    await screenDrawn(shopper);
    await focusReaches(shopper, 'input[name="day"]');
    assert.equal(await shopper.locator('input[name="day"]').inputValue(), dayAfter);
    // and the pickup screen's day alike; leaving the field for the next one shows the new day
    // (the demo venue has slots for it) with the reader on that next field
    await shopper.goto(`${hub.url}/#/pickup?date=${today}`);
    await shopper.getByRole('heading', { level: 1, name: 'Book a pickup' }).waitFor(WAIT);
    await screenDrawn(shopper);
    await shopper.locator('input[name="date"]').focus();
    await typeDate(shopper, tomorrow);
    assert.equal(await shopper.evaluate(() => location.hash), `#/pickup?date=${today}`);
    assert.equal(await shopper.locator('input[name="date"]').inputValue(), tomorrow);
    // Tab until the field is left (its year and picker take one press each)
    for (let i = 0; i < 4 && (await shopper.evaluate(() => location.hash)).endsWith(today); i += 1)
      await shopper.keyboard.press('Tab');
    await shopper.waitForFunction((d) => location.hash.endsWith(d), tomorrow);
    await shopper.getByRole('heading', { level: 1, name: 'Book a pickup' }).waitFor(WAIT);
    await screenDrawn(shopper);
    await focusReaches(shopper, 'input[name="orderRef"]');
    assert.deepEqual(await axeViolations(shopper), []);
  });

  it('what a screen brings over a navigation ("Created.", "3 slots created.") is announced', async () => {
    await operator.goto(`${hub.url}/#/operator/catalog/new`);
    await operator.getByRole('heading', { level: 1, name: 'New item' }).waitFor(WAIT);
    await screenDrawn(operator);
    await recordStatusRegions(operator);
    await operator.getByLabel('Title', { exact: true }).fill('Announced workshop');
    await operator.getByLabel('Starts', { exact: true }).fill(`${addDays(today, 3)}T10:00`);
    await operator.getByLabel('Ends', { exact: true }).fill(`${addDays(today, 3)}T11:00`);
    await operator.getByRole('button', { name: 'Create' }).click();
    await operator.getByText('Created.', { exact: true }).waitFor(WAIT);
    assert.ok((await statusLog(operator)).includes('said:Created.'), (await statusLog(operator)).join(' | '));
    await focusReaches(operator, 'h1', 'Edit item');

    await operator.goto(`${hub.url}/#/operator/slots`);
    await operator.getByRole('heading', { level: 1, name: 'Pickup slots' }).waitFor(WAIT);
    await screenDrawn(operator);
    await recordStatusRegions(operator);
    await operator.getByLabel('Date', { exact: true }).fill(addDays(today, 11));
    await operator.getByLabel('From', { exact: true }).fill('09:00');
    await operator.getByLabel('To', { exact: true }).fill('10:30');
    await operator.getByRole('button', { name: 'Create a day of slots' }).click();
    await operator.getByText('3 slots created.').waitFor(WAIT);
    assert.ok(
      (await statusLog(operator)).includes('said:3 slots created.'),
      (await statusLog(operator)).join(' | '),
    );
  });

  it('a capacity below what is booked marks the capacity field and takes the focus there', async () => {
    const eventId = await createEvent('Capacity workshop', addDays(today, 4));
    await api('tess', ['shoppers'], 'POST', `/events/${eventId}/reservations`, { partySize: 3 });
    await operator.goto(`${hub.url}/#/operator/catalog/${eventId}`);
    await operator.getByRole('heading', { level: 1, name: 'Edit item' }).waitFor(WAIT);
    await screenDrawn(operator);
    const capacity = operator.getByLabel('Capacity', { exact: true });
    await capacity.fill('2');
    await operator.getByRole('button', { name: 'Save' }).click();
    const problem = operator.getByText('Capacity cannot go below the places already booked.');
    await problem.waitFor(WAIT);
    assert.equal(await capacity.getAttribute('aria-invalid'), 'true');
    const described = (await capacity.getAttribute('aria-describedby'))?.split(' ') ?? [];
    assert.ok(described.includes((await problem.getAttribute('id')) ?? '-'), described.join());
    await focusReaches(operator, 'input[name="capacity"]');
    // the next attempt clears the mark; the booked-places hint stays
    await capacity.fill('5');
    await operator.getByRole('button', { name: 'Save' }).click();
    await operator.getByText('Saved.').waitFor(WAIT);
    assert.equal(await capacity.getAttribute('aria-invalid'), null);
    assert.match((await capacity.getAttribute('aria-describedby')) ?? '', /-hint$/);
  });

  it('a screen says it is busy while it loads, and "Loading…" only when it is slow to come', async () => {
    const shopper = await signedIn('vera', '#/queue');
    await shopper.route(
      (url) => /^\/venues\/[^/]+\/events$/.test(url.pathname),
      async (route) => {
        await new Promise((done) => setTimeout(done, 2500));
        await route.continue();
      },
    );
    await recordStatusRegions(shopper);
    await shopper.evaluate(() => {
      location.hash = '#/';
    });
    await shopper.locator('#main .view[aria-busy="true"]').waitFor({ state: 'attached', ...WAIT });
    await shopper.getByRole('heading', { level: 1, name: "What's on" }).waitFor(WAIT);
    assert.equal(await shopper.locator('#main [aria-busy]').count(), 0);
    // said once, by a region outside the busy screen, and gone with the loading
    const slow = await statusLog(shopper);
    assert.equal(slow.filter((entry) => entry === 'said:Loading…').length, 1, slow.join(' | '));
    assert.equal(await shopper.getByRole('status').filter({ hasText: 'Loading…' }).count(), 0);
    // a screen that comes at once is not preceded by "Loading…": its heading says it arrived
    const before = slow.length;
    await shopper.getByRole('link', { name: 'Preferences' }).click();
    await shopper.getByRole('heading', { level: 1, name: 'Preferences' }).waitFor(WAIT);
    await screenDrawn(shopper);
    await focusReaches(shopper, 'h1', 'Preferences');
    const fast = (await statusLog(shopper)).slice(before);
    assert.deepEqual(
      fast.filter((entry) => entry.includes('Loading…')),
      [],
      fast.join(' | '),
    );
  });

  it('a lane closed while its "Call next" runs stays held once the call is done', async () => {
    const { rules, closing, laneId } = await lastLaneClosed();
    try {
      await operator.goto(`${hub.url}/#/operator/queue`);
      await operator.getByRole('heading', { level: 1, name: 'Live queue board' }).waitFor(WAIT);
      const call = operator.locator(`section.lane[data-lane="${laneId}"] button[data-lane="${laneId}"]`);
      await call.waitFor(WAIT);
      assert.equal(await call.getAttribute('aria-disabled'), null, 'open to start with');
      // the lane closes while the call is on its way; the board's polls see it closed meanwhile
      await operator.route('**/call-next', async (route) => {
        await putRules(closing);
        await operator.locator(`section.lane[data-lane="${laneId}"] h2`, { hasText: 'closed' }).waitFor(WAIT);
        await route.fulfill({ status: 204 });
      });
      await call.focus();
      await operator.keyboard.press('Enter');
      await operator.locator('.notice', { hasText: 'Nobody is waiting for this lane.' }).waitFor(WAIT);
      await operator.waitForFunction(
        (lane) => !document.querySelector(`button[data-lane="${lane}"]`)?.hasAttribute('aria-busy'),
        laneId,
      );
      // at once, not a poll later: done with its call, the button is still held and says why
      const state = await call.evaluate((button) => [
        button.getAttribute('aria-disabled'),
        button.getAttribute('aria-describedby'),
      ]);
      assert.deepEqual(state, ['true', `lane-${laneId}`]);
    } finally {
      await operator.unroute('**/call-next');
      await putRules(rules);
    }
  });

  it('a closed lane’s "Call next" is reachable but held, says why, and calls nobody', async () => {
    const { rules, closing, laneId } = await lastLaneClosed();
    await putRules(closing);
    try {
      const calls: string[] = [];
      operator.on('request', (request) => {
        if (request.url().endsWith('/call-next')) calls.push(request.url());
      });
      await operator.goto(`${hub.url}/#/operator/queue`);
      await operator.getByRole('heading', { level: 1, name: 'Live queue board' }).waitFor(WAIT);
      const call = operator.locator(`section.lane[data-lane="${laneId}"] button[data-lane="${laneId}"]`);
      // the board follows the rules within a poll or two
      await operator
        .locator(`section.lane[data-lane="${laneId}"] button[aria-disabled="true"]`)
        .waitFor(WAIT);
      const described = await call.getAttribute('aria-describedby');
      assert.match(
        (await operator.locator(`#${described}`).textContent()) ?? '',
        /closed/,
        'described by the heading that says closed',
      );
      await call.focus();
      await operator.keyboard.press('Enter');
      await operator.waitForTimeout(500);
      assert.deepEqual(calls, [], 'no call-next request');
      await focusReaches(operator, `section.lane[data-lane="${laneId}"] button`);
    } finally {
      await putRules(rules);
    }
  });

  it('links say what they lead to: the day links without their arrows, one event’s days by their times', async () => {
    const visitor = await hub.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    await visitor.goto(`${hub.url}/#/?day=${today}`);
    await visitor.getByRole('heading', { level: 1, name: "What's on" }).waitFor(WAIT);
    await visitor.getByRole('link', { name: 'Previous day', exact: true }).waitFor(WAIT);
    await visitor.getByRole('link', { name: 'Next day', exact: true }).waitFor(WAIT);
    // the demo campaign promotes one meetup on several days: each link names its own time
    const campaigns = await requestJson(
      hub.url,
      'GET',
      `/venues/${VENUE}/events?kind=campaign&from=${today}T00:00:00Z&to=${addDays(today, 30)}T00:00:00Z&limit=100`,
    );
    const campaign = (campaigns as { items: { eventId: string }[] }).items[0];
    assert.ok(campaign, 'a demo campaign');
    await visitor.goto(`${hub.url}/#/events/${campaign.eventId}`);
    const section = visitor.locator('section[aria-labelledby="campaign-items"]');
    await section.locator('li.card').first().waitFor(WAIT);
    const names = await section.locator('li.card h3').evaluateAll((headings) =>
      headings.map((h) => {
        const link = h.querySelector('a');
        return link?.getAttribute('aria-label') ?? link?.textContent ?? '';
      }),
    );
    const titles = await section.locator('li.card h3 a').allTextContents();
    assert.ok(new Set(titles).size < titles.length, `one title on several days: ${titles.join(' | ')}`);
    assert.equal(new Set(names).size, names.length, names.join(' | '));
    for (const [i, name] of names.entries()) assert.ok(name.startsWith(titles[i] ?? '-'), name);
    assert.deepEqual(await axeViolations(visitor), []);
  });
});
