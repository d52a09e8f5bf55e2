// Source-view feature routes: uploaded source archives and compiler escape analysis
// attached to a profile.
//   POST /api/profiles/:id/sources      .tar.gz/.tar/.zip (raw body or multipart field "sources")
//   GET  /api/profiles/:id/sources      entry names of the stored archive
//   POST /api/profiles/:id/escape       `go build -gcflags=-m[=2]` output (text body or multipart field "escape")
//   GET  /api/profiles/:id/escape       parsed decisions (attachment, else the bundled samples' data)
//   POST /api/profiles/:id/escape/run   local mode: run go build -gcflags=-m=2 in the matching module
import Busboy from 'busboy';
import { Router, type Request, type Response } from 'express';
import { NotFoundError, type AppContext, type StoredProfileInfo } from '../context.js';
import { HttpError } from '../errors.js';
import { registerUploadHook } from '../upload-hooks.js';
import { profileFiles } from '../analysis/feature-ops.js';
import {
  ArchiveError,
  ESCAPE_ATTACHMENT,
  SOURCES_ATTACHMENT,
  bundledEscapeReport,
  loadArchive,
  loadEscape,
  parseEscapeOutput,
} from '../../source/index.js';
import { archiveFileNames } from '../../source/archive.js';
import { escapeReportToJson, matchEscapeFile, type EscapeReport } from '../../source/escape.js';
import { EscapeRunError, runEscapeAnalysis } from '../../source/escape-run.js';

async function infoOr404(ctx: AppContext, id: string): Promise<StoredProfileInfo> {
  const info = /^[A-Za-z0-9_-]{1,128}$/.test(id) ? await ctx.profileInfo(id) : null;
  if (!info) throw new NotFoundError(`no profile with id ${id}`);
  return info;
}

/** Request body as bytes: the raw body, or the named file field of a multipart form. */
function readBody(req: Request, max: number, field: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      req.unpipe();
      req.resume();
      reject(err);
    };
    const tooLarge = (): HttpError => new HttpError(413, `${field} larger than the limit of ${max} bytes`);
    const collect = (stream: NodeJS.ReadableStream, done: (b: Uint8Array) => void): void => {
      const chunks: Buffer[] = [];
      let n = 0;
      stream.on('data', (c: Buffer) => {
        if (failed) return;
        n += c.length;
        if (n > max) fail(tooLarge());
        else chunks.push(c);
      });
      stream.on('end', () => {
        if (!failed) done(new Uint8Array(Buffer.concat(chunks, n)));
      });
      stream.on('error', (e: Error) => fail(e));
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max + 64 * 1024) {
      fail(tooLarge());
      return;
    }
    if (!req.is('multipart/form-data')) {
      collect(req, resolve);
      return;
    }
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { files: 1, fileSize: max, fields: 4, parts: 8 } });
    } catch (err) {
      fail(new HttpError(400, `bad multipart request: ${(err as Error).message}`));
      return;
    }
    let got: Uint8Array | null = null;
    bb.on('file', (name, stream) => {
      if (name !== field) {
        stream.resume();
        fail(new HttpError(400, `unexpected file field "${name}" (expected "${field}")`));
        return;
      }
      stream.on('limit', () => fail(tooLarge()));
      collect(stream, (b) => (got = b));
    });
    bb.on('error', (e: Error) => fail(new HttpError(400, `bad multipart request: ${e.message}`)));
    bb.on('close', () => {
      if (failed) return;
      if (!got) fail(new HttpError(400, `multipart request has no "${field}" file field`));
      else resolve(got);
    });
    req.pipe(bb);
  });
}

/** Validates an archive and stores it as the profile's sources; maps archive problems to 4xx. */
async function storeSources(ctx: AppContext, id: string, bytes: Uint8Array): Promise<{ files: number; bytes: number; format: string }> {
  if (bytes.length === 0) throw new HttpError(400, 'empty sources archive');
  let archive;
  try {
    archive = await loadArchive(bytes);
  } catch (err) {
    if (err instanceof ArchiveError) throw new HttpError(err.tooLarge ? 413 : 400, `sources archive rejected: ${err.message}`);
    throw err;
  }
  await ctx.putAttachment(id, SOURCES_ATTACHMENT, bytes);
  return { files: archive.files.size, bytes: archive.totalBytes, format: archive.format };
}

function summary(report: EscapeReport): { decisions: number; files: string[] } {
  return { decisions: report.count, files: [...report.files.keys()].sort() };
}

/**
 * The profile's source file names. Decoding a large profile takes seconds, so the analysis
 * pool answers where the profile is cached; a context without one decodes here.
 */
