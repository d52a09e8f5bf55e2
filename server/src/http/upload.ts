// Reads an uploaded profile from a request (body.ts): the raw body (any content type), or
// multipart/form-data with a `profile` file field, an optional `name` text field and any
// registered extra file fields (upload-hooks.ts). The id is computed while it streams in.
import type { Request } from 'express';
import { readBody } from './body.js';
import { uploadHook, type UploadExtra } from './upload-hooks.js';

export interface Upload {
  /** Owns its whole ArrayBuffer (it may be transferred to a worker). */
  bytes: Uint8Array;
  id: string;
  name?: string;
  extras: UploadExtra[];
}

export async function readUpload(req: Request, maxBytes: number): Promise<Upload> {
  const body = await readBody(req, {
    max: maxBytes,
    field: 'profile',
    accept: (field) => uploadHook(field) !== undefined,
    what: 'upload',
    raise: 'serve --max-upload-mb raises it',
    hash: true,
    maxFiles: 4,
  });
  const [profile, ...extras] = body.files;
  const q = req.query.name;
  const name = req.is('multipart/form-data') ? body.text.name || profile.filename || undefined : typeof q === 'string' ? q : undefined;
  return { bytes: profile.bytes, id: profile.id!, name, extras };
}
