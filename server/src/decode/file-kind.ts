// What an upload that is not a profile is instead, told by its first bytes (the magic
// numbers of common file formats, then text), so a user who dropped a screenshot or a log
// reads "this is a PNG image, not a profile" and how to get a profile, not a decoder's
// complaint about protobuf wire types. Only consulted after every profile format failed.

interface Magic {
  at: number;
  bytes: number[] | string;
  what: string;
}

const MAGICS: Magic[] = [
  { at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'a PNG image' },
  { at: 0, bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { at: 0, bytes: 'GIF87a', what: 'a GIF image' },
  { at: 0, bytes: 'GIF89a', what: 'a GIF image' },
  { at: 8, bytes: 'WEBP', what: 'a WebP image' },
  { at: 0, bytes: 'BM', what: 'a BMP image' },
  { at: 0, bytes: '%PDF-', what: 'a PDF document' },
  { at: 0, bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive' },
  { at: 0, bytes: 'BZh', what: 'a bzip2 archive' },
  { at: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz archive' },
  { at: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'a Zstandard archive' },
  { at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7z archive' },
  { at: 257, bytes: 'ustar', what: 'a tar archive' },
  { at: 0, bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF executable (a program, not a profile of it)' },
  { at: 0, bytes: [0xcf, 0xfa, 0xed, 0xfe], what: 'a Mach-O executable (a program, not a profile of it)' },
  { at: 0, bytes: [0xce, 0xfa, 0xed, 0xfe], what: 'a Mach-O executable (a program, not a profile of it)' },
  { at: 0, bytes: 'MZ', what: 'a Windows executable (a program, not a profile of it)' },
  { at: 0, bytes: [0x00, 0x61, 0x73, 0x6d], what: 'a WebAssembly module' },
  { at: 0, bytes: 'SQLite format 3\u0000', what: 'an SQLite database' },
  { at: 0, bytes: 'PERFILE2', what: 'a Linux perf.data file (pprof reads it once converted with perf_data_converter)' },
  { at: 0, bytes: 'go 1.', what: 'a Go execution trace (open it with go tool trace; pprof reads CPU and memory profiles)' },
];

function matches(b: Uint8Array, m: Magic): boolean {
  const want = typeof m.bytes === 'string' ? Array.from(m.bytes, (c) => c.charCodeAt(0)) : m.bytes;
  if (b.length < m.at + want.length) return false;
  for (let i = 0; i < want.length; i++) if (b[m.at + i] !== want[i]) return false;
  return true;
}

/** True when the first KiB reads as text: UTF-8 without NULs or control bytes other than whitespace. */
export function looksLikeText(b: Uint8Array): boolean {
  const head = b.subarray(0, 1024);
  for (const c of head) if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) return false;
  try {
    // Streaming: a multi-byte character cut at the end of the window is still text.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length < b.length });
    return true;
  } catch {
    return false;
  }
}

/** "a PNG image", "an HTML page", "a text file", ...; null when the bytes are none of the known kinds. */
export function fileKind(b: Uint8Array): { what: string; text: boolean } | null {
  // A Go execution trace's header is text followed by NULs: test the magic table first.
  for (const m of MAGICS) if (matches(b, m)) return { what: m.what, text: false };
  if (!looksLikeText(b)) return null;
  const head = new TextDecoder()
    .decode(b.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return { what: 'an SVG image', text: true };
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return { what: 'an HTML page', text: true };
  if (head.startsWith('<?xml')) return { what: 'an XML document', text: true };
  if (head.startsWith('{') || head.startsWith('[')) return { what: 'JSON text', text: true };
  return { what: 'a text file', text: true };
}

/** The one-line way to get a profile, for messages about files that are not one. */
export const HOW_TO_GET_A_PROFILE =
  'a profile comes from Go\'s runtime/pprof: "go test -cpuprofile cpu.prof" (or -memprofile mem.prof), ' +
  'or "curl -o cpu.prof http://HOST/debug/pprof/profile?seconds=30" from a service that imports net/http/pprof';
