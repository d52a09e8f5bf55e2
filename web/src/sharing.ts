// The uploader's side of sharing: manage tokens kept in this browser (the server shows
// each once, at upload), and the owner's controls on the profile page (rename, expiry,
// delete). The server decides who may manage (GET /api/profiles/:id says `canManage`).
import { ApiError, getJson, type StoredProfile } from './api.js';
import { clear, h } from './dom.js';
import { forgetUpload, manageHeaders, ownedUploads, rememberUpload } from './owned.js';

export { rememberUpload };

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
  return hours >= 48
    ? `in ${Math.round(hours / 24)} days`
    : hours >= 2
      ? `in ${Math.round(hours)} hours`
      : `in ${Math.max(1, Math.round(ms / 60_000))} minutes`;
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
export function manageControls(
  t: ManageTarget,
  onRenamed: (name: string) => void,
  onDeleted: () => void,
): { expiry: HTMLElement; controls: HTMLElement | null } {
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
  const keep = h(
    'select.keep-for',
    { 'aria-label': 'Keep this profile for', title: 'When this profile is deleted' },
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
  const del = h(
    'button.btn.danger',
    { type: 'button', 'data-testid': 'delete-profile', title: 'Delete the profile and everything attached to it' },
    'Delete',
  );
  del.addEventListener('click', () => {
    if (!window.confirm(`Delete "${t.name}"? Its link will stop working for everyone.`)) return;
    manageApi.remove(t.id).then(onDeleted, fail);
  });
  const sanitise = h(
    'button.btn',
    {
      type: 'button',
      'data-testid': 'sanitise',
      title: 'Store a copy without labels, comments, binary paths and build ids, to share more widely',
    },
    'Share a sanitised copy…',
  );
  sanitise.addEventListener('click', () => void sanitiseDialog(t.id, status));
  const controls = h('div.manage', null, rename, keep, sanitise, del, status);
  return { expiry, controls };
}

interface SanitiseReport {
  labels: { keys: string[]; samples: number };
  comments: string[];
  mappings: { file: string; buildId: string }[];
  files: { from: string; to: string }[];
  filesTotal: number;
}

/** Shows what a sanitised copy leaves out; on confirmation stores it and shows its link. */
async function sanitiseDialog(id: string, status: HTMLElement): Promise<void> {
  const dialog = h('dialog.sanitise', { 'aria-label': 'Share a sanitised copy' });
  const body = h('div.sanitise-body');
  const modulePaths = h('input', { type: 'checkbox', checked: true });
  const confirmBtn = h('button.btn.primary', { type: 'button', 'data-testid': 'sanitise-confirm' }, 'Store the sanitised copy');
  const cancel = h('button.btn', { type: 'button' }, 'Cancel');
  const result = h('p.sanitise-result', { role: 'status' });
  const list = (title: string, items: string[], more = 0) =>
    h(
      'section',
      null,
      h('h3', null, title),
      items.length
        ? h('ul', null, ...items.map((i) => h('li', null, i)), more > 0 ? h('li.muted', null, `… and ${more} more`) : null)
        : h('p.muted', null, 'none'),
    );
  const show = async () => {
    clear(body);
    body.append(h('p.muted', null, 'Checking what the copy leaves out…'));
    try {
      const r = await getJson<SanitiseReport>(
        `/api/profiles/${encodeURIComponent(id)}/sanitised?modulePaths=${modulePaths.checked ? 1 : 0}`,
      );
      clear(body);
      body.append(
        h('p', null, 'The copy keeps every sample, value, function and line: every number in every view stays the same. It leaves out:'),
        list(`Sample labels (${r.labels.samples} samples)`, r.labels.keys),
        list('Comments', r.comments),
        list(
          'Binary paths and build ids',
          r.mappings.map((m) => [m.file, m.buildId && `build id ${m.buildId}`].filter(Boolean).join(' · ')),
        ),
        list(
          'Source paths rewritten',
          r.files.map((f) => `${f.from} → ${f.to}`),
          r.filesTotal - r.files.length,
        ),
      );
    } catch (err) {
      clear(body);
      body.append(h('p.error', null, (err as Error).message));
    }
  };
  modulePaths.addEventListener('change', () => void show());
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  confirmBtn.addEventListener('click', async () => {
    confirmBtn.disabled = true;
    try {
      const res = await getJson<{ id: string; url: string; manageToken?: string }>(`/api/profiles/${encodeURIComponent(id)}/sanitised`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...manageHeaders(id) },
        body: JSON.stringify({ modulePaths: modulePaths.checked }),
      });
      if (res.manageToken)
        rememberUpload({ id: res.id, name: 'sanitised copy', token: res.manageToken, storedAt: new Date().toISOString() });
      const link = new URL(res.url, location.href).href;
      clear(result);
      result.append('Stored: ', h('a', { href: link, 'data-testid': 'sanitised-link' }, link));
      status.textContent = 'Sanitised copy stored';
    } catch (err) {
      result.textContent = (err as Error).message;
      confirmBtn.disabled = false;
    }
  });
  dialog.append(
    h('h2', null, 'Share a sanitised copy'),
    h('label', null, modulePaths, ' Reduce source paths to module-relative ones'),
    body,
    h('div.dialog-actions', null, cancel, confirmBtn),
    result,
  );
  document.body.append(dialog);
  dialog.showModal();
  await show();
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
