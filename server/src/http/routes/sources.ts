// Source-view feature routes: uploaded source archives and compiler escape analysis
// attached to a profile.
//   POST /api/profiles/:id/sources      .tar.gz/.tar/.zip (raw body or multipart field "sources")
//   GET  /api/profiles/:id/sources      entry names of the stored archive
//   POST /api/profiles/:id/escape       `go build -gcflags=-m[=2]` output (text body or multipart field "escape")
//   GET  /api/profiles/:id/escape       parsed decisions (attachment, else the bundled samples' data)
//   POST /api/profiles/:id/escape/run   local mode: run go build -gcflags=-m=2 in the matching module
import { Router, type Request, type Response } from 'express';
import type { ProfileService } from '../../service/service.js';
import { readBody } from '../body.js';
import { HttpError, NotFoundError } from '../errors.js';
import { str, type RawQuery } from '../query-params.js';
import { registerUploadHook } from '../upload-hooks.js';
import {
  ESCAPE_ATTACHMENT,
  SOURCES_ATTACHMENT,
  bundledEscapeReport,
  loadArchive,
  loadEscape,
  parseEscapeOutput,
} from '../../source/index.js';
import { archiveFileNames } from '../../source/archive.js';
import { escapeReportToJson, matchEscapeFile, type EscapeDecision, type EscapeReport } from '../../source/escape.js';
import { runEscapeAnalysis } from '../../source/escape-run.js';

/** Request body as bytes: the raw body, or the named file field of a multipart form. */
async function readFile(req: Request, max: number, field: string): Promise<Uint8Array> {
  const body = await readBody(req, { max, field, what: field });
  return body.files[0].bytes;
}

/** Validates an archive and stores it as the profile's sources; maps archive problems to 4xx. */
async function storeSources(
  service: ProfileService,
  id: string,
  bytes: Uint8Array,
): Promise<{ files: number; bytes: number; format: string }> {
  if (bytes.length === 0) throw new HttpError(400, 'empty sources archive');
  const archive = await loadArchive(bytes);
  await service.putAttachment(id, SOURCES_ATTACHMENT, bytes);
  return { files: archive.files.size, bytes: archive.totalBytes, format: archive.format };
}

function summary(report: EscapeReport): { decisions: number; files: string[] } {
  return { decisions: report.count, files: [...report.files.keys()].sort() };
}

/**
 * The profile's source file names. Decoding a large profile takes seconds, so the analysis
 * pool answers where the profile is cached.
 */
async function profileFileNames(service: ProfileService, id: string): Promise<string[]> {
  return JSON.parse(await service.view({ op: 'files', id })) as string[];
}

/** Bundled samples' decisions restricted to the files of this profile (exact names). */
async function bundledFor(service: ProfileService, id: string): Promise<EscapeReport | null> {
  const all = bundledEscapeReport();
  if (!all) return null;
  const files = new Map<string, Map<number, EscapeDecision[]>>();
  let count = 0;
  for (const name of await profileFileNames(service, id)) {
    const byLine = all.files.get(name);
    if (byLine && !files.has(name)) {
      files.set(name, byLine);
      for (const ds of byLine.values()) count += ds.length;
    }
  }
  return files.size > 0 ? { files, count } : null;
}

export function sourcesRouter(service: ProfileService): Router {
  const r = Router();
  const { config } = service;
  const max = config.maxUploadBytes;

  // The `sources` field of POST /api/profiles lands here once the profile is stored.
  registerUploadHook({
    field: 'sources',
    async handle(c, profile, file) {
      await storeSources(c, profile.id, file.bytes);
    },
  });

  r.post('/api/profiles/:id/sources', async (req: Request<{ id: string }>, res: Response) => {
    const info = await service.info(req.params.id);
    const bytes = await readFile(req, max, 'sources');
    const out = await storeSources(service, info.id, bytes);
    res.status(201).json({ id: info.id, ...out });
  });

  r.get('/api/profiles/:id/sources', async (req: Request<{ id: string }>, res: Response) => {
    const info = await service.info(req.params.id);
    const bytes = await service.getAttachment(info.id, SOURCES_ATTACHMENT);
    if (!bytes) throw new NotFoundError(`no sources uploaded for profile ${info.id}`);
    const archive = await loadArchive(bytes);
    res.json({ id: info.id, format: archive.format, bytes: archive.totalBytes, files: archiveFileNames(archive) });
  });

  r.post('/api/profiles/:id/escape', async (req: Request<{ id: string }>, res: Response) => {
    const info = await service.info(req.params.id);
    const bytes = await readFile(req, max, 'escape');
    const report = parseEscapeOutput(new TextDecoder().decode(bytes));
    if (report.count === 0) {
      throw new HttpError(
        400,
        'no compiler diagnostics found: expected `go build -gcflags=-m` or `-m=2` output (lines like "main.go:12:6: x escapes to heap")',
      );
    }
    await service.putAttachment(info.id, ESCAPE_ATTACHMENT, bytes);
    res.status(201).json({ id: info.id, ...summary(report) });
  });

  r.get('/api/profiles/:id/escape', async (req: Request<{ id: string }>, res: Response) => {
    const info = await service.info(req.params.id);
    const bytes = await service.getAttachment(info.id, ESCAPE_ATTACHMENT);
    const report = bytes ? loadEscape(bytes) : await bundledFor(service, info.id);
    if (!report)
      throw new NotFoundError(
        `no escape analysis for profile ${info.id}; POST go build -gcflags=-m=2 output to /api/profiles/${info.id}/escape`,
      );
    const file = str(req.query as RawQuery, 'file') ?? '';
    let files = escapeReportToJson(report);
    if (file) {
      const match = matchEscapeFile(report, file);
      files = match ? { [match]: files[match] } : {};
    }
    res.json({ id: info.id, source: bytes ? 'attachment' : 'samples', decisions: report.count, files });
  });

  r.post('/api/profiles/:id/escape/run', async (req: Request<{ id: string }>, res: Response) => {
    const info = await service.info(req.params.id);
    if (config.shared)
      throw new HttpError(
        403,
        'running the Go compiler is disabled on a shared server; POST -m=2 output to /api/profiles/:id/escape instead',
      );
    const files = await profileFileNames(service, info.id);
    const out = await runEscapeAnalysis(config.sourcePaths, files);
    await service.putAttachment(info.id, ESCAPE_ATTACHMENT, new TextEncoder().encode(out.text));
    res.status(201).json({ id: info.id, dir: out.dir, module: out.module, trimpath: out.trimpath, decisions: out.decisions });
  });

  return r;
}
