// Label filter expressions the Labels and allocation-size panels put in the URL, in
// pprof's -tagfocus/-tagignore syntax (server/src/analysis/tagfilter.ts reads them).
import type { TagKey, TagValue } from '../../../../contract/views.js';
import { exactName } from '../../../../contract/go-regexp.js';

/**
 * `key=^value$` for a string label; for a numeric one the range of raw values its bucket
 * holds, in the key's unit (`bytes=1537bytes:1664bytes`), which selects exactly that bucket.
 */
export function tagExpr(key: TagKey, v: TagValue): string {
  if (key.numeric && v.num !== null) {
    const unit = /^[A-Za-z]+$/.test(key.unit) ? key.unit : '';
    const hi = v.numMax ?? v.num;
    return hi === v.num ? `${key.key}=${v.num}${unit}` : `${key.key}=${v.num}${unit}:${hi}${unit}`;
  }
  return `${key.key}=${exactName(v.value)}`;
}

/** Adds or removes `key` from a comma-separated -tagroot/-tagleaf list. */
export function toggleKey(list: string, key: string): string {
  const keys = list.split(',').filter((k) => k !== '');
  const i = keys.indexOf(key);
  if (i >= 0) keys.splice(i, 1);
  else keys.push(key);
  return keys.join(',');
}
