// Light/dark theme: follows the system (prefers-color-scheme, pure CSS) unless the
// user picked one with the toggle, which is remembered in localStorage.
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'pprof-lens-theme';
const listeners = new Set<() => void>();

export function themeChoice(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function effectiveTheme(): 'light' | 'dark' {
  const c = themeChoice();
  if (c !== 'system') return c;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(): void {
  const c = themeChoice();
  if (c === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = c;
  document.documentElement.style.colorScheme = effectiveTheme();
  for (const l of listeners) l();
}

export function setTheme(c: ThemeChoice): void {
  if (c === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, c);
  applyTheme();
}

/** Toggle to the opposite of what is shown now. */
export function toggleTheme(): void {
  setTheme(effectiveTheme() === 'dark' ? 'light' : 'dark');
}

export function onThemeChange(cb: () => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

export function initTheme(): void {
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', applyTheme);
  applyTheme();
}
