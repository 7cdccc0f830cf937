// Direct writes into Prosody's `internal` storage (util/datamanager.lua in 0.12): one Lua file
// per user and store, `DATA/<host>/<store>/<user>.dat`, each `return { … };`. The server reads
// account files on every authentication and a roster when its user's first session starts, so
// files written while it runs are picked up without a restart.
import { pbkdf2, createHmac, createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** datamanager `encode`: every byte outside [A-Za-z0-9] becomes %xx (so 'example.test' → 'example%2etest'). */
export function encodePathPart(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9]/.test(c) ? c : `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** A Lua string literal; bytes outside printable ASCII are written as decimal escapes. */
export function luaString(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}

type LuaValue = string | number | boolean | LuaTable;
interface LuaTable {
  [key: string]: LuaValue | undefined;
}

function luaValue(v: LuaValue): string {
  if (typeof v === 'string') return luaString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const fields = Object.entries(v)
    .filter((e): e is [string, LuaValue] => e[1] !== undefined)
    .map(([k, val]) => `[${luaString(k)}] = ${luaValue(val)};`);
  return `{ ${fields.join(' ')} }`;
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file); // the server never sees a half-written file
}

export function storeFile(dataDir: string, host: string, store: string, user: string): string {
  // store_encode keeps '_' too; our store names are plain words.
  return path.join(dataDir, encodePathPart(host), store, `${encodePathPart(user)}.dat`);
}

export type PasswordHash = 'SHA-1' | 'SHA-256';

/**
 * The record mod_auth_internal_hashed stores: RFC 5802 §3 StoredKey/ServerKey in hex, the
 * salt as a string (Prosody uses a UUID). Passwords must already be SASLprep-normalised; for
 * ASCII passwords that is the identity.
 */
export async function hashedAccount(password: string, hash: PasswordHash, iterations = 10_000): Promise<string> {
  const algo = hash === 'SHA-256' ? 'sha256' : 'sha1';
  const len = hash === 'SHA-256' ? 32 : 20;
  const salt = randomUUID();
  const salted = await pbkdf2Async(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), iterations, len, algo);
  const clientKey = createHmac(algo, salted).update('Client Key').digest();
  const storedKey = createHash(algo).update(clientKey).digest('hex');
  const serverKey = createHmac(algo, salted).update('Server Key').digest('hex');
  return `return ${luaValue({ iteration_count: iterations, salt, stored_key: storedKey, server_key: serverKey })};\n`;
}

export function plainAccount(password: string): string {
  return `return ${luaValue({ password })};\n`;
}

export function writeAccountFile(dataDir: string, host: string, user: string, content: string): void {
  writeAtomic(storeFile(dataDir, host, 'accounts', user), content);
}

export interface RosterItemSpec {
  jid: string;
  name?: string;
  groups?: string[];
  /** 'none' | 'to' | 'from' | 'both'; default 'both'. */
  subscription?: string;
  /** 'subscribe' for a pending outgoing request. */
  ask?: string;
}

/** core/rostermanager.lua layout: item tables keyed by JID, metadata under the key `false`. */
export function rosterFileText(items: RosterItemSpec[], version = 1): string {
  const lines = [`[false] = { ["version"] = ${version}; ["pending"] = {}; };`];
  for (const item of items) {
    const groups: LuaTable = {};
    for (const g of item.groups ?? []) groups[g] = true;
    const entry: LuaTable = { subscription: item.subscription ?? 'both', name: item.name, ask: item.ask, groups };
    lines.push(`[${luaString(item.jid)}] = ${luaValue(entry)};`);
  }
  return `return {\n${lines.join('\n')}\n};\n`;
}

export function writeRosterFile(dataDir: string, host: string, user: string, items: RosterItemSpec[]): void {
  writeAtomic(storeFile(dataDir, host, 'roster', user), rosterFileText(items));
}
