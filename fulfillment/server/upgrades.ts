// WebSocket upgrades on the HTTP server (the phone line's media stream). Express only sees plain requests, so
// upgrades are routed here by path; anything else is refused instead of left hanging.
import type { Server } from 'node:http';
import { STREAM_PATH, telephonyStreamUpgrade } from '../channels/telephony/stream-upgrade.ts';
import type { Runtime } from './runtime.ts';

export function attachUpgrades(server: Server, runtime: Runtime): void {
  const mediaStream = telephonyStreamUpgrade(runtime);
  server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === STREAM_PATH) {
      mediaStream(request, socket, head);
      return;
    }
    socket.end(
      `HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\nno WebSocket at ${request.url ?? '/'}\r\n`,
    );
  });
}
