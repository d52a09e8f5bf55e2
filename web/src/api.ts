// Thin typed client for the HTTP API (team/API.md). Errors carry the server's
// `{"error": "..."}` message.
import type { FlameGraph, SourceListing, TopReport } from '../../contract/views.js';
import type { ProfileProgress } from '../../contract/progress.js';
import { manageHeaders } from './owned.js';
import type { ProfileInfo } from './registry.js';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const msg =
      body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : `${res.status} ${res.statusText}`;
    throw new ApiError(msg, res.status);
  }
  return body as T;
}

export interface StoredProfile {
  id: string;
  name: string;
  type: string;
  size: number;
  storedAt: string;
  /** When the server deletes it; null = kept until deleted. */
  expiresAt?: string | null;
  owner?: string;
}

export interface ProfileList {
  profiles: StoredProfile[];
  total: number;
  page: number;
  /** all: every profile; owner: the caller's own; none: no identity (--shared without a proxy). */
  scope?: 'all' | 'owner' | 'none';
}

export const api = {
  list: (page = 1, limit = 50) => getJson<ProfileList>(`/api/profiles?page=${page}&limit=${limit}`),
  // The manage token, when this browser uploaded it, lets the server answer canManage.
  meta: (id: string) => getJson<ProfileInfo>(`/api/profiles/${encodeURIComponent(id)}`, { headers: manageHeaders(id) }),
  top: (id: string, q: URLSearchParams) => getJson<TopReport>(`/api/profiles/${encodeURIComponent(id)}/top?${q}`),
  flame: (id: string, q: URLSearchParams, signal?: AbortSignal) =>
    getJson<FlameGraph>(`/api/profiles/${encodeURIComponent(id)}/flamegraph?${q}`, { signal }),
  source: (id: string, q: URLSearchParams) => getJson<SourceListing>(`/api/profiles/${encodeURIComponent(id)}/source?${q}`),
  progress: (id: string, signal?: AbortSignal) => getJson<ProfileProgress>(`/api/profiles/${encodeURIComponent(id)}/progress`, { signal }),
};

export interface UploadResult {
  id: string;
  url: string;
  owned?: boolean;
  /** Shown once, for a new profile: proves ownership (kept in this browser, see sharing.ts). */
  manageToken?: string;
  expiresAt?: string | null;
}

/** POST raw bytes with upload progress (fetch has no upload progress, so XHR). */
export function uploadProfile(file: File, onProgress: (fraction: number) => void): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    form.append('name', file.name);
    form.append('profile', file, file.name);
    xhr.open('POST', '/api/profiles');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof body === 'object' && 'id' in body) {
        onProgress(1);
        resolve(body as UploadResult);
      } else {
        const msg =
          body && typeof body === 'object' && 'error' in body
            ? String((body as { error: unknown }).error)
            : `upload failed (${xhr.status})`;
        reject(new ApiError(msg, xhr.status));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError('network error during upload', 0)));
    xhr.send(form);
  });
}
