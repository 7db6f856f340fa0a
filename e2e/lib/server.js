// Starts the release binary on a fresh SQLite database in a temp directory, in demo mode on a
// free loopback port, and stops it again. Only loopback traffic.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The iep504 release binary: IEP504_BIN, else $CARGO_TARGET_DIR/release, else ../target/release. */
export function binaryPath() {
  const candidates = [
    process.env.IEP504_BIN,
    process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'release', 'iep504'),
    path.join(here, '..', '..', 'target', 'release', 'iep504'),
  ].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      `iep504 release binary not found (looked in ${candidates.join(', ')}); ` +
        'run `cargo build --release --bin iep504` first',
    );
  }
  return found;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base, child, log, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`iep504 exited with ${child.exitCode} before it was healthy:\n${log()}`);
    }
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`iep504 was not healthy within ${timeoutMs} ms:\n${log()}`);
}

const running = new Set();
function killAll() {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

function launch(bin, args, base) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.on('exit', () => running.delete(child));
  const log = () => `--- stdout\n${out}\n--- stderr\n${err}`;
  return { child, log, stdout: () => out, base };
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(timer);
}

/**
 * Starts `iep504 --db <tmp>/e2e.sqlite demo --addr 127.0.0.1:<port> --students 60`.
 * Returns { base, dir, db, logins, cli(args, input), serve() (a second, non-demo server on the
 * same database), stop() }.
 */
export async function startDemo({ students = 60 } = {}) {
  const bin = binaryPath();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iep504-e2e-'));
  const db = path.join(dir, 'e2e.sqlite');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const demo = launch(
    bin,
    ['--db', db, 'demo', '--addr', `127.0.0.1:${port}`, '--students', String(students)],
    base,
  );
  const extra = [];
  try {
    await waitHealthy(base, demo.child, demo.log);
  } catch (e) {
    await stop(demo.child);
    throw e;
  }
  // The demo prints its logins as one JSON document on stdout before serving.
  const printed = JSON.parse(demo.stdout());
  // The generator writes events but no deadlines; project them (CONTRACT: `iep504 sweep`) so the
  // dashboards have something to show. Harmless when the server already did it.
  const sweep = spawnSync(bin, ['--db', db, 'sweep'], { encoding: 'utf8' });
  if (sweep.status !== 0) {
    await stop(demo.child);
    throw new Error(`iep504 sweep failed: ${sweep.stderr}`);
  }
  const logins = Object.fromEntries(printed.logins.map((l) => [l.role, l]));
  return {
    base,
    dir,
    db,
    logins,
    password: printed.password,
    log: demo.log,
    /** Runs the CLI on the same database; returns parsed JSON stdout. */
    cli(args, input) {
      const r = spawnSync(bin, ['--db', db, ...args], { input, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`iep504 ${args.join(' ')} failed: ${r.stderr}`);
      return r.stdout.trim() ? JSON.parse(r.stdout) : null;
    },
    /** A second server on the same database without demo mode (staff must pass two steps). */
    async serve() {
      const p = await freePort();
      const s = launch(bin, ['--db', db, 'serve', '--addr', `127.0.0.1:${p}`], `http://127.0.0.1:${p}`);
      extra.push(s.child);
      await waitHealthy(s.base, s.child, s.log);
      return s.base;
    },
    async stop() {
      for (const c of extra) await stop(c);
      await stop(demo.child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
