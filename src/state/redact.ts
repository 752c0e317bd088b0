// Secrets out of what people read: plan output, reports, the journal's
// transcript, the log pane. sapi0's customer_metadata carries the whole
// /usbkey/config as `usbkey_config` (root password hashes, UFDS passwords), and
// sapi0's and assets0's carry `ufds_ldap_root_pw` (sdc-headnode
// scripts/build-payload.js). restore-data keeps them raw: the restore needs them.
// Pure: no I/O.

export const REDACTED = '<redacted>';

/**
 * Passwords, password hashes, private keys and tokens, in JSON keys
 * (`ufds_ldap_root_pw`) and in /usbkey/config lines (`root_shadow=`). Public
 * keys are not secret: `root_authorized_keys`, `*_public_key` stay visible.
 */
const SECRET = /usbkey_config|pw$|passw|secret|private_?key|shadow|_key$|token/i;
const PUBLIC = /public_?key$|pub_?key$|authorized_keys$/i;

export function isSecretKey(key: string): boolean {
  const k = key.replace(/-/g, '_');
  return SECRET.test(k) && !PUBLIC.test(k);
}

/** A copy of any JSON-ish value with every secret value replaced; strings go through redactText. */
export function redact<T>(v: T): T {
  return redactAny(v) as T;
}

function redactAny(v: unknown): unknown {
  if (typeof v === 'string') return redactText(v);
  if (Array.isArray(v)) return v.map(redactAny);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        isSecretKey(k) && x !== null && x !== undefined && x !== '' ? REDACTED : redactAny(x),
      ]),
    );
  }
  return v;
}

/** `"key": "value"` in JSON text, possibly cut short (outputs are truncated), escaped quotes included. */
const JSON_PAIR = /("([\w.-]+)"\s*:\s*)("(?:[^"\\]|\\.)*(?:"|\\?$)|-?\d[\d.eE+-]*)/g;
/** `key=value` lines, as in /usbkey/config. */
const CONFIG_LINE = /^(\s*([\w.-]+)=).*$/gm;

/** Free text (command output, HTTP bodies, error messages) with secret values replaced. */
export function redactText(s: string): string {
  if (!s) return s;
  return s
    .replace(JSON_PAIR, (m, head: string, key: string) => (isSecretKey(key) ? `${head}"${REDACTED}"` : m))
    .replace(CONFIG_LINE, (m, head: string, key: string) => (isSecretKey(key) ? `${head}${REDACTED}` : m));
}
