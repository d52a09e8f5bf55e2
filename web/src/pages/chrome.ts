// Shared page chrome: the top bar (home link, concepts, theme toggle, shortcuts) and the
// keyboard-shortcut overlay.
import { h } from '../dom.js';
import { effectiveTheme, onThemeChange, toggleTheme } from '../theme.js';

export function topBar(extra: HTMLElement | null): HTMLElement {
  const theme = h('button.icon-btn.theme-toggle', { type: 'button', 'aria-label': 'Toggle light/dark theme' });
  const paint = () => {
    const dark = effectiveTheme() === 'dark';
    theme.textContent = dark ? '☀' : '☾';
    theme.title = dark ? 'Switch to light theme' : 'Switch to dark theme';
  };
  paint();
  onThemeChange(paint);
  theme.addEventListener('click', toggleTheme);
  const help = h('button.icon-btn', { type: 'button', title: 'Keyboard shortcuts (?)', 'aria-label': 'Keyboard shortcuts' }, '?');
  help.addEventListener('click', () => showShortcuts());
  return h(
    'div.topbar',
    null,
    h('a.brand', { href: '/', 'data-nav': '' }, h('span.logo', { 'aria-hidden': 'true' }), h('span', null, 'pprof'), h('b', null, '-lens')),
    extra,
    h('div.spacer'),
    h(
      'a.topbar-link',
      { href: '/concepts', 'data-nav': '', title: 'Go performance concepts: what the numbers and insights mean' },
      'Concepts',
    ),
    help,
    theme,
  );
}

const SHORTCUTS: [string, string][] = [
  ['/', 'Focus the search box (flame graph, top filter, source function)'],
  ['Esc', 'Reset the flame graph zoom; close this dialog; leave a text field'],
  ['?', 'Show these shortcuts'],
  ['Click', 'Zoom into a frame (click the zoomed frame again to go up one level)'],
  ['Right click', 'Frame actions: show source, zoom, focus / ignore / hide'],
  ['Back / Forward', 'Undo / redo view changes: every change is in the URL'],
];

let dialog: HTMLDialogElement | null = null;

export function showShortcuts(): void {
  if (!dialog) {
    const close = h('button.btn', { type: 'button' }, 'Close');
    const table = h('table.shortcuts');
    for (const [k, v] of SHORTCUTS) table.append(h('tr', null, h('td', null, h('kbd', null, k)), h('td', null, v)));
    dialog = h(
      'dialog.shortcuts-dialog',
      { 'aria-label': 'Keyboard shortcuts' },
      h('h2', null, 'Keyboard shortcuts'),
      table,
      h('div.dialog-actions', null, close),
    );
    close.addEventListener('click', () => dialog!.close());
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog) dialog!.close();
    });
    document.body.append(dialog);
  }
  if (!dialog.open) dialog.showModal();
}

export function shortcutsOpen(): boolean {
  return !!dialog?.open;
}
