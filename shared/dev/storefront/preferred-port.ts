import { once } from 'node:events';
import type { Server } from 'node:http';
import net from 'node:net';

/**
 * Listens on 127.0.0.1:`port`, or on a free port when that one is taken (port 0: any free
 * port). A stable port when it can be had, so a bookmarked URL keeps working; never a failed start.
 */
export async function listenPreferring(server: Server | net.Server, port: number): Promise<void> {
  try {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
  } catch (error) {
    if (port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
}

/** Whether 127.0.0.1:`port` can be listened on now (for a server that takes its port from config). */
export async function portIsFree(port: number): Promise<boolean> {
  const probe = net.createServer();
  try {
    await listenPreferring(probe, port);
    return (probe.address() as net.AddressInfo).port === port;
  } finally {
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  }
}
