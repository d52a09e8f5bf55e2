// Merging stored profiles: POST /api/profiles/merge {ids} stores their sum (as
// `go tool pprof A B C` merges them) and answers its id and link; the merged profile
// remembers its inputs (attachment merge-inputs.json), and GET .../merge/inputs tells
// how much each input contributes to a flame graph frame.
import express, { Router, type Request, type Response } from 'express';
import { IncompatibleProfilesError } from '../../analysis/merge.js';
import type { MergeInput, MergeInputsReport, MergeResult, MergeShares } from '../../../../contract/merge.js';
import type { ProfileService } from '../../service/service.js';
import { HttpError } from '../errors.js';
import { parseFlameOptions, parseQuery, type RawQuery } from '../query-params.js';

const INPUTS_KEY = 'merge-inputs.json';
const MAX_INPUTS = 64;

function idsOf(body: unknown): string[] {
  const ids = (body as { ids?: unknown } | null)?.ids;
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) {
    throw new HttpError(400, 'send a JSON body {"ids": ["<profile id>", "<profile id>", ...]} naming the stored profiles to merge');
  }
  if (ids.length < 2) throw new HttpError(400, `merging needs at least two profile ids, got ${ids.length}`);
  if (ids.length > MAX_INPUTS) throw new HttpError(400, `at most ${MAX_INPUTS} profiles can be merged at once, got ${ids.length}`);
  return ids as string[];
}

export function mergeRouter(service: ProfileService): Router {
  const r = Router();
  const json = express.json({ limit: '16kb' });

  r.post('/api/profiles/merge', json, async (req: Request, res: Response) => {
    const ids = idsOf(req.body);
    const inputs: MergeInput[] = [];
    for (const id of ids) inputs.push({ id, name: (await service.info(id)).name });
    let bytes: Uint8Array;
    try {
      bytes = await service.merge(ids);
    } catch (e) {
      if (e instanceof IncompatibleProfilesError) {
        throw new HttpError(
          400,
          `cannot merge ${inputs.map((i) => `${i.name} (${i.id})`).join(', ')}: they are not the same kind of profile (${e.message})`,
        );
      }
      throw e;
    }
    const name = `merge of ${inputs.length}: ${inputs.map((i) => i.name).join(' + ')}`;
    const info = await service.storeProfile(bytes, name);
    await service.putAttachment(info.id, INPUTS_KEY, new TextEncoder().encode(JSON.stringify({ inputs })));
    const body: MergeResult = { id: info.id, url: `/p/${info.id}`, name: info.name, type: info.type, inputs };
    res.status(201).json(body);
  });

  r.get('/api/profiles/:id/merge/inputs', async (req: Request<{ id: string }>, res: Response) => {
    const id = req.params.id;
    const q = req.query as RawQuery;
    const path = parseFlameOptions(q).path ?? [];
    const query = parseQuery(q);
    await service.info(id);
    const stored = await service.getAttachment(id, INPUTS_KEY);
    if (!stored) throw new HttpError(404, `profile ${id} was not made by merging stored profiles here`);
    const { inputs } = JSON.parse(new TextDecoder().decode(stored)) as { inputs: MergeInput[] };
    const shares = JSON.parse(await service.view({ op: 'mergeShares', id, inputs: inputs.map((i) => i.id), query, path })) as MergeShares;
    const body: MergeInputsReport = { id, ...shares, inputs: shares.inputs.map((s, i) => ({ ...s, name: inputs[i]!.name })) };
    res.json(body);
  });

  return r;
}
