// The uploader's side of sharing: manage tokens kept in this browser (the server shows
// each once, at upload), and the owner's controls on the profile page (rename, expiry,
// delete). The server decides who may manage (GET /api/profiles/:id says `canManage`).
import { ApiError, getJson, type StoredProfile } from './api.js';
import { clear, h } from './dom.js';

const KEY = 'pprof-lens.owned';

export interface OwnedUpload {
  id: string;
  name: string;
  token: string;
  storedAt: string;
}

function readOwned(): OwnedUpload[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((o): o is OwnedUpload => !!o && typeof o.id === 'string' && typeof o.token === 'string') : [];
  } catch {
    return [];
  }
}

function writeOwned(list: OwnedUpload[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(list.slice(0, 500)));
  } catch {
    // storage full or disabled: the token is lost, the link still works
  }
}

export function ownedUploads(): OwnedUpload[] {
  return readOwned();
}

export function rememberUpload(u: OwnedUpload): void {
  writeOwned([u, ...readOwned().filter((o) => o.id !== u.id)]);
}

export function forgetUpload(id: string): void {
  writeOwned(readOwned().filter((o) => o.id !== id));
}

/** Headers proving ownership of `id`, when this browser uploaded it. */
export function manageHeaders(id: string): Record<string, string> {
  const o = readOwned().find((u) => u.id === id);
  return o ? { 'X-Manage-Token': o.token } : {};
}

export const manageApi = {
  update: (id: string, body: { name?: string; expiresAt?: string | null; expiresIn?: string }) =>
    getJson<StoredProfile>(`/api/profiles/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', ...manageHeaders(id) },
      body: JSON.stringify(body),
    }),
  async remove(id: string): Promise<void> {
    const res = await fetch(`/api/profiles/${encodeURIComponent(id)}`, { method: 'DELETE', headers: manageHeaders(id) });
    if (!res.ok && res.status !== 404) {
      const body = (await res.json().catch(() => null)) as { error?: string } | null;
      throw new ApiError(body?.error ?? `delete failed (${res.status})`, res.status);
    }
    forgetUpload(id);
  },
};

/** "in 29 days", "in 5 hours", "never". */
export function expiryText(expiresAt: string | null | undefined): string {
  if (!expiresAt) return 'never';
  const ms = Date.parse(expiresAt) - Date.now();
  if (!Number.isFinite(ms)) return expiresAt;
  if (ms <= 0) return 'now';
  const hours = ms / 3_600_000;
  return hours >= 48 ? `in ${Math.round(hours / 24)} days` : hours >= 2 ? `in ${Math.round(hours)} hours` : `in ${Math.max(1, Math.round(ms / 60_000))} minutes`;
}

export interface ManageTarget {
  id: string;
  name: string;
  expiresAt: string | null;
  canManage: boolean;
}

/**
 * The expiry fact and, for the owner, Rename / Keep for / Delete controls. `onRenamed`
 * updates the page title; `onDeleted` leaves the page.
 */
export function manageControls(t: ManageTarget, onRenamed: (name: string) => void, onDeleted: () => void): { expiry: HTMLElement; controls: HTMLElement | null } {
  const expiry = h('span.fact-value', { 'data-testid': 'expires', title: t.expiresAt ?? 'kept until deleted' }, expiryText(t.expiresAt));
  if (!t.canManage) return { expiry, controls: null };
  const status = h('span.manage-status.muted', { role: 'status' });
  const fail = (err: unknown) => {
    status.textContent = (err as Error).message;
  };
  const rename = h('button.btn', { type: 'button', title: 'Rename this profile' }, 'Rename');
  rename.addEventListener('click', () => {
    const name = window.prompt('New name for this profile', t.name);
    if (!name || name === t.name) return;
    manageApi.update(t.id, { name }).then((p) => {
      t.name = p.name;
      onRenamed(p.name);
      status.textContent = 'Renamed';
    }, fail);
  });
  const keep = h('select.keep-for', { 'aria-label': 'Keep this profile for', title: 'When this profile is deleted' },
    h('option', { value: '' }, 'Keep for…'),
    h('option', { value: '1d' }, '1 day'),
    h('option', { value: '7d' }, '7 days'),
    h('option', { value: '30d' }, '30 days'),
    h('option', { value: 'never' }, 'until deleted'),
  );
  keep.addEventListener('change', () => {
    const v = keep.value;
    keep.value = '';
    if (!v) return;
    manageApi.update(t.id, v === 'never' ? { expiresAt: null } : { expiresIn: v }).then((p) => {
      t.expiresAt = (p as StoredProfile & { expiresAt: string | null }).expiresAt;
      expiry.textContent = expiryText(t.expiresAt);
      expiry.title = t.expiresAt ?? 'kept until deleted';
      status.textContent = '';
    }, fail);
  });
  const del = h('button.btn.danger', { type: 'button', 'data-testid': 'delete-profile', title: 'Delete the profile and everything attached to it' }, 'Delete');
  del.addEventListener('click', () => {
    if (!window.confirm(`Delete "${t.name}"? Its link will stop working for everyone.`)) return;
    manageApi.remove(t.id).then(onDeleted, fail);
  });
  const controls = h('div.manage', null, rename, keep, del, status);
  return { expiry, controls };
}

/** Start-page rows for this browser's uploads when the server lists none for us (--shared without a proxy). */
export async function ownedRows(row: (p: StoredProfile) => HTMLElement, into: HTMLElement): Promise<number> {
  clear(into);
  let shown = 0;
  for (const o of ownedUploads()) {
    try {
      const p = await getJson<StoredProfile>(`/api/profiles/${encodeURIComponent(o.id)}`);
      into.append(row(p));
      shown++;
    } catch (err) {
      // Deleted or expired: forget it. Other errors (server down) keep the token.
      if (err instanceof ApiError && (err.status === 404 || err.status === 410)) forgetUpload(o.id);
    }
  }
  return shown;
}
