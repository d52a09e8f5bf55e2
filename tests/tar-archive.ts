// Tar (optionally gzipped) archives built by the tests themselves: source uploads, and the
// hostile entries (links, directories, fifos) the archive reader must refuse.
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export type TarEntry = {
  name: string;
  body?: string | Buffer;
  type?: 'file' | 'symlink' | 'link' | 'directory' | 'fifo';
  linkname?: string;
};

export async function makeTar(entries: TarEntry[], gzip = true): Promise<Uint8Array<ArrayBuffer>> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((res) => pack.on('end', () => res()));
  for (const e of entries) {
    const type = e.type ?? 'file';
    if (type === 'file') pack.entry({ name: e.name }, typeof e.body === 'string' ? Buffer.from(e.body) : (e.body ?? Buffer.alloc(0)));
    else pack.entry({ name: e.name, type, linkname: e.linkname });
  }
  pack.finalize();
  await done;
  const raw = Buffer.concat(chunks);
  return new Uint8Array(gzip ? gzipSync(raw) : raw);
}
