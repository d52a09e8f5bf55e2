// The one reader of request bodies that carry files: either the raw body (any content
// type) or multipart/form-data file fields, streamed with a byte cap per file, each file
// collected into one exactly sized buffer that it owns (so it may be moved to a worker).
import Busboy from 'busboy';
import type { Request } from 'express';
import type { Hash } from 'node:crypto';
import { idFromDigest, newIdHasher } from '../store/id.js';
import { HttpError } from '../service/errors.js';

export interface BodyFile {
  field: string;
  filename: string;
  /** Owns its whole ArrayBuffer. */
  bytes: Uint8Array;
  /** Content-derived profile id of the bytes, when `hash` was asked for. */
  id?: string;
}

export interface BodyOptions {
  /** Cap per file, in bytes. */
  max: number;
  /** The file field a raw body stands for, and the one a multipart body must have. */
  field: string;
  /** Other file fields a multipart body may have. */
  accept?: (field: string) => boolean;
  /** Names the content in messages: "upload", "sources", ... */
  what: string;
  /** How to raise the cap, said in the 413 ("serve --max-upload-mb raises it"). */
  raise?: string;
  /** Compute the content-derived id of the `field` file while it streams in. */
  hash?: boolean;
  /** Most file fields a multipart body may have. */
  maxFiles?: number;
}

export interface Body {
  /** The `field` file first, then other accepted files in arrival order. */
  files: BodyFile[];
  /** Multipart text fields (short values only). */
  text: Record<string, string>;
}

/** Multipart framing allowance on top of the file cap. */
const MULTIPART_SLACK = 64 * 1024;

/** Collects chunks into one exactly sized, unshared buffer. */
/**
 * Bytes of request bodies being received at once, all requests together. Eight concurrent
 * 255 MiB uploads held 2.8 GB before each was refused on its own limit; past this total,
 * a body that is not the only one in flight is refused with 503 (retry later).
 */
export const MAX_BODY_BYTES_IN_FLIGHT = 512 * 1024 * 1024;
let inFlight = 0;
let bodiesInFlight = 0;
/** Bytes of the buffers reserved for declared bodies (Collector.whole), all requests together. */
let reserved = 0;

function busy(): HttpError {
  return new HttpError(503, 'the server is receiving other large uploads; retry in a moment');
}

class Collector {
  chunks: Buffer[] = [];
  length = 0;
  private hasher: Hash | null;
  private counted = 0;
  /**
   * The whole body's buffer when its size was declared (raw bodies): chunks are copied in
   * as they arrive, so the end of a 400 MB upload is not one long copy on the HTTP thread,
   * which held every other request for seconds (bench/huge-input.bench.ts). Its pages
   * are only touched as bytes arrive; declared sizes together stay within
   * MAX_BODY_BYTES_IN_FLIGHT (past it, a body is collected in chunks as before), so
   * requests that declare much and send nothing reserve nothing more.
   */
  private whole: Uint8Array | null = null;
  private reserved = 0;
  constructor(hash: boolean, declared = 0) {
    this.hasher = hash ? newIdHasher() : null;
    if (declared > 0 && reserved + declared <= MAX_BODY_BYTES_IN_FLIGHT) {
      try {
        this.whole = new Uint8Array(declared);
        this.reserved = declared;
        reserved += declared;
      } catch {
        this.whole = null; // no room for it now: chunks
      }
    }
    bodiesInFlight++;
  }
  /** False when the server-wide in-flight budget is exceeded (the caller refuses with 503). */
  add(chunk: Buffer): boolean {
    if (this.counted < 0) return true; // already refused or finished
    if (this.whole && this.length + chunk.length <= this.whole.length) this.whole.set(chunk, this.length);
    else {
      // More than declared (or nothing declared): collect the chunks, joined at the end.
      if (this.whole) this.chunks.push(Buffer.from(this.whole.buffer, 0, this.length));
      this.whole = null;
      this.chunks.push(chunk);
    }
    this.length += chunk.length;
    this.hasher?.update(chunk);
    this.counted += chunk.length;
    inFlight += chunk.length;
    return inFlight <= MAX_BODY_BYTES_IN_FLIGHT || bodiesInFlight === 1;
  }
  /** Returns this body's share of the in-flight budget (finished or refused). */
  release(): void {
    reserved -= this.reserved;
    this.reserved = 0;
    if (this.counted < 0) return;
    inFlight -= this.counted;
    this.counted = -1;
    bodiesInFlight--;
  }
  /** Drops what was received (refused or aborted). */
  discard(): void {
    this.chunks = [];
    this.whole = null;
    this.release();
  }
  finish(field: string, filename: string): BodyFile {
    this.release();
    const id = this.hasher ? { id: idFromDigest(this.hasher.digest()) } : {};
    if (this.whole) {
      const whole = this.length === this.whole.length ? this.whole : this.whole.slice(0, this.length);
      this.whole = null;
      return { field, filename, bytes: whole, ...id };
    }
    const bytes = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.chunks) {
      bytes.set(c, off);
      off += c.length;
    }
    this.chunks = [];
    return { field, filename, bytes, ...id };
  }
}

