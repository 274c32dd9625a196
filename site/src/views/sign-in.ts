/**
 * Sign-in. Local mode: a picker of demo users, each minting a token at the local issuer
 * (POST /local/cognito/token). Cognito mode: the hosted UI with authorization code + PKCE.
 * Either way the access token ends up in the same session, and `next` brings the user back.
 */
import type { AppContext } from '../app.ts';
import type { DemoUser } from '../config.ts';
import { checkbox, field, formChecked, h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { authorizeUrl } from '../pkce.ts';
import { saveSession, sessionFromToken } from '../session.ts';
import { announceDrawn, errorBox, run } from '../ui.ts';

/** Only same-app hashes may be used as the post-sign-in destination. */
export function safeNext(next: string | null): string {
  return next?.startsWith('#/') && !next.startsWith('#/sign-in') ? next : '#/';
}

export function signInView(ctx: AppContext, main: HTMLElement, _p: unknown, query: URLSearchParams) {
  const next = safeNext(query.get('next'));
  const errors = errorBox();
  // the session ended under the reader: said once the screen is drawn, not only shown
  const expired = query.get('expired') ? h('p', { class: 'notice', role: 'status' }) : null;
  const notice =
    expired ?? (query.get('failed') ? h('p', { class: 'error', role: 'alert' }, t('signInFailed')) : null);
  const auth = ctx.config.auth;
  if (auth.mode === 'cognito') {
    const button = h('button', { type: 'button' }, t('signInWithCognito'));
    button.addEventListener('click', () =>
      run(button, errors, async () => {
        sessionStorage.setItem('venue-hub.next', next);
        location.assign(await authorizeUrl(auth, sessionStorage));
      }),
    );
    replace(main, h('h1', {}, t('signInTitle')), notice, h('p', {}, t('signInCognitoIntro')), button, errors);
    if (expired) announceDrawn(expired, t('sessionExpired'));
    return;
  }

  const signInAs = async (user: DemoUser, button: HTMLButtonElement | null) =>
    run(button, errors, async () => {
      const token = await ctx.api.localToken(user.username, user.groups);
      saveSession(sessionFromToken(token));
      ctx.refreshChrome();
      ctx.navigate(next);
    });

  // the hub's demo users (src/local/demo-users.ts), listed in its config.json
  const users = auth.demoUsers ?? [];
  const picker = h(
    'ul',
    { class: 'user-picker' },
    ...users.map((user) => {
      const role = user.groups.includes('operators') ? t('roleOperator') : t('roleShopper');
      const button = h('button', { type: 'button', 'data-username': user.username }, user.username);
      button.append(h('span', { class: 'role' }, ` (${role})`));
      button.addEventListener('click', () => signInAs(user, button));
      return h('li', {}, button);
    }),
  );
  const username = h('input', {
    type: 'text',
    name: 'username',
    pattern: '[A-Za-z0-9._@-]{1,64}',
    autocomplete: 'username',
    required: true,
  });
  const submit = h('button', { type: 'submit', class: 'secondary' }, t('signIn'));
  const other = h(
    'form',
    { class: 'stack', 'aria-label': t('otherUser') },
    field(t('otherUser'), username),
    checkbox(t('asOperator'), 'operator', false),
    submit,
  );
  other.addEventListener('submit', (event) => {
    event.preventDefault();
    const groups = formChecked(other, 'operator') ? ['operators'] : ['shoppers'];
    void signInAs({ username: username.value.trim(), groups }, submit);
  });
  replace(
    main,
    h('h1', {}, t('signInTitle')),
    notice,
    h('p', {}, t('signInLocalIntro')),
    users.length > 0 && picker,
    other,
    errors,
  );
  if (expired) announceDrawn(expired, t('sessionExpired'));
}
