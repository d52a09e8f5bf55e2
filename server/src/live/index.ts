// Live capture from running Go services (/debug/pprof): public surface of the layer.
export { CaptureError, isCaptureError, type CaptureErrorCode } from './errors.js';
export { makePolicy, checkAddress, classifyAddress, parseAddress, type TargetPolicy, type AddressClass, type AddressDecision } from './address-policy.js';
export { resolveCapture, parseTargetUrl, indexUrl, type ResolvedCapture, type CaptureSpec } from './target-url.js';
export { parsePprofIndex, type TargetProfile } from './pprof-index.js';
export { listTargetProfiles, type TargetListing } from './targets.js';
export { CaptureManager, type CaptureStatus, type CaptureRequest, type WatchRequest, type WatchSnapshot, type StoredRef } from './manager.js';
