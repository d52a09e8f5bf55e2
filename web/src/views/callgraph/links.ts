// URL keys and API calls shared by the Peek, Sandwich and Call graph tabs.
import { getJson } from '../../api.js';

/** Peek regexp (state.extra). */
export const PEEK_KEY = 'pk';
/** Sandwich function: a printable name (state.extra). */
export const SANDWICH_KEY = 'sw';
/** Call graph trimming: node count, node fraction, edge fraction (state.extra). */
export const GRAPH_KEYS = { nodeCount: 'gn', nodeFraction: 'gnf', edgeFraction: 'gef' } as const;

export function fetchView<T>(id: string, view: 'peek' | 'graph' | 'sandwich', q: URLSearchParams, signal?: AbortSignal): Promise<T> {
  return getJson<T>(`/api/profiles/${encodeURIComponent(id)}/${view}?${q}`, { signal });
}
