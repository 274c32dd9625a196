/**
 * A form's fields as the API's VALIDATION_FAILED details name them (`{path, message}`): which
 * control a path points at, how the detail reads, and the control marked invalid
 * (`aria-invalid`, `aria-describedby` to the detail) until the next attempt.
 */
import { checkable, namedControls } from './dom.ts';
import { language, t } from './i18n.ts';

/** A form's controls by the API's field paths: its named text fields and selects. */
export type FormFields = Record<string, HTMLElement>;

/** The named controls of `form` that stand for one field (check boxes and radios do not). */
export function namedFields(form: HTMLFormElement): FormFields {
  const fields: FormFields = {};
  for (const control of namedControls(form)) {
    if (control.name && !checkable(control)) fields[control.name] ??= control;
  }
  return fields;
}

/** The field a VALIDATION_FAILED path points at: itself, else its root (`interests[2]` → `interests`). */
export function fieldName(path: string, names: readonly string[]): string | undefined {
  if (names.includes(path)) return path;
  const root = path.split(/[.[]/)[0] ?? '';
  return names.includes(root) ? root : undefined;
}

/**
 * A validation detail as the reader sees it: the form's own label for a known field, with the
 * API's (English) message in English and a generic one in other languages; an unknown field
 * keeps the API's wording.
 */
export function detailText(detail: { path?: string; message?: string }, label: string | undefined): string {
  if (label)
    return `${label}: ${language() === 'en' && detail.message ? detail.message : t('checkThisValue')}`;
  return detail.path ? `${detail.path}: ${detail.message ?? ''}` : String(detail.message ?? '');
}

/** The text of the control's label (what the reader knows the field by). */
export function labelOf(control: HTMLElement): string {
  const labelled = (control as HTMLInputElement).labels?.[0]?.textContent;
  return labelled ?? control.getAttribute('aria-label') ?? '';
}

/** The ids of validation details (`error-<box>-<n>`), told apart from a field's own hints. */
const ERROR_REF = /^error-\d+-\d+$/;

/** Marks `control` invalid and described by the detail `id`, or (no id) clears both. */
export function setErrorRef(control: HTMLElement, id: string | undefined): void {
  const refs = (control.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter((r) => r && !ERROR_REF.test(r));
  if (id) refs.push(id);
  if (refs.length > 0) control.setAttribute('aria-describedby', refs.join(' '));
  else control.removeAttribute('aria-describedby');
  if (id) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}
