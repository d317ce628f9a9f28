// WebSocket upgrades on the HTTP server (the phone line's media stream). Express only sees plain requests, so
// upgrades are routed here by path; anything else is refused instead of left hanging.
import type { Server } from 'node:http';
import type { Runtime } from './runtime.ts';

export function attachUpgrades(server: Server, _runtime: Runtime): void {
  server.on('upgrade', (request, socket) => {
    socket.end(
      `HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\nno WebSocket at ${request.url ?? '/'}\r\n`,
    );
  });
}
