/**
 * Notification and accessibility preferences (GET/PUT /me/preferences). Saving a language also
 * switches the site to it.
 */
import type { Preferences } from '../api.ts';
import type { AppContext } from '../app.ts';
import { checkbox, field, formChecked, formValue, h, replace, select } from '../dom.ts';
import { LANGUAGE_KEY, LANGUAGE_OPTIONS, setLanguage, t } from '../i18n.ts';
import { errorBox, run, showError, statusBox } from '../ui.ts';

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
    field(t('language'), select('language', LANGUAGE_OPTIONS, prefs.language)),
    checkbox(t('accessibilityNeeds'), 'accessibility', prefs.accessibility),
    checkbox(t('marketingOptIn'), 'marketingOptIn', prefs.marketingOptIn),
    button,
    errors,
    done,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await run(button, errors, async () => {
      const saved = await ctx.api.putPreferences(preferencesFromForm(form));
      setLanguage(saved.language);
      localStorage.setItem(LANGUAGE_KEY, saved.language);
      ctx.refreshChrome();
      await preferencesView(ctx, main);
      const status = main.querySelector('[role="status"]');
      if (status) status.textContent = t('saved');
    });
  });
  replace(main, h('h1', {}, t('preferencesTitle')), form);
}
