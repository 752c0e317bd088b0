// A .tar.gz of a few small text files, made with node alone: the incident
// bundle must be made on a headnode whose tools may be the very thing broken,
// and a POSIX ustar of regular files is 512-byte headers and padded contents,
// so no library is needed. zlib gzips it.
import { gzipSync } from 'node:zlib';

export interface TarFile {
  /** Relative path, '/'-separated, under 100 bytes. */
  name: string;
  content: string | Buffer;
  /** Octal permissions; 0600 by default (the bundle is for the incident's people only). */
  mode?: number;
}

const BLOCK = 512;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mode: number, mtime: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: name longer than 100 bytes: ${name}`);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('root', 265, 'ascii');
  h.write('root', 297, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** The files (under a top directory `dir`) as a gzipped ustar archive. */
export function tarGz(dir: string, files: readonly TarFile[], mtime: Date = new Date()): Buffer {
  const t = Math.floor(mtime.getTime() / 1000);
  const parts: Buffer[] = [header(`${dir}/`, 0, 0o700, t, '5')];
  for (const f of files) {
    const body = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content;
    parts.push(
      header(`${dir}/${f.name}`, body.length, f.mode ?? 0o600, t, '0'),
      body,
      Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK),
    );
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}
