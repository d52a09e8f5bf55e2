// Who owns a stored profile and who may change it. An upload records the proxy-vouched
// user (`--auth-header`) and the hash of a manage token handed to the uploader once; either
// proves ownership. A local single-user server (neither --shared nor --auth-header) lets
// its one user manage everything, as before.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerConfig } from './config.js';
import { HttpError } from './errors.js';
import type { StoredProfileInfo } from '../store/types.js';

/** Who is calling: a proxy-vouched user name and/or a manage token from the uploader's browser. */
export interface Caller {
  user?: string;
  token?: string;
}

export function newManageToken(): string {
  return randomBytes(24).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function mayManage(info: StoredProfileInfo, caller: Caller, config: ServerConfig): boolean {
  if (caller.token && info.tokenHash && tokenMatches(caller.token, info.tokenHash)) return true;
  if (config.authHeader) return caller.user !== undefined && info.owner === caller.user;
  return !config.shared;
}

export function assertOwner(info: StoredProfileInfo, caller: Caller, config: ServerConfig): void {
  if (!mayManage(info, caller, config)) {
    throw new HttpError(403, `only the owner of profile ${info.id} may change it (send its manage token in X-Manage-Token)`);
  }
}

/** Profiles a listing shows: everything locally; with identities, the caller's own only. */
export function visibleInList(info: StoredProfileInfo, caller: Caller, config: ServerConfig): boolean {
  if (config.authHeader) return caller.user !== undefined && info.owner === caller.user;
  return !config.shared;
}

/** Ownership fields of a new upload, and the token to hand back (shown once). */
export function ownershipForUpload(
  caller: Caller,
  config: ServerConfig,
  now = Date.now(),
): { fields: Partial<StoredProfileInfo>; token: string } {
  const token = newManageToken();
  const fields: Partial<StoredProfileInfo> = {
    tokenHash: hashToken(token),
    expiresAt: config.retentionMs ? new Date(now + config.retentionMs).toISOString() : null,
  };
  if (caller.user) fields.owner = caller.user;
  return { fields, token };
}

/** When the sweeper deletes it: its own expiry, or (stored before expiries were recorded) storedAt + retention. */
export function expiryOf(info: StoredProfileInfo, retentionMs: number): number | null {
  if (info.expiresAt === null) return null;
  if (typeof info.expiresAt === 'string') return Date.parse(info.expiresAt);
  return retentionMs > 0 ? Date.parse(info.storedAt) + retentionMs : null;
}

export function isExpired(info: StoredProfileInfo, retentionMs: number, now = Date.now()): boolean {
  const exp = expiryOf(info, retentionMs);
  return exp !== null && exp <= now;
}

/** What clients see of stored metadata: never the token hash. */
export interface PublicProfileInfo {
  id: string;
  name: string;
  type: string;
  size: number;
  storedAt: string;
  expiresAt: string | null;
  owner?: string;
  sanitisedFrom?: string;
}

export function publicInfo(info: StoredProfileInfo, retentionMs: number): PublicProfileInfo {
  const exp = expiryOf(info, retentionMs);
  const out: PublicProfileInfo = {
    id: info.id,
    name: info.name,
    type: info.type,
    size: info.size,
    storedAt: info.storedAt,
    expiresAt: exp === null ? null : new Date(exp).toISOString(),
  };
  if (info.owner !== undefined) out.owner = info.owner;
  if (info.sanitisedFrom !== undefined) out.sanitisedFrom = info.sanitisedFrom;
  return out;
}
