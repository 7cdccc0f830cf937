// Where accepted files go (issue 6: "a default download folder in settings"). One setting per
// profile, in <dataDir>/transfer-settings.json; until the user picks one, the system's Downloads
// folder (Electron: app.getPath('downloads'); web mode: FLINT_DOWNLOAD_DIR or ~/Downloads).
// A folder typed in the page or saved earlier is checked every time it is used: absolute, an
// existing folder, writable. Only the default is created when it is missing (a fresh account on a
// machine without ~/Downloads); a folder the user chose that is gone is an error to show.
// The folder can come from the page, which is untrusted: a sanitized name cannot escape the folder,
// but a folder the desktop runs files from at login (~/.config/autostart, LaunchAgents, the
// Windows Startup folder) or a hidden settings folder would turn a received file into code that
// runs. Those are refused, whichever way they were chosen (symlinks resolved).
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { readJsonFile, writeJsonFile } from '../settings/json-file';

const FILE = 'transfer-settings.json';

/** Folders whose files the desktop runs or loads at login (XDG autostart, launchd); Windows Startup below. */
const AUTOSTART = /^(autostart|launchagents|launchdaemons|startupitems)$/i;

/** Why `folder` must not receive files, or null. */
export function forbiddenFolder(folder: string): string | null {
  const parts = folder.split(/[\\/]+/).filter(Boolean);
  const hidden = parts.find((p) => p.startsWith('.'));
  if (hidden) return `Flint does not save received files inside hidden folders (${hidden}): choose a visible folder.`;
  const lower = parts.map((p) => p.toLowerCase());
  const startMenu = lower.findIndex((p, i) => p === 'start menu' && lower[i + 1] === 'programs' && lower[i + 2] === 'startup');
  const auto = startMenu >= 0 ? 'Startup' : parts.find((p) => AUTOSTART.test(p));
  if (auto) return `Flint does not save received files into ${auto}: files there run when you log in.`;
  return null;
}

export class FolderError extends Error {
  override readonly name = 'FolderError';
}

/** `folder` normalized, once it is an absolute path to an existing, writable folder. */
export async function checkFolder(folder: string): Promise<string> {
  if (!path.isAbsolute(folder)) throw new FolderError(`The folder must be a full path, not ${JSON.stringify(folder)}.`);
  const abs = path.resolve(folder);
  let st;
  try {
    st = await fsp.stat(abs);
  } catch {
    throw new FolderError(`The folder ${abs} does not exist.`);
  }
  if (!st.isDirectory()) throw new FolderError(`${abs} is not a folder.`);
  const forbidden = forbiddenFolder(abs) ?? forbiddenFolder(await fsp.realpath(abs));
  if (forbidden) throw new FolderError(forbidden);
  try {
    await fsp.access(abs, constants.W_OK | constants.X_OK);
  } catch {
    throw new FolderError(`Flint cannot write to the folder ${abs}.`);
  }
  return abs;
}

export class DownloadFolder {
  private saved?: string;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly defaultFolder: string,
  ) {
    this.file = path.join(dataDir, FILE);
    const data = readJsonFile(this.file) as { downloadFolder?: unknown } | undefined;
    const f = data?.downloadFolder;
    if (typeof f === 'string' && path.isAbsolute(f)) this.saved = path.resolve(f);
  }

  /** The folder in force: the user's choice, else the system default. */
  get current(): string {
    return this.saved ?? path.resolve(this.defaultFolder);
  }

  /** Checks and saves the user's choice; resolves with it as saved. */
  async set(folder: string): Promise<string> {
    const abs = await checkFolder(folder);
    writeJsonFile(this.file, { downloadFolder: abs });
    this.saved = abs;
    return abs;
  }

  /** The folder to save an accepted file in, checked; the default one is created when missing. */
  async forAccept(): Promise<string> {
    const folder = this.current;
    if (this.saved === undefined) await fsp.mkdir(folder, { recursive: true }).catch(() => {});
    try {
      return await checkFolder(folder);
    } catch (e) {
      if (this.saved !== undefined && e instanceof FolderError) throw new FolderError(`${e.message} Choose another download folder in Settings.`);
      throw e;
    }
  }
}
