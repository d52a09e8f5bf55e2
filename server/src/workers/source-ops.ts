// How `list`/source views' JSON is annotated with escape analysis. Runs where the view is
// computed (an analysis worker, or the HTTP thread with --workers 0), so it only uses what
// it is given (config and attachment access). The work is done by the source layer
// (server/src/source/).
import type { SourceListing } from '../../../contract/views.js';
import type { ServerConfig } from '../service/config.js';
import { annotateListing, bundledEscapeReport, escapeReportFor, sourceHint } from '../source/index.js';

export interface SourceReaderEnv {
  config: ServerConfig;
  getAttachment(id: string, key: string): Promise<Uint8Array | null>;
}

/**
 * Adds optional per-line `escape` decisions and `escapeMarker` flags (and a mode-aware
 * `missing.hint`) to a computed listing. Decisions come from the profile's 'escape'
 * attachment, else from the bundled samples' escape.txt for their exact file names.
 */
export async function annotateSourceListing(profileId: string, listing: SourceListing, env: SourceReaderEnv): Promise<SourceListing> {
  const hint = sourceHint(env.config.shared, profileId);
  const own = await escapeReportFor(profileId, env);
  if (own) return annotateListing(listing, own, { hint, source: 'attachment' });
  return annotateListing(listing, bundledEscapeReport(), { hint, exactOnly: true, source: 'samples' });
}
