// Saved accounts and per-account caches in the profile directory (FLINT_DATA_DIR or the app's
// userData). The password is never written here: only its KeyStore-sealed form, in its own file.
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountSettings, Contact } from '../../../shared/domain';
import type { KeyStore } from './keystore';

interface AccountsFile {
  version: 1;
  accounts: AccountSettings[];
  /** The account signed in last (resumed at start). */
  last?: string;
}

export class AccountStore {
  constructor(private readonly dir: string, private readonly keyStore: KeyStore) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  list(): AccountSettings[] {
    return this.read().accounts;
  }

  last(): AccountSettings | undefined {
    const f = this.read();
    return f.accounts.find((a) => a.jid === f.last) ?? f.accounts[0];
  }

  save(settings: AccountSettings): void {
    const f = this.read();
    const i = f.accounts.findIndex((a) => a.jid === settings.jid);
    if (i >= 0) f.accounts[i] = settings;
    else f.accounts.push(settings);
    f.last = settings.jid;
    this.writeJson('accounts.json', f);
  }

  update(jid: string, patch: Partial<AccountSettings>): AccountSettings | undefined {
    const f = this.read();
    const a = f.accounts.find((x) => x.jid === jid);
    if (!a) return undefined;
    Object.assign(a, patch);
    this.writeJson('accounts.json', f);
    return a;
  }

  savePassword(jid: string, password: string): void {
    if (!this.keyStore.isAvailable()) throw new Error('No secure storage is available on this system, so the password cannot be remembered.');
    const sealed = this.keyStore.encrypt(password);
    this.writeFile(this.secretName(jid), Buffer.from(sealed));
  }

  loadPassword(jid: string): string | undefined {
    const p = join(this.dir, this.secretName(jid));
    if (!existsSync(p)) return undefined;
    try {
      return this.keyStore.decrypt(new Uint8Array(readFileSync(p)));
    } catch {
      return undefined;
    }
  }

  forgetPassword(jid: string): void {
    rmSync(join(this.dir, this.secretName(jid)), { force: true });
  }

  loadRoster(jid: string): { ver: string; items: Contact[] } | undefined {
    try {
      const data = JSON.parse(readFileSync(join(this.dir, this.fileName('roster', jid, 'json')), 'utf8')) as { ver?: unknown; items?: unknown };
      if (typeof data.ver !== 'string' || !Array.isArray(data.items)) return undefined;
      return { ver: data.ver, items: data.items as Contact[] };
    } catch {
      return undefined;
    }
  }

  saveRoster(jid: string, ver: string | undefined, items: Contact[]): void {
    if (ver === undefined) {
      rmSync(join(this.dir, this.fileName('roster', jid, 'json')), { force: true });
      return;
    }
    this.writeJson(this.fileName('roster', jid, 'json'), { ver, items });
  }

  private read(): AccountsFile {
    try {
      const data = JSON.parse(readFileSync(join(this.dir, 'accounts.json'), 'utf8')) as AccountsFile;
      if (data && data.version === 1 && Array.isArray(data.accounts)) return data;
    } catch {
      // missing or unreadable: start empty
    }
    return { version: 1, accounts: [] };
  }

  private secretName(jid: string): string {
    return this.fileName('secret', jid, 'bin');
  }

  private fileName(kind: string, jid: string, ext: string): string {
    return `${kind}-${encodeURIComponent(jid).replace(/%/g, '_')}.${ext}`;
  }

  private writeJson(name: string, data: unknown): void {
    this.writeFile(name, JSON.stringify(data, null, 1));
  }

  /** Write then rename, so a crash never leaves half a file. */
  private writeFile(name: string, data: string | Buffer): void {
    const target = join(this.dir, name);
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, target);
  }
}
