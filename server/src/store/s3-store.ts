// Scale-out store: an S3-compatible bucket shared by any number of server instances.
//   <prefix>profiles/<id>.pb        the uploaded bytes (under their content id)
//   <prefix>meta/<id>.json          metadata (written after the bytes; its presence = stored)
//   <prefix>refs/<content>/<id>     empty marker: upload <id> reads the bytes of <content>
//                                   (types.ts), so deleting one upload keeps bytes others read;
//                                   written before the bytes, so an upload still in flight counts
//   <prefix>attachments/<id>/<key>  per-profile extra blobs
// Instances keep nothing but caches. Metadata changes (rename, expiry, delete by another
// instance) so it is cached for INFO_TTL_MS only; the bytes are re-read and re-hashed.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { isValidAttachmentKey, isValidId, profileId } from './id.js';
import { contentOf, parseInfo, sortNewestFirst, type ProfileStore, type StoreConfig, type StoredProfileInfo } from './types.js';

type S3Config = Extract<StoreConfig, { backend: 's3' }>;

/** How long another instance's rename or delete may go unseen here. */
const INFO_TTL_MS = 5_000;

function isNotFound(err: unknown): boolean {
  if (err instanceof S3ServiceException) {
    return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404;
  }
  return false;
}

function isPreconditionFailed(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.name === 'PreconditionFailed' || err.$metadata?.httpStatusCode === 412);
}

export class S3ProfileStore implements ProfileStore {
  readonly backend = 's3' as const;
  private client: S3Client;
  private infoCache = new Map<string, { info: StoredProfileInfo; at: number }>();

  constructor(private cfg: S3Config) {
    this.client = new S3Client({
      endpoint: cfg.endpoint,
      region: cfg.region,
      forcePathStyle: true,
      // Non-AWS servers (Ceph RGW) reject the SDK's default aws-chunked trailing checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials:
        cfg.accessKeyId && cfg.secretAccessKey ? { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey } : undefined,
    });
  }

  private key(...parts: string[]): string {
    return this.cfg.prefix + parts.join('/');
  }

