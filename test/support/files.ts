import { readdirSync } from 'node:fs';

/**
 * The folder's entries once it is empty, or whatever is left after `ms`. A receiver deletes its
 * partial file asynchronously after the transfer's state changes, so tests wait for it.
 */
export async function emptied(dir: string, ms = 5000): Promise<string[]> {
  const end = Date.now() + ms;
  while (readdirSync(dir).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return readdirSync(dir);
}
