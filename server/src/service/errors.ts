// Errors the service layer raises on purpose. http/errors.ts maps these (and the engine's
// own error classes) to HTTP statuses in one place.

/** An unknown profile, capture or attachment (HTTP 404). */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A request the server refuses with a given 4xx status (or 5xx) and a message for the user. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
