import pg from 'pg';

/**
 * What PostgreSQL's client backends are doing while a load runs, by sampling pg_stat_activity every few
 * milliseconds: running on CPU, waiting for the client (ClientRead: the application is the bottleneck), waiting for
 * WAL to reach the disk (WALSync/WALWrite: commit durability), or for a lock. Opt-in (BENCH_SAMPLE_WAITS=1): the
 * sampler itself costs a little CPU, so the figures of a sampled run are not the reported ones.
 */
export function startWaitSampler(url: string, everyMs = 5) {
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const client = new pg.Client({ connectionString: url });
  type Wal = { bytes: number; fpi: number; records: number; commits: number };
  let walBefore: Wal | null = null;
  const walNow = async (): Promise<Wal> => {
    const r = await client.query<{ bytes: string; fpi: string; records: string; commits: string }>(
      `select wal_bytes::text as bytes, wal_fpi::text as fpi, wal_records::text as records,
              (select xact_commit::text from pg_stat_database where datname = current_database()) as commits
         from pg_stat_wal`,
    );
    const row = r.rows[0]!;
    return { bytes: Number(row.bytes), fpi: Number(row.fpi), records: Number(row.records), commits: Number(row.commits) };
  };
  let walAfter: Wal | null = null;
  const done = (async () => {
    await client.connect();
    walBefore = await walNow();
    while (running) {
      const r = await client.query<{ k: string }>(
        `select state || ' ' || coalesce(wait_event_type || ':' || wait_event, 'on CPU') as k
           from pg_stat_activity
          where backend_type = 'client backend' and pid <> pg_backend_pid() and datname = current_database()`,
      );
      samples++;
      for (const row of r.rows) {
        counts.set(row.k, (counts.get(row.k) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    walAfter = await walNow();
    await client.end();
  })();
  return {
    async stop(): Promise<string> {
      running = false;
      await done;
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const before = walBefore as Wal | null;
      const after = walAfter as Wal | null;
      // The sampler's own read-only transactions count as commits too: one per sample, plus the two WAL readings.
      const w = before && after ? { bytes: after.bytes - before.bytes, fpi: after.fpi - before.fpi, records: after.records - before.records, commits: after.commits - before.commits - samples - 1 } : null;
      const walLine = w ? `WAL: ${w.commits} commits, ${(w.bytes / Math.max(1, w.commits)).toFixed(0)} bytes, ${(w.records / Math.max(1, w.commits)).toFixed(1)} records and ${(w.fpi / Math.max(1, w.commits)).toFixed(2)} full-page images per commit\n  ` : '';
      return walLine + [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${((100 * n) / total).toFixed(1)} % ${k} (${(n / samples).toFixed(2)} backends on average)`)
        .join('\n  ');
    },
  };
}
