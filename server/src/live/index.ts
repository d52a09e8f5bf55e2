// Live capture from running Go services (/debug/pprof): public surface of the layer.
export { CaptureError, isCaptureError, type CaptureErrorCode } from './errors.js';
export { makePolicy, checkAddress, classifyAddress, parseAddress, type TargetPolicy, type AddressClass, type AddressDecision } from './address-policy.js';
export { resolveCapture, parseTargetUrl, indexUrl, type ResolvedCapture, type CaptureSpec } from './target-url.js';
export { parsePprofIndex } from './pprof-index.js';
export type { TargetProfile } from '../../../contract/capture.js';
export { listTargetProfiles } from './targets.js';
export type { TargetListing } from '../../../contract/capture.js';
export { CaptureManager, type CaptureRequest, type WatchRequest } from './manager.js';
export type { CaptureStatus, WatchSnapshot, StoredRef } from '../../../contract/capture.js';
