// Errors of the query stage (the Query itself is part of the contract: contract/query.ts).

/** A query that cannot run: bad regexp, unknown sample type, ... (HTTP 400). */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}
