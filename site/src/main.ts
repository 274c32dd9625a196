/**
 * Boot: read config.json, finish a Cognito callback if there is one, draw the header and hand
 * the page to the hash router.
 */
import { VenueApi } from './api.ts';
import type { AppContext, Route } from './app.ts';
import { Router } from './app.ts';
import { loadConfig, type SiteConfig } from './config.ts';
import { h, replace, select } from './dom.ts';
import { initLanguage, LANGUAGE_KEY, LANGUAGE_OPTIONS, language, setLanguage, t } from './i18n.ts';
import { catalogView } from './operator/catalog.ts';
import { itemFormView } from './operator/item-form.ts';
import { queueBoardView } from './operator/queue-board.ts';
import { rulesView } from './operator/rules.ts';
import { slotDeskView } from './operator/slot-desk.ts';
import { slotsView } from './operator/slots.ts';
import { exchangeCode, logoutUrl } from './pkce.ts';
import { clearSession, currentSession, isOperator, saveSession, sessionFromToken } from './session.ts';
import { browseView } from './views/browse.ts';
import { eventDetailView } from './views/event-detail.ts';
import { pickupView } from './views/pickup.ts';
import { preferencesView } from './views/preferences.ts';
import { queueView } from './views/queue.ts';
import { reservationsView } from './views/reservations.ts';
import { signInView } from './views/sign-in.ts';

const routes: Route[] = [
  { pattern: '/', view: browseView, access: 'public' },
  { pattern: '/events/:eventId', view: eventDetailView, access: 'public' },
  { pattern: '/sign-in', view: signInView, access: 'public' },
  { pattern: '/pickup', view: pickupView, access: 'shopper' },
  { pattern: '/reservations', view: reservationsView, access: 'shopper' },
  { pattern: '/queue', view: queueView, access: 'shopper' },
  { pattern: '/preferences', view: preferencesView, access: 'shopper' },
  { pattern: '/operator/catalog', view: catalogView, access: 'operator' },
  { pattern: '/operator/catalog/new', view: itemFormView, access: 'operator' },
  { pattern: '/operator/catalog/:eventId', view: itemFormView, access: 'operator' },
  { pattern: '/operator/slots', view: slotsView, access: 'operator' },
  { pattern: '/operator/slots/:slotId', view: slotDeskView, access: 'operator' },
  { pattern: '/operator/queue', view: queueBoardView, access: 'operator' },
  { pattern: '/operator/rules', view: rulesView, access: 'operator' },
];

function navLink(href: string, text: string): HTMLElement {
  const current = (location.hash || '#/').split('?')[0] === href;
  return h('li', {}, h('a', { href, 'aria-current': current ? 'page' : undefined }, text));
}

function drawHeader(header: HTMLElement, ctx: AppContext): void {
  document.documentElement.lang = language();
  const session = ctx.session();
  const shopperLinks = [
    navLink('#/', t('navBrowse')),
    navLink('#/pickup', t('navPickup')),
    navLink('#/reservations', t('navReservations')),
    navLink('#/queue', t('navQueue')),
    navLink('#/preferences', t('navPreferences')),
  ];
  const operatorLinks = isOperator(session)
    ? [
        navLink('#/operator/catalog', t('navCatalog')),
        navLink('#/operator/slots', t('navSlots')),
        navLink('#/operator/queue', t('navBoard')),
        navLink('#/operator/rules', t('navRules')),
      ]
    : [];
  const languageSelect = select('language', LANGUAGE_OPTIONS, language());
  languageSelect.id = 'language-select';
  languageSelect.addEventListener('change', async () => {
    localStorage.setItem(LANGUAGE_KEY, setLanguage(languageSelect.value));
    ctx.refreshChrome();
    await ctx.redraw();
    // the header was drawn anew: give focus back to the (new) language picker
    document.getElementById('language-select')?.focus();
  });
  const signOut = h('button', { type: 'button', class: 'link' }, t('signOut'));
  signOut.addEventListener('click', () => {
    clearSession();
    const auth = ctx.config.auth;
    if (auth.mode === 'cognito') {
      location.assign(logoutUrl(auth));
      return;
    }
    ctx.refreshChrome();
    ctx.navigate('#/');
  });
  // The hash is the route, so the skip link moves focus itself instead of navigating to #main.
  const skip = h('a', { class: 'skip', href: '#main' }, t('skipToContent'));
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    (document.getElementById('main') as HTMLElement).focus();
  });
  replace(
    header,
    skip,
    h('p', { class: 'brand' }, t('appName')),
    h(
      'nav',
      { 'aria-label': t('appName') },
      h('ul', {}, ...shopperLinks),
      operatorLinks.length > 0 &&
        h('ul', { class: 'operator', 'aria-label': t('navOperator') }, ...operatorLinks),
    ),
    h(
      'div',
      { class: 'account' },
      h('label', { for: 'language-select' }, t('language')),
      languageSelect,
      session
        ? h(
            'span',
            {},
            h('span', { class: 'who' }, t('signedInAs', { name: session.username })),
            ' ',
            signOut,
          )
        : h('a', { href: '#/sign-in' }, t('signIn')),
    ),
  );
}

/** Cognito sends the user back with `?code=&state=`: exchange, store, and clean the URL. */
async function finishCognitoCallback(config: SiteConfig): Promise<void> {
  const params = new URLSearchParams(location.search);
  if (config.auth.mode !== 'cognito' || !params.has('code')) return;
  const token = await exchangeCode(config.auth, params, sessionStorage);
  saveSession(sessionFromToken(token));
  const next = sessionStorage.getItem('venue-hub.next') ?? '#/';
  sessionStorage.removeItem('venue-hub.next');
  history.replaceState(null, '', `${location.pathname}${next}`);
}

async function boot(): Promise<void> {
  initLanguage(localStorage.getItem(LANGUAGE_KEY), navigator.languages);
  const header = document.getElementById('site-header') as HTMLElement;
  const main = document.getElementById('main') as HTMLElement;
  let config: SiteConfig;
  try {
    config = await loadConfig();
  } catch {
    replace(main, h('h1', {}, t('appName')), h('p', { role: 'alert' }, t('errorNetwork')));
    return;
  }
  try {
    await finishCognitoCallback(config);
  } catch {
    // a forged, replayed or failed callback: drop it from the URL and offer sign-in again
    history.replaceState(null, '', `${location.pathname}#/sign-in?failed=1`);
  }
  let router: Router;
  const ctx: AppContext = {
    config,
    api: new VenueApi({
      baseUrl: config.apiBaseUrl,
      token: () => currentSession()?.accessToken,
      onUnauthorized: () => {
        clearSession();
        drawHeader(header, ctx);
        const next = encodeURIComponent(location.hash || '#/');
        if (!location.hash.startsWith('#/sign-in')) ctx.navigate(`#/sign-in?expired=1&next=${next}`);
      },
    }),
    session: () => currentSession(),
    navigate: (hash) => {
      if (location.hash === hash) void router.render();
      else location.hash = hash;
    },
    locale: () => (language() === 'es' ? 'es-US' : 'en-US'),
    onLeave: (cleanup) => router.leave(cleanup),
    refreshChrome: () => drawHeader(header, ctx),
    redraw: () => router.redraw(),
  };
  router = new Router(routes, main, () => ctx);
  window.addEventListener('hashchange', () => {
    drawHeader(header, ctx);
    void router.render();
  });
  drawHeader(header, ctx);
  await router.render();
}

void boot();
