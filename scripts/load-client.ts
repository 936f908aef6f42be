/**
 * Run by bench-api.ts in its own process, so the load generator does not share the server's event
 * loop (on a 2-core machine the server gets one core and autocannon the other). Reads a JSON job
 * from argv[2]: url, method, headers, bodies (cycled, one per request), connections, duration.
 * Prints autocannon's figures as one JSON line.
 */
import autocannon from 'autocannon';

interface Job {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  bodies?: string[];
  connections: number;
  duration: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
let n = 0;
const bodies = job.bodies ?? [];
const result = await autocannon({
  url: job.url,
  method: job.method ?? 'GET',
  headers: job.headers ?? {},
  connections: job.connections,
  duration: job.duration,
  ...(bodies.length > 0 ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: bodies[n++ % bodies.length] }) }] } : {}),
});
process.stdout.write(
  `${JSON.stringify({ rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx, total: result.requests.total })}\n`,
);
