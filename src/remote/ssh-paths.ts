// The console's own SSH files and config (see ssh-config.ts for why under /var):
// apart so the command line can name them without loading the schemas.
export const DEFAULT_CONFIG_PATH = '/var/sdcadm/triton-recover/config.json';
export const DEFAULT_SSH_DIR = '/var/sdcadm/triton-recover/ssh';
export const DEFAULT_IDENTITY = `${DEFAULT_SSH_DIR}/id_ed25519`;
export const DEFAULT_KNOWN_HOSTS = `${DEFAULT_SSH_DIR}/known_hosts`;
