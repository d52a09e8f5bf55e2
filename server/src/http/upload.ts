// Reads an uploaded profile from a request, streaming, with a byte cap: either the raw
// body (any content type) or multipart/form-data with a `profile` file field, an optional
// `name` text field and any registered extra file fields (upload-hooks.ts).
import Busboy from 'busboy';
import type { Request } from 'express';
import { idFromDigest, newIdHasher } from '../store/id.js';
import { HttpError } from './errors.js';
import { uploadHook, type UploadExtra } from './upload-hooks.js';

export interface Upload {
  /** Owns its whole ArrayBuffer (it may be transferred to a worker). */
  bytes: Uint8Array;
  id: string;
  name?: string;
  extras: UploadExtra[];
}

/**
 * Bytes of uploads being received at once, all requests together. Eight concurrent
 * 255 MiB uploads held 2.8 GB before each was refused on its own limit; past this total,
 * an upload that is not the only one in flight is refused with 503 (retry later).
 */
export const MAX_UPLOAD_BYTES_IN_FLIGHT = 512 * 1024 * 1024;
let inFlight = 0;
let uploadsInFlight = 0;

function busy(): HttpError {
  return new HttpError(503, 'the server is receiving other large uploads; retry in a moment');
}

/** Collects chunks into one exactly sized, unshared buffer. */
class Collector {
  chunks: Buffer[] = [];
  length = 0;
  hasher = newIdHasher();
  private counted = 0;
  constructor() {
    uploadsInFlight++;
  }
  /** False when the server-wide in-flight budget is exceeded (the caller refuses with 503). */
  add(chunk: Buffer): boolean {
    if (this.counted < 0) return true; // already refused or finished
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.hasher.update(chunk);
    this.counted += chunk.length;
    inFlight += chunk.length;
    return inFlight <= MAX_UPLOAD_BYTES_IN_FLIGHT || uploadsInFlight === 1;
  }
  /** Returns this upload's share of the in-flight budget (finished or refused). */
  release(): void {
    if (this.counted < 0) return;
    inFlight -= this.counted;
    this.counted = -1;
    uploadsInFlight--;
  }
  finish(): { bytes: Uint8Array; id: string } {
    this.release();
    const bytes = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.chunks) {
      bytes.set(c, off);
      off += c.length;
    }
    this.chunks = [];
    return { bytes, id: idFromDigest(this.hasher.digest()) };
  }
}

function tooLarge(max: number): HttpError {
  return new HttpError(413, `upload larger than the limit of ${max} bytes`);
}

function readRaw(req: Request, max: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const col = new Collector();
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      const ok = col.add(chunk);
      if (col.length > max || !ok) {
        done = true;
        col.chunks = [];
        col.release();
        req.pause();
        reject(ok ? tooLarge(max) : busy());
      }
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const { bytes, id } = col.finish();
      const q = req.query.name;
      resolve({ bytes, id, name: typeof q === 'string' ? q : undefined, extras: [] });
    });
    req.on('error', (err) => {
      if (!done) {
        done = true;
        col.chunks = [];
        col.release();
        reject(new HttpError(400, `upload failed: ${err.message}`));
      }
    });
    // A client that disconnects mid-body: drop what was received.
    req.on('close', () => {
      if (!done && !req.complete) {
        done = true;
        col.chunks = [];
        col.release();
        reject(new HttpError(400, 'upload aborted by the client'));
      }
    });
  });
}

function readMultipart(req: Request, max: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { files: 4, fileSize: max, fields: 8, fieldSize: 4096, parts: 16 } });
    } catch (err) {
      reject(new HttpError(400, `bad multipart request: ${(err as Error).message}`));
      return;
    }
    let failed = false;
    let profile: { bytes: Uint8Array; id: string } | null = null;
    let profileFilename = '';
    let name: string | undefined;
    const extras: UploadExtra[] = [];
    const collectors: Collector[] = [];
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const c of collectors) {
        c.chunks = [];
        c.release();
      }
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    bb.on('file', (field, stream, info) => {
      if (failed) {
        stream.resume();
        return;
      }
      if (field !== 'profile' && !uploadHook(field)) {
        stream.resume();
        fail(new HttpError(400, `unexpected file field "${field}" (expected "profile")`));
        return;
      }
      const col = new Collector();
      collectors.push(col);
      stream.on('data', (c: Buffer) => {
        if (!col.add(c)) fail(busy());
      });
      stream.on('limit', () => fail(tooLarge(max)));
      stream.on('end', () => {
        if (failed) return;
        const out = col.finish();
        if (field === 'profile') {
          profile = out;
          profileFilename = info.filename ?? '';
        } else {
          extras.push({ field, filename: info.filename ?? '', bytes: out.bytes });
        }
      });
    });
    bb.on('field', (field, value) => {
      if (field === 'name') name = value;
    });
    req.on('error', (err) => fail(new HttpError(400, `upload failed: ${err.message}`)));
    req.on('close', () => {
      if (!req.complete) fail(new HttpError(400, 'upload aborted by the client'));
    });
    bb.on('filesLimit', () => fail(new HttpError(400, 'too many files in the upload')));
    bb.on('error', (err: Error) => fail(new HttpError(400, `bad multipart request: ${err.message}`)));
    bb.on('close', () => {
      if (failed) return;
      if (!profile) {
        fail(new HttpError(400, 'multipart upload has no "profile" file field'));
        return;
      }
      const p: { bytes: Uint8Array; id: string } = profile;
      resolve({ bytes: p.bytes, id: p.id, name: name || profileFilename || undefined, extras });
    });
    req.pipe(bb);
  });
}

export async function readUpload(req: Request, maxBytes: number): Promise<Upload> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + (req.is('multipart/form-data') ? 64 * 1024 : 0)) {
    throw tooLarge(maxBytes);
  }
  return req.is('multipart/form-data') ? readMultipart(req, maxBytes) : readRaw(req, maxBytes);
}
