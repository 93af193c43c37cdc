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
 * process fires at once, sends all its requests together, each on a fresh connection, and prints
 * their statuses as a JSON array in job order.
 */
const CHILD = `
const http = require('node:http');
const { jobs, startAt } = JSON.parse(process.argv[1]);
const send = (job) => new Promise((resolve) => {
  const target = new URL(job.url);
  const req = http.request({ host: target.hostname, port: target.port, method: job.method,
    path: job.path, agent: false, headers: { ...(job.body ? { 'content-type': 'application/json',
    'content-length': Buffer.byteLength(job.body) } : {}), ...job.headers } }, (res) => {
    res.resume();
    res.on('end', () => resolve(String(res.statusCode)));
  });
  req.on('error', (e) => resolve('error:' + e.code));
  req.end(job.body);
});
setTimeout(() => {
  Promise.all(jobs.map(send)).then((statuses) => process.stdout.write(JSON.stringify(statuses)));
}, Math.max(0, startAt - Date.now()));
`;

/**
 * H6 (SECURITY-CASES.md): each group of jobs is sent by its own Node process, all processes
 * released at the same instant and each firing its whole group at once. Answers the statuses
 * per group, in job order ("error:CODE" for a failed connection).
 */
export function burstAcrossProcesses(
  groups: readonly (readonly RequestJob[])[],
  leadMs = 1500,
): Promise<string[][]> {
  const startAt = Date.now() + leadMs;
  return Promise.all(
    groups.map(
      (jobs) =>
        new Promise<string[]>((resolve, reject) => {
          const child = spawn(process.execPath, ['-e', CHILD, JSON.stringify({ jobs, startAt })], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
          child.on('error', reject);
          child.on('close', (code) => {
            if (code === 0) resolve(JSON.parse(out) as string[]);
            else reject(new Error(`request process exited with ${code}`));
          });
        }),
    ),
  );
}

/**
 * H6: sends each job from its own Node process, all released at the same instant, and answers
 * the statuses in job order.
 */
export async function raceAcrossProcesses(
  jobs: readonly RequestJob[],
  leadMs = 1500,
): Promise<string[]> {
  const statuses = await burstAcrossProcesses(
    jobs.map((job) => [job]),
    leadMs,
  );
  return statuses.map((group) => group[0] ?? 'error:none');
}
