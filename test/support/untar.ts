// Unpacks a .tar.gz (ustar, regular files and directories) in memory, to read
// what a bundle holds without an external tar binary.
import { gunzipSync } from 'node:zlib';

export interface Unpacked {
  name: string;
  type: 'file' | 'dir';
  mode: number;
  content: Buffer;
}

export function untarGz(gz: Buffer): Unpacked[] {
  const buf = gunzipSync(gz);
  const out: Unpacked[] = [];
  let off = 0;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number): string =>
      h
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const sum = h.reduce((n, b, i) => n + (i >= 148 && i < 156 ? 32 : b), 0);
    if (parseInt(str(148, 8), 8) !== sum) throw new Error(`bad tar header checksum at ${off}`);
    if (str(257, 5) !== 'ustar') throw new Error(`not a ustar header at ${off}`);
    const size = parseInt(str(124, 12), 8);
    const type = str(156, 1) === '5' ? 'dir' : 'file';
    out.push({
      name: str(0, 100),
      type,
      mode: parseInt(str(100, 8), 8),
      content: Buffer.from(buf.subarray(off + 512, off + 512 + size)),
    });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