  async init(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.cfg.bucket }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.client.send(new CreateBucketCommand({ Bucket: this.cfg.bucket }));
      } catch (e) {
        // Another instance may have created it in between.
        if (!(e instanceof S3ServiceException && /BucketAlready/.test(e.name))) throw e;
      }
    }
  }

  private async getBytes(key: string): Promise<Uint8Array | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.cfg.bucket, Key: key }));
      if (!out.Body) return new Uint8Array(0);
      return await out.Body.transformToByteArray();
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async put(bytes: Uint8Array, info: StoredProfileInfo): Promise<StoredProfileInfo> {
    if (!isValidId(info.id)) throw new Error(`invalid profile id ${info.id}`);
    const existing = await this.info(info.id);
    if (existing) return existing;
    const content = contentOf(info);
    if (!isValidId(content)) throw new Error(`invalid content id ${content}`);
    // The reference first, then the bytes (again, if another upload stored them): a delete
    // of the last other upload racing this one either sees the reference and keeps the
    // bytes, or is followed by this write, or puts back what it removed (delete()).
    await this.client.send(
      new PutObjectCommand({ Bucket: this.cfg.bucket, Key: this.key('refs', content, info.id), Body: '', ContentLength: 0 }),
    );
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.cfg.bucket,
        Key: this.key('profiles', `${content}.pb`),
        Body: bytes,
        ContentLength: bytes.byteLength,
        ContentType: 'application/octet-stream',
      }),
    );
    try {
      // If-None-Match: the first instance to store these bytes keeps its name and time.
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.cfg.bucket,
          Key: this.key('meta', `${info.id}.json`),
          Body: JSON.stringify(info),
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
      );
    } catch (err) {
      if (!isPreconditionFailed(err)) throw err;
      const winner = await this.info(info.id);
      if (winner) return winner;
    }
    this.cacheInfo(info);
    return info;
  }

  private cacheInfo(info: StoredProfileInfo): void {
    if (this.infoCache.size >= 100_000) this.infoCache.clear();
    this.infoCache.set(info.id, { info, at: Date.now() });
  }

  async get(id: string): Promise<Uint8Array | null> {
    if (!isValidId(id)) return null;
    const info = await this.info(id);
    if (!info) return null;
    const content = contentOf(info);
    const bytes = await this.getBytes(this.key('profiles', `${content}.pb`));
    if (!bytes || profileId(bytes) !== content) return null;
    return bytes;
  }

  private async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(new ListObjectsV2Command({ Bucket: this.cfg.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async byContent(contentId: string): Promise<StoredProfileInfo[]> {
    if (!isValidId(contentId)) return [];
    const prefix = this.key('refs', contentId, '');
    // The content id itself: uploads stored before they wrote a reference for it.
    const ids = [...new Set([contentId, ...(await this.listKeys(prefix)).map((k) => k.slice(prefix.length)).filter(isValidId)])];
    const infos = await Promise.all(ids.map((id) => this.info(id)));
    return infos.filter((i): i is StoredProfileInfo => i !== null && contentOf(i) === contentId);
  }

  async info(id: string): Promise<StoredProfileInfo | null> {
    if (!isValidId(id)) return null;
    const cached = this.infoCache.get(id);
    if (cached && Date.now() - cached.at < INFO_TTL_MS) return cached.info;
    this.infoCache.delete(id);
    const raw = await this.getBytes(this.key('meta', `${id}.json`));
    if (!raw) return null;
    const info = parseInfo(Buffer.from(raw).toString('utf8'), id);
    if (info) this.cacheInfo(info);
    return info;
  }

  async list(): Promise<StoredProfileInfo[]> {
    const ids: string[] = [];
    let token: string | undefined;
    const prefix = this.key('meta', '');
    do {
      const out = await this.client.send(new ListObjectsV2Command({ Bucket: this.cfg.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of out.Contents ?? []) {
        const m = /^([a-z2-7]{32})\.json$/.exec((o.Key ?? '').slice(prefix.length));
        if (m) ids.push(m[1]);
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    // Fetch unknown metadata a few at a time; known ids come from the cache.
    const result: StoredProfileInfo[] = [];
    for (let i = 0; i < ids.length; i += 16) {
      const batch = await Promise.all(ids.slice(i, i + 16).map((id) => this.info(id)));
      for (const info of batch) if (info) result.push(info);
    }
    return sortNewestFirst(result);
  }

  async putAttachment(id: string, key: string, bytes: Uint8Array): Promise<void> {
    if (!isValidId(id) || !isValidAttachmentKey(key)) throw new Error(`invalid attachment ${id}/${key}`);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.cfg.bucket,
        Key: this.key('attachments', id, key),
        Body: bytes,
        ContentLength: bytes.byteLength,
      }),
    );
  }

  async getAttachment(id: string, key: string): Promise<Uint8Array | null> {
    if (!isValidId(id) || !isValidAttachmentKey(key)) return null;
    return this.getBytes(this.key('attachments', id, key));
  }

  async update(info: StoredProfileInfo): Promise<boolean> {
    this.infoCache.delete(info.id);
    if (!(await this.info(info.id))) return false;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.cfg.bucket,
        Key: this.key('meta', `${info.id}.json`),
        Body: JSON.stringify(info),
        ContentType: 'application/json',
      }),
    );
    this.cacheInfo(info);
    return true;
  }

  async delete(id: string): Promise<boolean> {
    if (!isValidId(id)) return false;
    this.infoCache.delete(id);
    const raw = await this.getBytes(this.key('meta', `${id}.json`));
    const found = raw !== null;
    const info = raw ? parseInfo(Buffer.from(raw).toString('utf8'), id) : null;
    const content = info ? contentOf(info) : id;
    // Metadata first: without it the profile no longer counts as stored on any instance.
    const keys = [this.key('meta', `${id}.json`), this.key('refs', content, id)];
    keys.push(...(await this.listKeys(this.key('attachments', id, ''))));
    for (const key of keys) {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.cfg.bucket, Key: key }));
    }
    this.infoCache.delete(id);
    await this.dropBytesUnlessRead(content);
    return found;
  }

  /**
   * Removes the bytes of `content` when no upload reads them: none has a reference (an
   * upload in flight has written its reference, not yet its metadata) and none is stored
   * under the content id itself (stored before references were written for it). An upload
   * that writes its reference after the check would rewrite the bytes after this removal,
   * unless it wrote them just before; so the removed bytes go back when a reference appears.
   * A reference left by an upload that died before its metadata keeps the bytes: kept, not lost.
   */
  private async dropBytesUnlessRead(content: string): Promise<void> {
    const readers = async () =>
      (await this.listKeys(this.key('refs', content, ''))).length > 0 ||
      (await this.getBytes(this.key('meta', `${content}.json`))) !== null;
    if (await readers()) return;
    const key = this.key('profiles', `${content}.pb`);
    const bytes = await this.getBytes(key);
    if (!bytes) return;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.cfg.bucket, Key: key }));
    if (await readers()) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.cfg.bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: 'application/octet-stream',
        }),
      );
    }
  }
}
