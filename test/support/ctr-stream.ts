// A large, incompressible, reproducible byte stream: AES-128-CTR over zeros.
// The same bytes come from `openssl enc` on the far side (ctrShellCommand), so
// a multi-hundred-MB transfer is checked by hash without a file of that size.
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const KEY = '000102030405060708090a0b0c0d0e0f';
const IV = 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff';
const CHUNK = 1024 * 1024;

export function ctrStream(bytes: number): Readable {
  return Readable.from(
    (function* () {
      const c = createCipheriv('aes-128-ctr', Buffer.from(KEY, 'hex'), Buffer.from(IV, 'hex'));
      const zeros = Buffer.alloc(CHUNK);
      for (let left = bytes; left > 0; left -= CHUNK) yield c.update(left >= CHUNK ? zeros : zeros.subarray(0, left));
    })(),
    { objectMode: false },
  );
}

export async function ctrSha256(bytes: number): Promise<string> {
  const h = createHash('sha256');
  for await (const b of ctrStream(bytes)) h.update(b as Buffer);
  return h.digest('hex');
}

/** sh text printing the same `bytes` bytes as ctrStream (head -c of openssl's CTR output). */
export function ctrShellCommand(bytes: number): string {
  return `head -c ${bytes} /dev/zero | openssl enc -aes-128-ctr -nopad -K ${KEY} -iv ${IV}`;
}
