import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertDocumentKey, type DocumentStore } from './store.js';

/**
 * Documents on the local filesystem under `<DATA_DIR>/documents/<first two hex digits>/<sha256>`. A write goes to a
 * temporary file in the same folder, is flushed to disk, then renamed over the final name, so a reader sees either no
 * file or the whole file, never a half-written one (rename is atomic within one filesystem).
 */
export function localDocumentStore(dataDir: string): DocumentStore {
  const root = join(dataDir, 'documents');
  const pathOf = (key: string): string => {
    assertDocumentKey(key);
    return join(root, key.slice(0, 2), key);
  };
  return {
    kind: 'local',
    async put(key, bytes) {
      const file = pathOf(key);
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(tmp, 'wx', 0o640);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(tmp, file);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
