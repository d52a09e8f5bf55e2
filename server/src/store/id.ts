// Content-derived profile ids: the first 160 bits of the SHA-256 of the stored bytes,
// in lowercase RFC 4648 base32 (32 chars). Same bytes give the same id; an id cannot be
// guessed without the bytes, so a link is only as public as the profile it points to.
import { createHash, randomBytes, type Hash } from 'node:crypto';

export const ID_PATTERN = /^[a-z2-7]{32}$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const ID_BYTES = 20;

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

export function idFromDigest(digest: Uint8Array): string {
  return base32(digest.subarray(0, ID_BYTES));
}

/**
 * The id of a later upload of bytes already stored (types.ts): random, in the same alphabet
 * and length, so it is as unguessable as a content id and every route accepts it.
 */
export function newUploadId(): string {
  return base32(randomBytes(ID_BYTES));
}

export function profileId(bytes: Uint8Array): string {
  return idFromDigest(createHash('sha256').update(bytes).digest());
}

/** For hashing an upload while it streams in. */
export function newIdHasher(): Hash {
  return createHash('sha256');
}

/** Attachment keys name files inside the store: a short safe token, never a path. */
export const ATTACHMENT_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export function isValidAttachmentKey(key: string): boolean {
  return ATTACHMENT_KEY_PATTERN.test(key) && !key.includes('..');
}
