// Where `list`/source views get file text from, and how their JSON is annotated with
// escape analysis. Both run in analysis workers and on the HTTP thread, so they only
// use what they are given (config and attachment access). The work is done by the
// source layer (server/src/source/).
import type { Profile } from '../model/profile.js';
import type { SourceListing } from '../model/views.js';
import type { SourceReader } from '../report/index.js';
import { annotateListing, bundledEscapeReport, createSourceReader, escapeReportFor, sourceHint } from '../source/index.js';
import type { ServerConfig } from './context.js';

export interface SourceReaderEnv {
  config: ServerConfig;
  getAttachment(id: string, key: string): Promise<Uint8Array | null>;
}

export const NULL_SOURCE_READER: SourceReader = {
  read: () => ({ text: null, tried: [] }),
};

/** The profile (when given) picks the GOROOT of its Go release for standard-library files. */
export async function sourceReaderFor(profileId: string, env: SourceReaderEnv, profile: Profile | null = null): Promise<SourceReader> {
  return createSourceReader(profileId, env.config, env, profile);
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
