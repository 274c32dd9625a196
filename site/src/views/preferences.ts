/**
 * Notification and accessibility preferences (GET/PUT /me/preferences). Saving a language also
 * switches the site to it.
 */
import { DEFAULT_PREFERENCES, type Preferences } from '../api.ts';
import type { AppContext } from '../app.ts';
import { checkbox, field, formChecked, formValue, h, replace, select } from '../dom.ts';
import { namedFields } from '../field-errors.ts';
import { LANGUAGE_KEY, LANGUAGE_OPTIONS, language, setLanguage, t } from '../i18n.ts';
import { announceDrawn, errorBox, run, showError, statusBox } from '../ui.ts';

/** Reads the form into the body PUT /me/preferences accepts (only its documented fields). */
export function preferencesFromForm(form: HTMLFormElement): Preferences {
  const interests = formValue(form, 'interests')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const preferences: Preferences = {
    channels: { email: formChecked(form, 'email'), sms: formChecked(form, 'sms') },
    interests,
    language: formValue(form, 'language'),
    accessibility: formChecked(form, 'accessibility'),
    marketingOptIn: formChecked(form, 'marketingOptIn'),
  };
  const email = formValue(form, 'emailAddress').trim();
  const phone = formValue(form, 'phone').trim();
  if (email) preferences.email = email;
  if (phone) preferences.phone = phone;
  return preferences;
}

/**
 * The language the form starts at: the saved one, or, while nothing has been saved (the API
 * answers its defaults, which it does not mark), the one the site is shown in, so that saving
 * keeps what the reader sees. Saving applies what the form says.
 */
export function formLanguage(preferences: Preferences, shown: string): string {
  return sameAs(preferences, DEFAULT_PREFERENCES) ? shown : preferences.language;
}

/** Every key of a Preferences document, nested ones included, in one order. */
const PREFERENCE_KEYS = [
  'accessibility',
  'channels',
  'email',
  'interests',
  'language',
  'marketingOptIn',
  'phone',
  'sms',
];

function sameAs(a: Preferences, b: Preferences): boolean {
  // a key list picks and orders the keys at every level, so equal documents give equal text
  return JSON.stringify(a, PREFERENCE_KEYS) === JSON.stringify(b, PREFERENCE_KEYS);
}

export async function preferencesView(ctx: AppContext, main: HTMLElement) {
  const errors = errorBox();
  let prefs: Preferences;
  try {
    prefs = await ctx.api.getPreferences();
  } catch (error) {
    showError(errors, error);
    replace(main, h('h1', {}, t('preferencesTitle')), errors);
    return;
  }
  const done = statusBox();
  const button = h('button', { type: 'submit' }, t('save'));
  const form = h(
    'form',
    { class: 'stack', 'aria-label': t('preferencesTitle') },
    h(
      'fieldset',
      {},
      h('legend', {}, t('channels')),
      checkbox(t('email'), 'email', prefs.channels.email),
      checkbox(t('sms'), 'sms', prefs.channels.sms),
    ),
    field(
      t('emailAddress'),
      h('input', { type: 'email', name: 'emailAddress', value: prefs.email ?? '', autocomplete: 'email' }),
    ),
    field(
      t('phone'),
      h('input', { type: 'tel', name: 'phone', value: prefs.phone ?? '', autocomplete: 'tel' }),
    ),
    field(
      t('interests'),
      h('input', { type: 'text', name: 'interests', value: prefs.interests.join(', ') }),
      t('interestsHint'),
    ),
    field(
      t('language'),
      select('language', LANGUAGE_OPTIONS, formLanguage(prefs, language())),
      t('languageHint'),
    ),
    checkbox(t('accessibilityNeeds'), 'accessibility', prefs.accessibility),
    checkbox(t('marketingOptIn'), 'marketingOptIn', prefs.marketingOptIn),
    button,
    errors,
    done,
  );
  const fields = namedFields(form);
  // the API names the address `email` (the form's `email` is the channel's check box)
  if (fields.emailAddress) fields.email = fields.emailAddress;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await run(
      button,
      errors,
      async () => {
        const saved = await ctx.api.putPreferences(preferencesFromForm(form));
        setLanguage(saved.language);
        localStorage.setItem(LANGUAGE_KEY, saved.language);
        ctx.refreshChrome();
        await preferencesView(ctx, main);
        const status = main.querySelector<HTMLElement>('[role="status"]');
        if (status) announceDrawn(status, t('saved'));
      },
      { status: done, fields, focus: () => main.querySelector<HTMLElement>('form button[type="submit"]') },
    );
  });
  replace(main, h('h1', {}, t('preferencesTitle')), form);
}
