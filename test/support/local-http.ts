import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/**
 * Serves a stub HTTP server (a fake S3, a provider's API) on a free loopback port for the enclosing describe block;
 * `url()` is its base URL once the block's tests run.
 */
export function serveDuringSuite(server: Server): { url: () => string } {
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: () => base };
}
