// Manage tokens of the profiles this browser uploaded. The server shows each token once,
// at upload; it proves ownership (X-Manage-Token) for rename, expiry, delete and attachments.
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
