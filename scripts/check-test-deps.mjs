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
