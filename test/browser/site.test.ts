/**
 * The venue site in a real browser against the real local hub: the full shopper flow and the
 * full operator flow in one run (the operator calls the shopper's ticket and the shopper's
 * page says "you're being called"), axe-core on every screen (no serious or critical
 * violations), keyboard-only use of the main flow, no request to another origin and no CSP
 * violation, screenshots of the main screens in artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { hubToken, requestJson } from '../../scripts/hub-process.ts';
import { addDays, venueDate } from '../../site/src/time.ts';
import {
  axeViolations,
  BrowserSuite,
  focusReaches,
  hubMissing,
  recordStatusRegions,
  screenDrawn,
  screenshot,
  statusLog,
  storeSession,
  tabTo,
} from './harness.ts';

const TZ = 'America/New_York';

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, bl] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
const WAIT = { timeout: 30_000 };

describe('venue site in Chromium against the local hub', { timeout: 600_000, skip: hubMissing() }, () => {
  const hub = new BrowserSuite();
  const offOrigin: string[] = [];
  const cspErrors: string[] = [];

  async function openPage(viewport: { width: number; height: number }): Promise<Page> {
    const page = await hub.newPage({ viewport, locale: 'en-US', timezoneId: 'UTC' });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(hub.url) && !url.startsWith('data:')) offOrigin.push(url);
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    return page;
  }

  /** Waits for a screen to settle, then checks it with axe and saves a screenshot. */
  async function screen(page: Page, name: string, heading: string | RegExp): Promise<void> {
    await page.getByRole('heading', { level: 1, name: heading }).waitFor(WAIT);
    await screenDrawn(page);
    assert.deepEqual(await axeViolations(page), [], `axe on ${name}`);
    await screenshot(page, name);
  }

  /** Switches the header's language picker and waits for the screen drawn in it. */
  async function switchLanguage(page: Page, to: 'en' | 'es', heading: string): Promise<void> {
    await page.locator('#language-select').selectOption(to);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor(WAIT);
    await screenDrawn(page);
  }

  async function signIn(page: Page, username: string): Promise<void> {
    await page.getByRole('button', { name: new RegExp(`^${username}\\b`) }).click();
    await page.getByText(`Signed in as ${username}`).waitFor(WAIT);
  }

  const today = venueDate(new Date(), TZ);
  const tomorrow = addDays(today, 1);
  const title = `Sunset yoga ${Date.now().toString(36)}`;
  let operator: Page;
  let shopper: Page;
  /** the same shopper on a second device */
  let phone: Page;
  let eventPath = '';

  it('operator signs in and creates a published event', async () => {
    operator = await openPage({ width: 1280, height: 900 });
    await operator.goto(`${hub.url}/#/operator/catalog`);
    await screen(operator, '01-sign-in', 'Sign in');
    await signIn(operator, 'olivia');
    await screen(operator, '10-operator-catalog', 'Catalog');
    await operator.getByRole('link', { name: 'New item' }).click();
    await screen(operator, '11-operator-new-item', 'New item');
    await operator.getByLabel('Kind', { exact: true }).selectOption('event');
    await operator.getByLabel('Title', { exact: true }).fill(title);
    await operator.getByLabel('Category', { exact: true }).fill('wellness');
    await operator.getByLabel('Status', { exact: true }).selectOption('published');
    await operator.getByLabel('Starts', { exact: true }).fill(`${tomorrow}T18:00`);
    await operator.getByLabel('Ends', { exact: true }).fill(`${tomorrow}T19:30`);
    await operator.getByLabel('Capacity', { exact: true }).fill('5');
    // a language change draws the form again with what was typed still in it
    await switchLanguage(operator, 'es', 'Nuevo elemento');
    assert.equal(await operator.getByLabel('Título', { exact: true }).inputValue(), title);
    assert.equal(await operator.getByLabel('Estado', { exact: true }).inputValue(), 'published');
    assert.equal(await operator.getByLabel('Empieza', { exact: true }).inputValue(), `${tomorrow}T18:00`);
    assert.equal(await operator.getByLabel('Aforo', { exact: true }).inputValue(), '5');
    await focusReaches(operator, '#language-select');
    await switchLanguage(operator, 'en', 'New item');
    assert.equal(await operator.getByLabel('Title', { exact: true }).inputValue(), title);
    await operator.getByRole('button', { name: 'Create' }).click();
    await operator.getByRole('heading', { level: 1, name: 'Edit item' }).waitFor(WAIT);
    await operator.getByText('Created.', { exact: true }).waitFor(WAIT);
    eventPath = new URL(operator.url()).hash.split('?')[0]?.replace('#/operator/catalog/', '#/events/') ?? '';
    assert.match(eventPath, /^#\/events\/.+/);
  });

  it('operator creates a day of pickup slots', async () => {
    await operator.getByRole('link', { name: 'Pickup slots' }).click();
    await screen(operator, '12-operator-slots', 'Pickup slots');
    // slots from the current half hour on (the demo venue is open around the clock), ending
    // at midnight at the latest ("00:00" as the end is the end of the day)
    const [hh, mm] = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit' })
      .format(new Date())
      .split(':')
      .map(Number) as [number, number];
    const start = hh * 60 + (mm >= 30 ? 30 : 0);
    const hhmm = (m: number) =>
      m >= 1440
        ? '00:00'
        : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    await operator.getByLabel('Date', { exact: true }).fill(today);
    await operator.getByLabel('From', { exact: true }).fill(hhmm(start));
    await operator.getByLabel('To', { exact: true }).fill(hhmm(Math.min(start + 90, 1440)));
    await operator.getByLabel('Minutes per slot', { exact: true }).fill('30');
    await operator.getByLabel('Capacity', { exact: true }).fill('3');
    await operator.getByRole('button', { name: 'Create a day of slots' }).click();
    // the demo data has today's slots already: none is new, and the screen says why
    await operator
      .getByText(/^(\d+ slots created\.|No new slots: these times exist already for that day\.)$/)
      .waitFor(WAIT);
    // a day beyond the demo data: three new slots; again: none new; the form keeps its values
    await operator.getByLabel('Date', { exact: true }).fill(addDays(today, 6));
    await operator.getByLabel('From', { exact: true }).fill('10:00');
    await operator.getByLabel('To', { exact: true }).fill('11:30');
    await operator.getByRole('button', { name: 'Create a day of slots' }).click();
    await operator.getByText('3 slots created.').waitFor(WAIT);
    await operator.getByRole('button', { name: 'Create a day of slots' }).click();
    await operator.getByText('No new slots: these times exist already for that day.').waitFor(WAIT);
    assert.equal(await operator.getByLabel('From', { exact: true }).inputValue(), '10:00');
    assert.equal(await operator.getByLabel('To', { exact: true }).inputValue(), '11:30');
    assert.equal(await operator.getByLabel('Capacity', { exact: true }).inputValue(), '3');
  });

  it('shopper browses the day, opens the event and books for a party of 2', async () => {
    shopper = await openPage({ width: 390, height: 844 });
    await shopper.goto(`${hub.url}/#/?day=${tomorrow}`);
    await screen(shopper, '02-browse', "What's on");
    await shopper.getByLabel('Category', { exact: true }).selectOption('wellness');
    await shopper.getByRole('link', { name: title }).click();
    await screen(shopper, '03-event-detail', title);
    await shopper.getByText('5 of 5 places left').waitFor(WAIT);
    await shopper.getByLabel('Party size', { exact: true }).fill('2');
    await shopper.getByRole('button', { name: 'Book' }).click();
    await screen(shopper, '01-sign-in-shopper', 'Sign in');
    await signIn(shopper, 'alice');
    await shopper.getByRole('heading', { level: 1, name: title }).waitFor(WAIT);
    // the party size typed before signing in is still there
    assert.equal(await shopper.getByLabel('Party size', { exact: true }).inputValue(), '2');
    await shopper.getByRole('button', { name: 'Book' }).click();
    await shopper.getByText('Booked! Your reservation is confirmed.').waitFor(WAIT);
    await shopper.getByText('3 of 5 places left').waitFor(WAIT);
    await focusReaches(shopper, 'button', 'Book');
  });

  it('shopper books a pickup slot for an order reference', async () => {
    await shopper.goto(`${hub.url}/#/pickup`);
    await screen(shopper, '04-pickup', 'Book a pickup');
    // the largest party is the venue's (maxPartySize in the demo rules)
    assert.equal(await shopper.getByLabel('Party size', { exact: true }).getAttribute('max'), '6');
    // on a phone, a day of slots scrolls in its box: the order field comes first, the button near
    const orderBox = await shopper.getByLabel('Order reference', { exact: true }).boundingBox();
    const slotsBox = await shopper.locator('fieldset.slots').boundingBox();
    const bookBox = await shopper.getByRole('button', { name: 'Book pickup' }).boundingBox();
    assert.ok(orderBox && slotsBox && bookBox && orderBox.y < slotsBox.y);
    assert.ok(bookBox.y < 844 * 1.5, `the Book button at ${bookBox.y}px`);
    const keys: string[] = [];
    const recordKey = (request: Request) => {
      if (request.method() === 'POST' && request.url().includes('/bookings')) {
        keys.push(request.headers()['idempotency-key'] ?? '');
      }
    };
    shopper.on('request', recordKey);
    const slot = shopper.locator('input[name="slotId"]:not([disabled])').first();
    await slot.check();
    const orderRef = shopper.getByLabel('Order reference', { exact: true });
    await orderRef.fill('ORD 1001');
    // a language change keeps the chosen slot and the typed order reference
    await switchLanguage(shopper, 'es', 'Reservar una recogida');
    assert.equal(await slot.isChecked(), true);
    assert.equal(await shopper.getByLabel('Número de pedido', { exact: true }).inputValue(), 'ORD 1001');
    await switchLanguage(shopper, 'en', 'Book a pickup');
    assert.equal(await slot.isChecked(), true);
    // the API refuses the space: the field is named by its label, marked and focused
    await shopper.getByRole('button', { name: 'Book pickup' }).click();
    const problem = shopper.getByText('Order reference: has characters that are not allowed');
    await problem.waitFor(WAIT);
    assert.equal(await orderRef.getAttribute('aria-invalid'), 'true');
    assert.ok(
      (await orderRef.getAttribute('aria-describedby'))?.includes((await problem.getAttribute('id')) ?? '-'),
    );
    await focusReaches(shopper, 'input[name="orderRef"]');
    assert.deepEqual(await axeViolations(shopper), [], 'axe on a refused pickup form');
    await orderRef.fill('ORD-1001');
    await shopper.getByRole('button', { name: 'Book pickup' }).click();
    await shopper.getByText('Booked! Your reservation is confirmed.').waitFor(WAIT);
    assert.equal(await orderRef.getAttribute('aria-invalid'), null);
    await focusReaches(shopper, 'button', 'Book pickup');
    // a second booking from the same screen is a new attempt with its own Idempotency-Key:
    // the API answers for it (one active booking per slot), the old success message goes
    await orderRef.fill('ORD-1002');
    await shopper.getByRole('button', { name: 'Book pickup' }).click();
    await shopper.getByText('You already have a reservation for this.').waitFor(WAIT);
    assert.equal(await shopper.getByText('Booked! Your reservation is confirmed.').count(), 0);
    shopper.off('request', recordKey);
    assert.equal(keys.length, 3);
    assert.equal(new Set(keys).size, 3, 'a new key for a changed body and after a success');
  });

  it('shopper sees both reservations, checks in the pickup and follows the ticket', async () => {
    await shopper.getByRole('link', { name: 'My reservations' }).click();
    await screen(shopper, '05-reservations', 'My reservations');
    await shopper.getByRole('heading', { name: title }).waitFor(WAIT);
    // tomorrow's event: check-in opens 30 minutes before 18:00 (the demo venue's window)
    const eventCard = shopper.locator('li.card', { has: shopper.getByRole('heading', { name: title }) });
    await eventCard.getByText(/^Check-in opens at 5:30\sPM\.$/).waitFor(WAIT);
    const early = shopper.getByRole('button', { name: `Check in: ${title}` });
    assert.equal(await early.isDisabled(), true);
    // the keyboard still reaches it, and it is described by when check-in opens; Enter does nothing
    await tabTo(shopper, `button[aria-label="Check in: ${title}"]`);
    assert.equal(await early.getAttribute('aria-disabled'), 'true');
    const note = eventCard.getByText(/^Check-in opens at/);
    assert.equal(await early.getAttribute('aria-describedby'), await note.getAttribute('id'));
    const checkIns: string[] = [];
    const recordCheckIn = (request: Request) => {
      if (request.url().endsWith('/check-in')) checkIns.push(request.url());
    };
    shopper.on('request', recordCheckIn);
    await shopper.keyboard.press('Enter');
    await shopper.waitForTimeout(300);
    shopper.off('request', recordCheckIn);
    assert.deepEqual(checkIns, []);
    // the notice region was on the screen before: what it now says is announced
    await recordStatusRegions(shopper);
    await shopper.getByRole('button', { name: 'Check in: Pickup ORD-1001' }).click();
    await shopper.getByText('Checked in.').waitFor(WAIT);
    await focusReaches(shopper, 'li.card h2', 'Pickup ORD-1001');
    const said = await statusLog(shopper);
    assert.ok(said.includes('said:Checked in. Follow your queue ticket'), said.join(' | '));
    // the link's text is its name, without the space before it
    assert.equal(await shopper.locator('.notice a').textContent(), 'Follow your queue ticket');
    await shopper.getByRole('link', { name: 'Follow your queue ticket' }).first().click();
    await screen(shopper, '06-queue-ticket', 'Virtual queue');
    // the worker plans the ticket (lane, position, ETA) within seconds; the live region says so
    await shopper
      .locator('#ticket-live')
      .getByText(/You are number \d+ in line/)
      .waitFor({ timeout: 30_000 });
    assert.equal(await shopper.locator('#ticket-live').getAttribute('aria-live'), 'polite');
    await screenshot(shopper, '06-queue-ticket-planned');
  });

  it('in the AWS (Cognito) mode the screens take the venue rules from its profile, not /local/appconfig (ADR 0417)', async () => {
    const page = await openPage({ width: 390, height: 844 });
    // the site as deployed: config.json in the Cognito variant, the API on the same origin
    await page.route(`${hub.url}/config.json`, (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          apiBaseUrl: '',
          auth: { mode: 'cognito', domain: 'auth.example.com', clientId: 'site', redirectUri: `${hub.url}/` },
        }),
      }),
    );
    const local: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/local/')) local.push(request.url());
    });
    const profiles: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/venues/flagship-001')
        profiles.push(String(response.status()));
    });
    const signInAs = async (username: string, groups: string[]) =>
      storeSession(page, await hubToken(hub.url, username, groups));
    await page.goto(`${hub.url}/${eventPath}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor(WAIT);
    // the largest party is the venue's (maxPartySize 6 in the demo rules)
    assert.equal(await page.getByLabel('Party size', { exact: true }).getAttribute('max'), '6');
    await signInAs('alice', ['shoppers']);
    await page.goto(`${hub.url}/#/reservations`);
    await page.getByRole('heading', { level: 1, name: 'My reservations' }).waitFor(WAIT);
    // the check-in window comes from the rules: 30 minutes before tomorrow's 18:00
    const eventCard = page.locator('li.card', { has: page.getByRole('heading', { name: title }) });
    await eventCard.getByText(/^Check-in opens at 5:30\sPM\.$/).waitFor(WAIT);
    await page.goto(`${hub.url}/#/pickup`);
    await screen(page, '20-pickup-aws-mode', 'Book a pickup');
    assert.equal(await page.getByLabel('Party size', { exact: true }).getAttribute('max'), '6');
    // an operator's rules screen shows the profile, and nothing only the whole document holds
    await signInAs('olivia', ['operators']);
    await page.goto(`${hub.url}/#/operator/rules`);
    await screen(page, '21-operator-rules-aws-mode', 'Venue rules');
    await page.getByRole('heading', { level: 2, name: 'Flagship Store Fifth Avenue' }).waitFor(WAIT);
    await page.getByText('America/New_York').first().waitFor(WAIT);
    await page.getByText('from 30 min before the start to 15 min after the end').waitFor(WAIT);
    assert.equal(await page.getByText('Active reservations per shopper').count(), 0);
    assert.equal(await page.getByText('Full document').count(), 0);
    assert.deepEqual(local, [], 'no request to the local hub’s own endpoints');
    assert.ok(profiles.length > 0 && profiles.every((status) => status === '200'), profiles.join());
  });

  it('the same shopper on a second device finds the ticket there (the API lists it, ADR 0415)', async () => {
    phone = await openPage({ width: 390, height: 844 });
    await phone.goto(`${hub.url}/#/queue`);
    await signIn(phone, 'alice');
    await phone.getByRole('heading', { name: /Your ticket · Order pickup/ }).waitFor(WAIT);
    assert.equal(await phone.getByRole('button', { name: 'Join the queue' }).count(), 0);
  });

  it("operator calls the shopper's ticket and the shopper's page says so without a reload", async () => {
    await shopper.waitForFunction(
      () =>
        /^\S+$/.test(document.querySelector('#ticket-lane')?.textContent ?? '—') &&
        document.querySelector('#ticket-lane')?.textContent !== '—',
      undefined,
      { timeout: 30_000 },
    );
    const lane = (await shopper.locator('#ticket-lane').textContent())?.trim() ?? '';
    assert.match(lane, /^\S+$/);
    await operator.getByRole('link', { name: 'Queue board' }).click();
    await screen(operator, '13-operator-board', 'Live queue board');
    // the worker plans here: the board raises no planner warning
    assert.equal(await operator.locator('.warning').textContent(), '');
    const laneSection = operator.locator(`section.lane[data-lane="${lane}"]`);
    await laneSection.locator('li[data-ticket]').first().waitFor(WAIT);
    // a pickup's ticket names its order, so the lane has it at hand
    await laneSection.locator('li[data-ticket]', { hasText: 'ORD-1001' }).waitFor(WAIT);
    const shopperUrl = shopper.url();
    await laneSection.getByRole('button', { name: /Call next/ }).click();
    await operator.getByText(/^Called: /).waitFor(WAIT);
    await focusReaches(operator, `section.lane[data-lane="${lane}"] button`);
    await shopper
      .locator('#ticket-live')
      .getByText(`You're being called! Please go to lane ${lane}.`)
      .waitFor({ timeout: 30_000 });
    assert.equal(shopper.url(), shopperUrl);
    assert.equal(await shopper.title(), 'Called · Virtual queue · Flagship Community Hub');
    assert.equal(await shopper.locator('#ticket-live').getAttribute('aria-live'), 'assertive');
    await screenshot(shopper, '07-being-called');
    await screenshot(operator, '14-operator-called');
    await operator
      .locator('.called-list')
      .getByRole('button', { name: /^Served/ })
      .first()
      .click();
    await shopper.getByText('Your visit is complete. Thank you!').waitFor({ timeout: 30_000 });
    // the served row is gone; focus is on its lane's "Call next"
    await focusReaches(operator, `section.lane[data-lane="${lane}"] button`);
  });

  it('shopper joins the queue for returns, then leaves it', async () => {
    // each service says how long it takes at the counter (the venue's profile, ADR 0417)
    assert.equal(
      (
        await shopper.getByLabel('Service', { exact: true }).locator('option[value="returns"]').textContent()
      )?.trim(),
      'Returns · about 6 min at the counter',
    );
    await shopper.getByLabel('Service', { exact: true }).selectOption('returns');
    await shopper.getByRole('button', { name: 'Join the queue' }).click();
    await shopper.getByRole('heading', { name: /Your ticket/ }).waitFor(WAIT);
    // a connection drop is announced once, not on every 2 s poll, and cleared on recovery
    await shopper.evaluate(() => {
      const box = document.querySelector('main .error') as HTMLElement;
      box.dataset.changes = '0';
      new MutationObserver(() => {
        box.dataset.changes = String(Number(box.dataset.changes) + 1);
      }).observe(box, { childList: true });
    });
    await shopper.context().setOffline(true);
    await shopper.getByText('The venue service cannot be reached. Check your connection.').waitFor(WAIT);
    await shopper.waitForTimeout(4500);
    await shopper.context().setOffline(false);
    await shopper.locator('main .error:empty').waitFor({ state: 'attached', ...WAIT });
    assert.equal(await shopper.locator('main .error').getAttribute('data-changes'), '2');
    // Leaving asks first; staying keeps the ticket.
    await shopper.getByRole('button', { name: 'Leave the queue' }).click();
    await shopper.getByRole('dialog', { name: /Leave the queue\?/ }).waitFor(WAIT);
    await shopper.getByRole('button', { name: 'Stay in the queue' }).click();
    assert.equal(await shopper.getByRole('dialog').count(), 0);
    await focusReaches(shopper, 'button', 'Leave the queue');
    assert.equal(await shopper.getByText('You left the queue.').count(), 0);
    await shopper.getByRole('button', { name: 'Leave the queue' }).click();
    await shopper.getByRole('button', { name: 'Yes, leave' }).click();
    await shopper.getByText('You left the queue.').waitFor(WAIT);
    await focusReaches(shopper, '#ticket-live');
  });

  it('shopper in the queue on another device checks a pickup in by leaving that ticket, after asking', async () => {
    await phone.goto(`${hub.url}/#/queue`);
    await phone.getByLabel('Service', { exact: true }).selectOption('returns');
    await phone.getByRole('button', { name: 'Join the queue' }).click();
    await phone.getByRole('heading', { name: /Your ticket · Returns/ }).waitFor(WAIT);
    await shopper.goto(`${hub.url}/#/pickup`);
    await shopper.locator('input[name="slotId"]:not([disabled])').first().check();
    await shopper.getByLabel('Order reference', { exact: true }).fill('ORD-2002');
    await shopper.getByRole('button', { name: 'Book pickup' }).click();
    await shopper.getByText('Booked! Your reservation is confirmed.').waitFor(WAIT);
    await shopper.goto(`${hub.url}/#/reservations`);
    await shopper.getByRole('button', { name: 'Check in: Pickup ORD-2002' }).click();
    await shopper.getByRole('dialog', { name: /already hold a queue ticket/ }).waitFor(WAIT);
    await shopper.getByRole('button', { name: 'Leave it and check in' }).click();
    await shopper.getByText('Checked in.').waitFor(WAIT);
    await shopper.getByRole('link', { name: 'Follow your queue ticket' }).first().click();
    // the ticket followed now is the pickup's, not the returns ticket left behind
    await shopper.getByRole('heading', { name: /Your ticket · Order pickup/ }).waitFor(WAIT);
    // and the other device, still following the returns ticket, says it was left
    await phone.locator('#ticket-live').getByText('You left the queue.').waitFor(WAIT);
  });

  it('shopper cancels the event booking and the places come back', async () => {
    await shopper.goto(`${hub.url}/#/reservations`);
    // Cancelling asks first (an accessible modal dialog); Escape keeps the reservation.
    await shopper.getByRole('button', { name: `Cancel reservation: ${title}` }).click();
    await shopper.getByRole('dialog', { name: /Cancel this reservation\?/ }).waitFor(WAIT);
    assert.deepEqual(await axeViolations(shopper), []);
    await screenshot(shopper, 'shopper-confirm-cancel');
    await shopper.keyboard.press('Escape');
    assert.equal(await shopper.getByRole('dialog').count(), 0);
    // the focus is back on the button that asked
    await focusReaches(shopper, `button[aria-label="Cancel reservation: ${title}"]`);
    await shopper.getByRole('button', { name: `Cancel reservation: ${title}` }).click();
    await shopper.getByRole('button', { name: 'Yes, cancel it' }).click();
    await shopper.getByText('Reservation cancelled.').waitFor(WAIT);
    await focusReaches(shopper, 'li.card h2', title);
    await shopper.goto(`${hub.url}/${eventPath}`);
    await shopper.getByText('5 of 5 places left').waitFor(WAIT);
  });

  it('shopper saves preferences in Spanish and the site switches language', async () => {
    await shopper.goto(`${hub.url}/#/preferences`);
    await screen(shopper, '08-preferences', 'Preferences');
    await shopper.getByLabel('Text message', { exact: true }).check();
    await shopper.getByLabel('Phone number', { exact: true }).fill('+15555550100');
    await shopper.getByLabel('Interests', { exact: true }).fill('coffee, kids');
    // Español in the header: nothing saved yet, so the form's language follows the site's,
    // and saving keeps the site in Spanish
    await switchLanguage(shopper, 'es', 'Preferencias');
    assert.equal(await shopper.getByLabel('Idioma', { exact: true }).last().inputValue(), 'es');
    assert.equal(await shopper.getByLabel('Intereses', { exact: true }).inputValue(), 'coffee, kids');
    await recordStatusRegions(shopper);
    await shopper.getByRole('button', { name: 'Guardar' }).click();
    await shopper.getByText('Guardado.').waitFor(WAIT);
    // the form is drawn anew: "Guardado." comes once its status region is on the page
    const said = await statusLog(shopper);
    assert.ok(said.includes('said:Guardado.'), said.join(' | '));
    await screen(shopper, '09-preferences-es', 'Preferencias');
    await shopper.getByRole('link', { name: 'Agenda' }).waitFor(WAIT);
    assert.equal(await shopper.evaluate(() => document.documentElement.lang), 'es');
    assert.equal(await shopper.getByLabel('Intereses', { exact: true }).inputValue(), 'coffee, kids');
    assert.equal(await shopper.getByLabel('Mensaje de texto', { exact: true }).isChecked(), true);
    await focusReaches(shopper, 'button', 'Guardar');
  });

  it('operator cannot lower capacity below what is booked and sees why', async () => {
    // book 2 places as the shopper again so that capacity 1 is below booked
    await shopper.goto(`${hub.url}/${eventPath}`);
    await shopper.getByLabel('Número de personas', { exact: true }).fill('2');
    await shopper.getByRole('button', { name: 'Reservar' }).click();
    await shopper.getByText('¡Listo! Tu reserva está confirmada.').waitFor(WAIT);
    await operator.goto(`${hub.url}/${eventPath.replace('#/events/', '#/operator/catalog/')}`);
    await screen(operator, '15-operator-edit-item', 'Edit item');
    // the form says what is booked, where the capacity is typed
    await operator.getByText('2 places are booked: the capacity cannot go below that.').waitFor(WAIT);
    await operator.getByLabel('Capacity', { exact: true }).fill('1');
    await operator.getByRole('button', { name: 'Save' }).click();
    await operator.getByText('Capacity cannot go below the places already booked.').waitFor(WAIT);
    await operator.getByLabel('Capacity', { exact: true }).fill('8');
    await operator.getByRole('button', { name: 'Save' }).click();
    await operator.getByText('Saved.').waitFor(WAIT);
  });

  it('operator reads the live venue rules', async () => {
    await operator.getByRole('link', { name: 'Venue rules' }).click();
    await screen(operator, '16-operator-rules', 'Venue rules');
    await operator.getByText('America/New_York').first().waitFor(WAIT);
    // limits by name, and no sideways scrolling on a phone
    await operator.getByText('Active reservations per shopper', { exact: true }).waitFor(WAIT);
    assert.equal(await operator.locator('dt', { hasText: 'queueJoinsPerHour' }).count(), 0);
    await operator.setViewportSize({ width: 390, height: 844 });
    await screenshot(operator, '16-operator-rules-phone');
    assert.equal(await operator.evaluate(() => document.documentElement.scrollWidth), 390);
    await operator.setViewportSize({ width: 1280, height: 900 });
  });

  it('a refused token sends the user back to sign in', async () => {
    const page = await openPage({ width: 390, height: 844 });
    await page.goto(`${hub.url}/#/`);
    const token = await page.evaluate(async () => {
      const response = await fetch('/local/cognito/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'mallory', groups: ['shoppers'], clientId: 'some-other-client' }),
      });
      return ((await response.json()) as { access_token: string }).access_token;
    });
    await storeSession(page, token);
    await recordStatusRegions(page);
    await page.evaluate(() => {
      location.hash = '#/reservations';
    });
    await page.getByText('Your session has ended. Please sign in again.').waitFor(WAIT);
    assert.match(page.url(), /#\/sign-in\?expired=1/);
    // said, not only shown: written into its status region once that is on the page
    const said = await statusLog(page);
    assert.ok(said.includes('said:Your session has ended. Please sign in again.'), said.join(' | '));
    await focusReaches(page, 'h1', 'Sign in');
  });

  it('the main flow works with the keyboard alone', async () => {
    const page = await openPage({ width: 1280, height: 900 });
    await page.goto(`${hub.url}/#/sign-in?next=${encodeURIComponent(`#/?day=${tomorrow}`)}`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor(WAIT);
    // the skip link comes first and moves focus to the content without changing the route
    await tabTo(page, 'a.skip');
    const skip = await page.evaluate(() => {
      const link = document.activeElement as HTMLElement;
      const style = getComputedStyle(link);
      const box = link.getBoundingClientRect();
      return { color: style.color, background: style.backgroundColor, left: box.left, top: box.top };
    });
    assert.ok(skip.left >= 0 && skip.top >= 0, 'the focused skip link is on screen');
    assert.ok(contrast(skip.color, skip.background) >= 4.5, `skip link contrast ${JSON.stringify(skip)}`);
    const route = page.url();
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    assert.equal(page.url(), route);
    await tabTo(page, 'button[data-username="bob"]');
    await page.keyboard.press('Enter');
    await page.getByText('Signed in as bob').waitFor(WAIT);
    await page.getByRole('link', { name: title }).waitFor(WAIT);
    await tabTo(page, `a[href="${eventPath}"]`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: title }).waitFor(WAIT);
    await tabTo(page, 'input[name="partySize"]');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await page.getByText('Booked! Your reservation is confirmed.').waitFor(WAIT);
    await tabTo(page, 'a[href="#/reservations"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'My reservations' }).waitFor(WAIT);
    await tabTo(page, 'button[aria-label^="Cancel reservation"]');
    await page.keyboard.press('Enter');
    // the dialog opens with the focus on the safe answer; Tab reaches the other one
    await page.getByRole('dialog').waitFor(WAIT);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Keep it');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Yes, cancel it');
    await page.keyboard.press('Enter');
    await page.getByText('Reservation cancelled.').waitFor(WAIT);
  });

  it('a full event offers no booking; a cancelled one offers no check-in', async () => {
    // alice holds 2 places: capacity 2 makes the event full
    await operator.goto(`${hub.url}/${eventPath.replace('#/events/', '#/operator/catalog/')}`);
    await operator.getByRole('heading', { level: 1, name: 'Edit item' }).waitFor(WAIT);
    await operator.getByLabel('Capacity', { exact: true }).fill('2');
    await operator.getByRole('button', { name: 'Save' }).click();
    await operator.getByText('Saved.').waitFor(WAIT);
    const visitor = await openPage({ width: 390, height: 844 });
    await visitor.goto(`${hub.url}/${eventPath}`);
    await screen(visitor, '17-event-full', title);
    await visitor.getByText('Full: there are no places left to book.').waitFor(WAIT);
    assert.equal(await visitor.getByRole('button', { name: 'Book' }).count(), 0);
    await operator.getByLabel('Status', { exact: true }).selectOption('cancelled');
    await operator.getByRole('button', { name: 'Save' }).click();
    // cancelling cancels alice's reservation too: the operator is told how many places first
    const dialog = operator.getByRole('dialog');
    await dialog.getByText(`Cancel “${title}”? Its 2 booked places are cancelled with it`).waitFor(WAIT);
    assert.deepEqual(await axeViolations(operator), []);
    await dialog.getByRole('button', { name: 'Keep it as it is' }).click();
    assert.equal(await operator.evaluate(() => document.activeElement?.textContent), 'Save');
    const kept = await (await fetch(`${hub.url}/events/${eventPath.split('/').pop()}`)).json();
    assert.equal(kept.event.status, 'published', 'nothing saved when the operator keeps it');
    await operator.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
    await operator.getByText('Saved.').waitFor(WAIT);
    // alice's page is in Spanish since she saved her preferences; cancelling the event
    // cancelled her reservation too, so there is nothing left to check in or cancel
    await shopper.goto(`${hub.url}/#/reservations`);
    await shopper.getByText('Este evento se canceló.').first().waitFor(WAIT);
    await screen(shopper, '18-reservation-event-cancelled', 'Mis reservas');
    const cards = shopper.locator('li.card', { has: shopper.getByRole('heading', { name: title }) });
    await cards.first().getByText('Cancelada', { exact: true }).waitFor(WAIT);
    assert.equal(await cards.count(), await cards.getByText('Cancelada', { exact: true }).count());
    assert.equal(await cards.getByRole('button').count(), 0);
  });

  it('operator checks a pickup in at the slot’s desk, and the shopper’s page follows the ticket', async () => {
    // as the shopper, through the API (another device): leave the ticket held, book an order
    const token = await hubToken(hub.url, 'alice', ['shoppers']);
    const api = <T>(method: string, path: string, body?: unknown): Promise<T> =>
      requestJson(hub.url, method, path, { token, body });
    const mine = await api<{ items: { ticketId: string; status: string }[] }>('GET', '/me/queue/tickets');
    for (const ticket of mine.items.filter(
      (x: { status: string }) => x.status === 'waiting' || x.status === 'called',
    ))
      await api('DELETE', `/queue/tickets/${ticket.ticketId}`);
    const day = await api<{ items: { slotId: string; endsAt: string; remaining: number }[] }>(
      'GET',
      `/venues/flagship-001/pickup-slots?date=${today}&limit=100`,
    );
    // one Alice holds no reservation for (one active reservation per shopper and slot)
    const held = await api<{ items: { slotId?: string }[] }>('GET', '/me/reservations?limit=100');
    const slot = day.items.find(
      (s) =>
        Date.parse(s.endsAt) > Date.now() + 60_000 &&
        s.remaining > 0 &&
        !held.items.some((r) => r.slotId === s.slotId),
    );
    assert.ok(slot, 'an open slot today');
    const booked = await api<{ reservation?: { status: string } }>(
      'POST',
      `/pickup-slots/${slot.slotId}/bookings`,
      {
        orderRef: 'ORD-3003',
      },
    );
    assert.equal(booked.reservation?.status, 'confirmed', JSON.stringify(booked));

    // the operator opens the slot's desk from the slots screen, and checks the order in
    await operator.goto(`${hub.url}/#/operator/slots?date=${today}`);
    await operator.locator(`a[href="#/operator/slots/${slot.slotId}?date=${today}"]`).click();
    await screen(operator, '19-operator-pickup-desk', /^Pickup desk · /);
    assert.equal(
      await operator.getByRole('link', { name: 'Back' }).getAttribute('href'),
      `#/operator/slots?date=${today}`,
    );
    await operator.getByRole('button', { name: 'Check in: ORD-3003' }).click();
    await operator
      .getByText('ORD-3003 checked in; the shopper has a queue ticket with the order.')
      .waitFor(WAIT);
    assert.equal(await operator.getByRole('button', { name: 'Check in: ORD-3003' }).count(), 0);

    // the shopper's page finds the ticket the desk opened
    await shopper.goto(`${hub.url}/#/queue`);
    await shopper.locator('#ticket-heading').waitFor(WAIT);
  });

  it('made no request to another origin and broke no CSP rule', () => {
    assert.deepEqual(offOrigin, []);
    assert.deepEqual(cspErrors, []);
  });
});
