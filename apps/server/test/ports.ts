import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port handed out from our own range. */
const rangeStart = 10_000;

/**
 * The first port of the kernel's ephemeral range, where it picks ports for `listen(0)` and for the
 * local end of outgoing connections. A port chosen below it can't be taken by either of those
 * between the moment it is chosen and the moment the process it is meant for binds it.
 */
function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const port = Number(low);
    return Number.isInteger(port) && port > 0 ? port : 32_768;
  } catch {
    return 32_768;
  }
}

/** Bind `port` (0: any) on the loopback interface and release it; resolves to the bound port. */
function probe(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A TCP port that is free on the loopback interface right now, for a process that binds it
 * later. It is chosen at random below the ephemeral range, so nothing the kernel hands out in the
 * meantime (another test's `listen(0)`, a connection's local port) can take it first.
 */
export async function findFreePort(): Promise<number> {
  const end = ephemeralRangeStart();
  if (end - rangeStart >= 1_000) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = rangeStart + Math.floor(Math.random() * (end - rangeStart));
      if ((await probe(port)) === port) return port;
    }
  }
  const port = await probe(0);
  if (port === null) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}
