// Key pairs for the simulator's SSH server and its tests. ssh2's ed25519
// generator drops a leading zero byte of the public key about once in 256
// pairs, and its own parser then rejects the key (mscdex/ssh2#1513, #1390):
// such a pair is thrown away and made again. Keys from ssh-keygen are not affected.
import ssh2 from 'ssh2';

export interface KeyPair {
  private: string;
  public: string;
}

export function generateKeyPair(type: 'ed25519' | 'ecdsa' = 'ed25519'): KeyPair {
  for (let i = 0; i < 20; i++) {
    const k =
      type === 'ecdsa'
        ? ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 })
        : ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(k.private) instanceof Error) && !(ssh2.utils.parseKey(k.public) instanceof Error))
      return k;
  }
  throw new Error(`could not generate a usable ${type} key pair`);
}
