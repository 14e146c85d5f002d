import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The last line of cleanup: a detached shell that waits for this process to disappear, then runs the cleanup
 * commands registered so far (stop our servers by pid, stop our PostgreSQL cluster, delete our temp dirs). It
 * matters when this process is killed without running its own cleanup — e.g. tsx SIGKILLs a child that does not
 * answer a relayed Ctrl-C within 30 ms. After a normal cleanup the reaper is disarmed and does nothing.
 */
export class Reaper {
  readonly #dir = mkdtempSync(join(tmpdir(), 'lindung-bench-reaper-'));
  readonly #file = join(this.#dir, 'cleanup.sh');
  readonly #pid: number | undefined;

  constructor() {
    writeFileSync(this.#file, '#!/bin/bash\n');
    const script = 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; [ -f "$2" ] && bash "$2" >/dev/null 2>&1; rm -rf "$3"';
    const child = spawn('bash', ['-c', script, 'lindung-bench-reaper', String(process.pid), this.#file, this.#dir], { detached: true, stdio: 'ignore' });
    child.unref();
    this.#pid = child.pid;
  }

  /** A shell line, run only if this process dies without cleaning up. */
  add(line: string): void {
    appendFileSync(this.#file, `${line}\n`);
  }

  /** Stops a process by pid only while its command line still contains `marker` (guards against pid reuse). */
  addProcess(pid: number, marker: string): void {
    const q = marker.replace(/'/g, '');
    this.add(`grep -q '${q}' /proc/${pid}/cmdline 2>/dev/null && kill -TERM ${pid}`);
    this.add(`sleep 3; grep -q '${q}' /proc/${pid}/cmdline 2>/dev/null && kill -KILL ${pid}`);
  }

  disarm(): void {
    rmSync(this.#dir, { recursive: true, force: true });
    if (this.#pid !== undefined) {
      try {
        process.kill(this.#pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
