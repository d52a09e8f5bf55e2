// One error type for every way input can fail to be a profile, so the HTTP layer
// can map it to a status code and the CLI can print the message as is.

export type DecodeErrorKind =
  | 'empty' // no bytes at all
  | 'not-a-profile' // neither gzip nor protobuf nor a known legacy format
  | 'truncated' // input ends inside a field
  | 'malformed' // decodes, but breaks pprof's validity rules
  | 'too-large' // inflated size over the configured cap
  | 'unsupported'; // a recognised format we do not read

export class ProfileDecodeError extends Error {
  constructor(
    readonly kind: DecodeErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ProfileDecodeError';
  }
}
