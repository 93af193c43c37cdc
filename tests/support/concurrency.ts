import { spawn } from 'node:child_process';

/** One HTTP request a child process sends on its own connection. */
export interface RequestJob {
  url: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * The child: plain CommonJS (no TypeScript to load), waits for the common start instant so every
 * process fires at once, sends its request on a fresh connection and prints the status.
 */
const CHILD = `
const http = require('node:http');
const job = JSON.parse(process.argv[1]);
const target = new URL(job.url);
setTimeout(() => {
  const req = http.request({ host: target.hostname, port: target.port, method: job.method,
    path: job.path, agent: false, headers: { ...(job.body ? { 'content-type': 'application/json',
    'content-length': Buffer.byteLength(job.body) } : {}), ...job.headers } }, (res) => {
    res.resume();
    res.on('end', () => process.stdout.write(String(res.statusCode)));
  });
  req.on('error', (e) => { process.stdout.write('error:' + e.code); });
  req.end(job.body);
}, Math.max(0, job.startAt - Date.now()));
`;

/**
 * H6 (SECURITY-CASES.md): sends each job from its own Node process, all released at the same
 * instant, and answers the statuses in job order ("error:CODE" for a failed connection).
 */
export function raceAcrossProcesses(jobs: readonly RequestJob[], leadMs = 1500): Promise<string[]> {
  const startAt = Date.now() + leadMs;
  return Promise.all(
    jobs.map(
      (job) =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            ['-e', CHILD, JSON.stringify({ ...job, startAt })],
            {
              stdio: ['ignore', 'pipe', 'inherit'],
            },
          );
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
          child.on('error', reject);
          child.on('close', () => resolve(out));
        }),
    ),
  );
}
