// Extra multipart file fields on POST /api/profiles (e.g. `sources`, an archive of the
// program's source tree). A feature registers the field it accepts; the upload route hands
// it the bytes after the profile itself is stored.
import type { ProfileService } from '../service/service.js';
import type { StoredProfileInfo } from '../store/types.js';
import type { BodyFile } from './body.js';

export type UploadExtra = BodyFile;

export interface UploadHook {
  field: string;
  handle(service: ProfileService, profile: StoredProfileInfo, file: UploadExtra): Promise<void>;
}

const hooks = new Map<string, UploadHook>();

export function registerUploadHook(hook: UploadHook): void {
  hooks.set(hook.field, hook);
}

export function uploadHook(field: string): UploadHook | undefined {
  return hooks.get(field);
}