async function profileFileNames(ctx: AppContext, id: string): Promise<string[]> {
  if (ctx.analyze) return JSON.parse(await ctx.analyze({ op: 'files', id })) as string[];
  return profileFiles(await ctx.loadProfile(id));
}

/** Bundled samples' decisions restricted to the files of this profile (exact names). */
async function bundledFor(ctx: AppContext, id: string): Promise<EscapeReport | null> {
  const all = bundledEscapeReport();
  if (!all) return null;
  const files = new Map<string, Map<number, import('../../source/escape.js').EscapeDecision[]>>();
  let count = 0;
  for (const name of await profileFileNames(ctx, id)) {
    const byLine = all.files.get(name);
    if (byLine && !files.has(name)) {
      files.set(name, byLine);
      for (const ds of byLine.values()) count += ds.length;
    }
  }
  return files.size > 0 ? { files, count } : null;
}

export function sourcesRouter(ctx: AppContext): Router {
  const r = Router();
  const max = ctx.config.maxUploadBytes;

  // The `sources` field of POST /api/profiles lands here once the profile is stored.
  registerUploadHook({
    field: 'sources',
    async handle(c, profile, file) {
      await storeSources(c, profile.id, file.bytes);
    },
  });

  r.post('/api/profiles/:id/sources', async (req: Request<{ id: string }>, res: Response) => {
    const info = await infoOr404(ctx, req.params.id);
    const bytes = await readBody(req, max, 'sources');
    const out = await storeSources(ctx, info.id, bytes);
    res.status(201).json({ id: info.id, ...out });
  });

  r.get('/api/profiles/:id/sources', async (req: Request<{ id: string }>, res: Response) => {
    const info = await infoOr404(ctx, req.params.id);
    const bytes = await ctx.getAttachment(info.id, SOURCES_ATTACHMENT);
    if (!bytes) throw new NotFoundError(`no sources uploaded for profile ${info.id}`);
    const archive = await loadArchive(bytes);
    res.json({ id: info.id, format: archive.format, bytes: archive.totalBytes, files: archiveFileNames(archive) });
  });

  r.post('/api/profiles/:id/escape', async (req: Request<{ id: string }>, res: Response) => {
    const info = await infoOr404(ctx, req.params.id);
    const bytes = await readBody(req, max, 'escape');
    const report = parseEscapeOutput(new TextDecoder().decode(bytes));
    if (report.count === 0) {
      throw new HttpError(400, 'no compiler diagnostics found: expected `go build -gcflags=-m` or `-m=2` output (lines like "main.go:12:6: x escapes to heap")');
    }
    await ctx.putAttachment(info.id, ESCAPE_ATTACHMENT, bytes);
    res.status(201).json({ id: info.id, ...summary(report) });
  });

  r.get('/api/profiles/:id/escape', async (req: Request<{ id: string }>, res: Response) => {
    const info = await infoOr404(ctx, req.params.id);
    const bytes = await ctx.getAttachment(info.id, ESCAPE_ATTACHMENT);
    const report = bytes ? loadEscape(bytes) : await bundledFor(ctx, info.id);
    if (!report) throw new NotFoundError(`no escape analysis for profile ${info.id}; POST go build -gcflags=-m=2 output to /api/profiles/${info.id}/escape`);
    const file = typeof req.query.file === 'string' ? req.query.file : '';
    let files = escapeReportToJson(report);
    if (file) {
      const match = matchEscapeFile(report, file);
      files = match ? { [match]: files[match] } : {};
    }
    res.json({ id: info.id, source: bytes ? 'attachment' : 'samples', decisions: report.count, files });
  });

  r.post('/api/profiles/:id/escape/run', async (req: Request<{ id: string }>, res: Response) => {
    const info = await infoOr404(ctx, req.params.id);
    if (ctx.config.shared) throw new HttpError(403, 'running the Go compiler is disabled on a shared server; POST -m=2 output to /api/profiles/:id/escape instead');
    const files = await profileFileNames(ctx, info.id);
    try {
      const out = await runEscapeAnalysis(ctx.config.sourcePaths, files);
      await ctx.putAttachment(info.id, ESCAPE_ATTACHMENT, new TextEncoder().encode(out.text));
      res.status(201).json({ id: info.id, dir: out.dir, module: out.module, trimpath: out.trimpath, decisions: out.decisions });
    } catch (err) {
      if (err instanceof EscapeRunError) throw new HttpError(err.status, err.message);
      throw err;
    }
  });

  return r;
}
