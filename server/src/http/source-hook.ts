// Where `list`/source views get file text from. Until the source layer (server/src/source/)
// plugs in here, nothing is found and the listing marks every routine as missing.
// The source engineer replaces the body of sourceReaderFor; it runs in analysis workers
// and on the HTTP thread, so it may only use what it is given.
import type { SourceReader } from '../report/index.js';
import type { ServerConfig } from './context.js';

export interface SourceReaderEnv {
  config: ServerConfig;
  getAttachment(id: string, key: string): Promise<Uint8Array | null>;
}

export const NULL_SOURCE_READER: SourceReader = {
  read: () => ({ text: null, tried: [] }),
};

export async function sourceReaderFor(_profileId: string, _env: SourceReaderEnv): Promise<SourceReader> {
  return NULL_SOURCE_READER;
}
