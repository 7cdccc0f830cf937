#!/usr/bin/env node
// Checks that the programs the integration and e2e tests drive are installed, before a long
// test run fails half-way with ENOENT. One message names every missing Debian/Ubuntu package.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      /* keep looking */
    }
  }
  return false;
}

function executable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs Prosody's own Lua interpreter (the #! line of the prosody script) with these arguments. */
function prosodyLua(args) {
  const script = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'prosody')).find((f) => executable(f));
  if (!script) return false;
  const first = fs.readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  const lua = /^#!\s*(?:\S*\/env\s+)?(\S+)/.exec(first)?.[1] ?? 'lua';
  return spawnSync(lua, args, { stdio: 'ignore' }).status === 0;
}

// [what, package, check]
const checks = [
  ['prosody', 'prosody', () => onPath('prosody')],
  ['prosodyctl', 'prosody', () => onPath('prosodyctl')],
  ['/usr/sbin/ejabberdctl', 'ejabberd', () => executable('/usr/sbin/ejabberdctl')],
  // The harness runs ejabberd through erl directly (test/harness/ejabberd.ts).
  ['erl', 'ejabberd', () => onPath('erl')],
  ['/usr/bin/chromium', 'chromium', () => executable('/usr/bin/chromium')],
  ['xvfb-run', 'xvfb', () => onPath('xvfb-run')],
  ['xauth (used by xvfb-run)', 'xauth', () => onPath('xauth')],
  ['openssl', 'openssl', () => onPath('openssl')],
  // Debian's slixmpp is installed for the system interpreter, not whatever python3 is first on PATH.
  // test/history-sql runs Prosody with its archive in SQLite (mod_storage_sql through LuaDBI).
  ['LuaDBI SQLite3 driver for Prosody', 'lua-dbi-sqlite3', () => prosodyLua(['-e', 'os.exit(pcall(require, "DBI") and 0 or 1)'])],
  ['/usr/bin/python3 with slixmpp', 'python3-slixmpp', () => spawnSync('/usr/bin/python3', ['-c', 'import slixmpp'], { stdio: 'ignore' }).status === 0],
];

const missing = checks.filter(([, , ok]) => !ok());
if (missing.length > 0) {
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  console.error(
    `Missing test dependencies: ${missing.map(([what]) => what).join(', ')}.\n` +
      `Install them with:  sudo apt-get install -y --no-install-recommends ${packages.join(' ')}\n` +
      '(or run .ci/run, which installs everything the tests need on Debian 12).',
  );
  process.exit(1);
}
