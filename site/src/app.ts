/**
 * The app context every view receives, and the hash router. A view renders into `main` and
 * may register cleanups (polling timers) that run when the route changes.
 */
import type { VenueApi } from './api.ts';
import type { SiteConfig } from './config.ts';
import { h, replace, restoreTyped, typedValues } from './dom.ts';
import { language, t } from './i18n.ts';
import { currentSession, isOperator, type Session } from './session.ts';

export interface AppContext {
  config: SiteConfig;
  api: VenueApi;
  session(): Session | undefined;
  navigate(hash: string): void;
  /** BCP 47 locale for Intl, from the UI language */
  locale(): string;
  /** runs `cleanup` when the user leaves the current screen */
  onLeave(cleanup: () => void): void;
  /** redraws the header (after sign-in or a language change) */
  refreshChrome(): void;
  /** draws the current screen again (in a new language), keeping what the user typed */
  redraw(): Promise<void>;
}

export type RouteView = (
  ctx: AppContext,
  main: HTMLElement,
  params: Record<string, string>,
  query: URLSearchParams,
) => Promise<void> | void;

export interface Route {
  pattern: string;
  view: RouteView;
  access: 'public' | 'shopper' | 'operator';
}

interface Match {
  route: Route;
  params: Record<string, string>;
}

/** Matches `#/events/abc` against `/events/:eventId`. */
export function matchRoute(routes: Route[], path: string): Match | undefined {
  const segments = path.split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.pattern.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((part, i) => {
      const segment = segments[i] as string;
      if (part.startsWith(':')) {
        params[part.slice(1)] = decodeURIComponent(segment);
        return true;
      }
      return part === segment;
    });
    if (ok) return { route, params };
  }
  return undefined;
}

/** Splits a location hash into path and query (`#/pickup?date=2026-12-01`). */
export function parseHash(hash: string): { path: string; query: URLSearchParams } {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

export class Router {
  private cleanups: (() => void)[] = [];
  private renderCount = 0;
  private shownPath: string | undefined;
  /** what last took the focus in the screen (Chromium blurs it on a hash change) */
  private lastFocused: HTMLElement | undefined;

  constructor(
    private readonly routes: Route[],
    private readonly main: HTMLElement,
    private readonly ctx: () => AppContext,
  ) {
    main.addEventListener('focusin', (event) => {
      this.lastFocused = event.target instanceof HTMLElement ? event.target : undefined;
    });
  }

  leave(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** Draws the screen again, then puts back what the user had typed into its forms. */
  async redraw(): Promise<void> {
    const typed = typedValues(this.main);
    if (await this.render()) restoreTyped(this.main, typed);
  }

  /**
   * The name of the form control of the screen the reader is on: the focused one, or, when the
   * hash change blurred it (the focus is on the body), the one that had the focus last.
   */
  private focusedControl(): string | undefined {
    const active = document.activeElement;
    const control = active === document.body || !active ? this.lastFocused : active;
    if (!(control?.isConnected && this.main.contains(control))) return undefined;
    return control.getAttribute('name') ?? undefined;
  }

  /** Draws the screen of the current hash; false when another render overtook this one. */
  async render(): Promise<boolean> {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    const renderId = ++this.renderCount;
    const { path, query } = parseHash(location.hash);
    const keep = path === this.shownPath ? this.focusedControl() : undefined;
    this.shownPath = path;
    const match = matchRoute(this.routes, path) ?? matchRoute(this.routes, '/');
    if (!match) return false;
    const session = currentSession();
    if (match.route.access !== 'public' && !session) {
      this.ctx().navigate(`#/sign-in?next=${encodeURIComponent(location.hash || '#/')}`);
      return false;
    }
    if (match.route.access === 'operator' && !isOperator(session)) {
      replace(this.main, h('h1', { tabindex: '-1' }, t('errFORBIDDEN')));
      return true;
    }
    // Each screen renders into its own container: a screen still awaiting the API when the
    // user moves on writes into a detached node instead of over the next screen.
    // busy until the screen is drawn: assistive technology waits instead of reading half of it.
    // "Loading…" shows at once, but is only said when the screen is slow to come (see
    // `loadingAnnouncer`): the heading that takes the focus is what says a screen arrived.
    const container = h(
      'div',
      { class: 'view', 'aria-busy': 'true' },
      h('p', { 'aria-hidden': 'true' }, t('loading')),
    );
    const loading = loadingAnnouncer();
    this.main.replaceChildren(loading.region, container);
    document.documentElement.lang = language();
    try {
      await match.route.view(this.ctx(), container, match.params, query);
    } catch {
      replace(container, h('h1', {}, t('appName')), h('p', { role: 'alert' }, t('errorGeneric')));
    } finally {
      loading.done();
    }
    container.removeAttribute('aria-busy');
    if (renderId !== this.renderCount) return false;
    const heading = container.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      document.title = `${heading.textContent ?? ''} · ${t('appName')}`;
    }
    // the same screen for other filters (a day, a kind): the reader stays on the control
    // they were using instead of being sent back to the top; a new screen starts at its heading
    const control = keep ? container.querySelector<HTMLElement>(`[name="${CSS.escape(keep)}"]`) : null;
    (control ?? heading)?.focus();
    return true;
  }
}

/** How long a screen may take before "Loading…" is said: about the span a reader waits without wondering. */
export const LOADING_ANNOUNCE_MS = 1000;

/**
 * The status region that says "Loading…" for a screen that takes more than
 * `LOADING_ANNOUNCE_MS`; said at every navigation, it would only be noise before the heading.
 * It is drawn empty (a region's changes are announced, not what it held when it appeared),
 * outside the busy screen (assistive technology may hold back what changes inside an
 * `aria-busy` element), and shown to the eye only by the screen's own "Loading…".
 */
function loadingAnnouncer(): { region: HTMLElement; done: () => void } {
  const region = h('p', { role: 'status', class: 'visually-hidden' });
  const timer = setTimeout(() => {
    region.textContent = t('loading');
  }, LOADING_ANNOUNCE_MS);
  return {
    region,
    done: () => {
      clearTimeout(timer);
      region.remove();
    },
  };
}
