/**
 * A tiny element builder. Every text goes through `textContent` (never `innerHTML`), so data
 * from the API can never inject markup, and nothing sets inline styles (the CSP forbids them).
 */

type Child = Node | string | number | false | null | undefined;
type Attrs = Record<string, string | number | boolean | undefined | null | EventListener>;

/** Builds an element: `on*` attributes become listeners, booleans toggle the attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, ...children);
  return element;
}

/** Appends children, skipping the falsy ones, so conditional parts read inline. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

let fieldCounter = 0;

/** A labelled form field: the label is tied to the control by id (axe: every control has a name). */
export function field(labelText: string, control: HTMLElement, hint?: string): HTMLElement {
  fieldCounter += 1;
  const id = control.id || `field-${fieldCounter}`;
  control.id = id;
  const hintEl = hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), control, hintEl);
}

/** A checkbox with its label after it. */
export function checkbox(labelText: string, name: string, checked: boolean): HTMLElement {
  fieldCounter += 1;
  const id = `check-${fieldCounter}`;
  const input = h('input', { type: 'checkbox', id, name, checked });
  return h('div', { class: 'field check' }, input, h('label', { for: id }, labelText));
}

/** A select whose options are `[value, label]` pairs. */
export function select(name: string, options: [string, string][], selected?: string): HTMLSelectElement {
  const element = h('select', { name });
  for (const [value, label] of options) {
    element.append(h('option', { value, selected: value === selected }, label));
  }
  return element;
}

/**
 * Applies a date filter once the reader has chosen a date. Typed dates apply on Enter, or when
 * the field loses the focus with a new date: not at each key (Chromium fires `change` at every
 * one, and a screen drawn again between the digits of a year would put the next digits into a
 * new field). A date chosen in the browser's picker, by mouse, touch or keyboard, applies at
 * once: the picker sends no key to the field, and the reader stays on it, so waiting for them
 * to leave would show nothing. A change is typed when it comes from a key pressed in the field
 * (Chromium changes the value within the key's own event task).
 */
export function applyDateFilter(input: HTMLInputElement, apply: () => void): void {
  let applied = false;
  let typing = false;
  const applyChanged = () => {
    // once: Chromium blurs the field again when the new screen removes it
    if (applied || !input.isConnected || input.value === '' || input.value === input.defaultValue) return;
    applied = true;
    apply();
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      applyChanged();
      return;
    }
    typing = true;
    setTimeout(() => {
      typing = false;
    });
  });
  input.addEventListener('change', () => {
    if (!typing) applyChanged();
  });
  input.addEventListener('blur', applyChanged);
}

/** Reads a named control of a form as a string ('' when absent). */
export function formValue(form: HTMLFormElement, name: string): string {
  const control = form.elements.namedItem(name);
  if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) return control.value;
  if (control instanceof HTMLTextAreaElement) return control.value;
  return '';
}

/** Reads a named checkbox of a form. */
export function formChecked(form: HTMLFormElement, name: string): boolean {
  const control = form.elements.namedItem(name);
  return control instanceof HTMLInputElement && control.checked;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A value the user gave a named control, to carry over when the screen is drawn again. */
export interface TypedValue {
  key: string;
  value: string;
  checked: boolean;
}

/** The named controls under `root`, in document order. */
export function namedControls(root: ParentNode): Control[] {
  return Array.from(root.querySelectorAll<Control>('input[name], select[name], textarea[name]'));
}

/** Whether the control is a check box or radio (told apart from its kin by its value). */
export function checkable(control: Control): control is HTMLInputElement {
  return control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio');
}

/** Check boxes and radios of one name differ by value; other controls by name alone. */
function controlKey(control: Control): string {
  return checkable(control) ? `${control.name}=${control.value}` : control.name;
}

function changedByUser(control: Control): boolean {
  if (checkable(control)) return control.checked !== control.defaultChecked;
  if (control instanceof HTMLSelectElement) {
    const drawn = Array.from(control.options).find((o) => o.defaultSelected) ?? control.options[0];
    return control.value !== (drawn?.value ?? '');
  }
  return control.value !== control.defaultValue;
}

/** What the user changed in the controls under `root` (only what differs from what was drawn). */
export function typedValues(root: ParentNode): TypedValue[] {
  return namedControls(root)
    .filter(changedByUser)
    .map((control) => ({
      key: controlKey(control),
      value: control.value,
      checked: checkable(control) && control.checked,
    }));
}

/**
 * Puts `typed` back into the controls of the same name under `root`, each with a change
 * event so that the screen follows (a form that shows the fields of the chosen kind).
 */
export function restoreTyped(root: ParentNode, typed: TypedValue[]): void {
  const byKey = new Map(typed.map((value) => [value.key, value]));
  for (const control of namedControls(root)) {
    const value = byKey.get(controlKey(control));
    if (!value) continue;
    if (checkable(control)) control.checked = value.checked;
    else control.value = value.value;
    control.dispatchEvent(new Event('change', { bubbles: true }));
  }
}