function tooLarge(o: BodyOptions): HttpError {
  return new HttpError(413, `${o.what} larger than the limit of ${o.max} bytes${o.raise ? ` (${o.raise})` : ''}`);
}

function readRaw(req: Request, o: BodyOptions): Promise<Body> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const col = new Collector(o.hash ?? false, Number.isSafeInteger(declared) && declared > 0 && declared <= o.max ? declared : 0);
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      col.discard();
      reject(err);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      const ok = col.add(chunk);
      if (col.length > o.max || !ok) {
        req.pause();
        fail(ok ? tooLarge(o) : busy());
      }
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve({ files: [col.finish(o.field, '')], text: {} });
    });
    req.on('error', (err) => fail(new HttpError(400, `${o.what} failed: ${err.message}`)));
    // A client that disconnects mid-body: drop what was received.
    req.on('close', () => {
      if (!req.complete) fail(new HttpError(400, `${o.what} aborted by the client`));
    });
  });
}

function readMultipart(req: Request, o: BodyOptions): Promise<Body> {
  return new Promise((resolve, reject) => {
    const maxFiles = o.maxFiles ?? 1;
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { files: maxFiles, fileSize: o.max, fields: 8, fieldSize: 4096, parts: 16 } });
    } catch (err) {
      reject(new HttpError(400, `bad multipart request: ${(err as Error).message}`));
      return;
    }
    let failed = false;
    let main: BodyFile | null = null;
    const others: BodyFile[] = [];
    const text: Record<string, string> = {};
    const collectors: Collector[] = [];
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const c of collectors) c.discard();
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    bb.on('file', (field, stream, info) => {
      if (failed) {
        stream.resume();
        return;
      }
      if (field !== o.field && !o.accept?.(field)) {
        stream.resume();
        fail(new HttpError(400, `unexpected file field "${field}" (expected "${o.field}")`));
        return;
      }
      const col = new Collector((o.hash ?? false) && field === o.field);
      collectors.push(col);
      stream.on('data', (c: Buffer) => {
        if (!col.add(c)) fail(busy());
      });
      stream.on('limit', () => fail(tooLarge(o)));
      stream.on('end', () => {
        if (failed) return;
        const file = col.finish(field, info.filename ?? '');
        if (field === o.field) main = file;
        else others.push(file);
      });
    });
    bb.on('field', (field, value) => {
      text[field] = value;
    });
    req.on('error', (err) => fail(new HttpError(400, `${o.what} failed: ${err.message}`)));
    req.on('close', () => {
      if (!req.complete) fail(new HttpError(400, `${o.what} aborted by the client`));
    });
    bb.on('filesLimit', () => fail(new HttpError(400, 'too many files in the request')));
    bb.on('error', (err: Error) => fail(new HttpError(400, `bad multipart request: ${err.message}`)));
    bb.on('close', () => {
      if (failed) return;
      if (!main) {
        fail(new HttpError(400, `multipart request has no "${o.field}" file field`));
        return;
      }
      resolve({ files: [main, ...others], text });
    });
    req.pipe(bb);
  });
}

export async function readBody(req: Request, o: BodyOptions): Promise<Body> {
  const multipart = Boolean(req.is('multipart/form-data'));
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > o.max + (multipart ? MULTIPART_SLACK : 0)) {
    throw tooLarge(o);
  }
  return multipart ? readMultipart(req, o) : readRaw(req, o);
}
