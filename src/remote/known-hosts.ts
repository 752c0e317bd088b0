// OpenSSH known_hosts, read-only, checked strictly (StrictHostKeyChecking=yes):
// a key we cannot positively match is never accepted.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export type HostPattern =
  { kind: 'glob'; negated: boolean; pattern: string } | { kind: 'hashed'; salt: Buffer; hmac: Buffer };

export interface KnownHostEntry {
  /** 1-based, for messages that point the operator at the file. */
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  patterns: HostPattern[];
  keyType: string;
  key: Buffer;
}

export interface KnownHosts {
  entries: KnownHostEntry[];
  /** Lines we could not read; they never match anything. */
  skipped: number[];
}

export type HostKeyStatus = 'ok' | 'unknown' | 'changed' | 'revoked';

export interface HostKeyQuery {
  host: string;
  port?: number;
  keyType: string;
  /** The raw public key blob as sent by the server. */
  key: Buffer;
}

/** OpenSSH style: SHA256:<base64 of sha256(blob), no padding>. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (first length-prefixed string). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  if (len > 64 || 4 + len > blob.length) return 'unknown';
  return blob.subarray(4, 4 + len).toString('latin1');
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeB64(s: string): Buffer | null {
  return B64.test(s) ? Buffer.from(s, 'base64') : null;
}

function parsePattern(p: string): HostPattern | null {
  if (p.startsWith('|1|')) {
    const [, , salt, hmac, ...rest] = p.split('|');
    const s = salt !== undefined ? decodeB64(salt) : null;
    const h = hmac !== undefined ? decodeB64(hmac) : null;
    if (!s || !h || h.length !== 20 || rest.length > 0) return null;
    return { kind: 'hashed', salt: s, hmac: h };
  }
  const negated = p.startsWith('!');
  const pattern = (negated ? p.slice(1) : p).toLowerCase();
  if (pattern === '') return null;
  return { kind: 'glob', negated, pattern };
}

export function parseKnownHosts(text: string): KnownHosts {
  const entries: KnownHostEntry[] = [];
  const skipped: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return void skipped.push(i + 1);
    }
    const [hosts, keyType, keyB64] = fields;
    const key = keyB64 !== undefined ? decodeB64(keyB64) : null;
    if (hosts === undefined || keyType === undefined || !key) return void skipped.push(i + 1);
    const patterns = hosts.split(',').map(parsePattern);
    if (patterns.some((p) => p === null)) return void skipped.push(i + 1);
    entries.push({ line: i + 1, marker, patterns: patterns as HostPattern[], keyType, key });
  });
  return { entries, skipped };
}

/** A missing file is an empty one: every host is then unknown, never trusted. */
export async function loadKnownHosts(path: string): Promise<KnownHosts> {
  try {
    return parseKnownHosts(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: [] };
    throw e;
  }
}

/** `*` any run, `?` one character; whole-string, case already folded. */
function globMatch(pattern: string, s: string): boolean {
  let p = 0;
  let i = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === s[i])) {
      p++;
      i++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = i;
    } else if (star >= 0) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** As ssh looks a host up: plain for port 22, [host]:port otherwise. */
export function hostLookupName(host: string, port = 22): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

function entryMatches(entry: KnownHostEntry, name: string): boolean {
  let positive = false;
  for (const p of entry.patterns) {
    if (p.kind === 'hashed') {
      const mac = createHmac('sha1', p.salt).update(name).digest();
      if (timingSafeEqual(mac, p.hmac)) positive = true;
    } else if (globMatch(p.pattern, name)) {
      // One matching negation vetoes the whole line.
      if (p.negated) return false;
      positive = true;
    }
  }
  return positive;
}

export function checkHostKey(kh: KnownHosts, q: HostKeyQuery): { status: HostKeyStatus; fingerprint: string } {
  const fingerprint = fingerprintOf(q.key);
  const name = hostLookupName(q.host, q.port);
  let known = false;
  let match = false;
  for (const e of kh.entries) {
    // A revoked key "must not ever be accepted" (sshd(8)): refuse it whatever host the line names.
    if (e.marker === 'revoked') {
      if (e.key.equals(q.key)) return { status: 'revoked', fingerprint };
      continue;
    }
    // CA lines certify other keys; we do not do certificates, so they neither trust nor refuse.
    if (e.marker === 'cert-authority' || !entryMatches(e, name)) continue;
    known = true;
    if (e.keyType === q.keyType && e.key.equals(q.key)) match = true;
  }
  // Entries of other types only still count as "changed": strict, never silently accept.
  return { status: match ? 'ok' : known ? 'changed' : 'unknown', fingerprint };
}
