// One error type for everything that can go wrong while capturing from a live
// target; `code` decides the HTTP status and the message is shown to the user.

export type CaptureErrorCode =
  | 'bad-request' // the request itself is malformed (bad URL, bad numbers)
  | 'refused' // the address policy forbids this target
  | 'busy' // a CPU capture of this target is already running
  | 'connect' // could not connect (refused, unreachable, DNS)
  | 'tls' // TLS handshake or certificate problem
  | 'timeout' // connect or total timeout
  | 'http-status' // target answered with a non-200 status
  | 'not-profile' // target answered 200 but not with a profile
  | 'too-large' // response exceeded the byte cap
  | 'cancelled' // a user cancelled the capture
  | 'not-found' // unknown capture id
  | 'limit'; // too many captures running

const STATUS: Record<CaptureErrorCode, number> = {
  'bad-request': 400,
  refused: 403,
  busy: 409,
  connect: 502,
  tls: 502,
  timeout: 504,
  'http-status': 502,
  'not-profile': 422,
  'too-large': 413,
  cancelled: 409,
  'not-found': 404,
  limit: 429,
};

export class CaptureError extends Error {
  readonly code: CaptureErrorCode;
  /** HTTP status our API answers with for this error. */
  readonly status: number;
  constructor(code: CaptureErrorCode, message: string, status?: number) {
    super(message);
    this.name = 'CaptureError';
    this.code = code;
    this.status = status ?? STATUS[code];
  }
}

export function isCaptureError(e: unknown): e is CaptureError {
  return e instanceof CaptureError;
}
