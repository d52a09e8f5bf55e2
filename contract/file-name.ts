// Download names from the profile's own name ("checkout/cpu.pb.gz" -> "cpu" + suffix),
// with only characters safe in every file system and a Content-Disposition header.
// Shared by the server's exports and the web UI's image exports.
export function exportFileName(profileName: string, suffix: string): string {
  const base = profileName.split(/[\\/]/).pop() ?? '';
  const stem = base
    .replace(/\.(pb\.gz|pb|prof|pprof|gz|out)$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
  return (stem || 'profile') + suffix;
}

/**
 * The stored profile's own file name for a download ("checkout/mem.prof" -> "mem.prof"),
 * with only characters safe in every file system and a quoted header; `${id}.pb.gz` when
 * nothing is left of it.
 */
export function downloadName(profileName: string, id: string): string {
  const base = profileName.split(/[\\/]/).pop() ?? '';
  const safe = base
    .replace(/[^A-Za-z0-9._ -]+/g, '_')
    .replace(/^[._ ]+/, '')
    .trim()
    .slice(0, 150);
  return safe || `${id}.pb.gz`;
}
