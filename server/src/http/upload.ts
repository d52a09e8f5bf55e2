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

/** Collects chunks into one exactly sized, unshared buffer. */
class Collector {
  chunks: Buffer[] = [];
  length = 0;
  hasher = newIdHasher();
  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.hasher.update(chunk);
  }
  finish(): { bytes: Uint8Array; id: string } {
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
      col.add(chunk);
      if (col.length > max) {
        done = true;
        col.chunks = [];
        req.pause();
        reject(tooLarge(max));
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
        reject(new HttpError(400, `upload failed: ${err.message}`));
      }
    });
    // A client that disconnects mid-body: drop what was received.
    req.on('close', () => {
      if (!done && !req.complete) {
        done = true;
        col.chunks = [];
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
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
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
      stream.on('data', (c: Buffer) => col.add(c));
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
