// The baseline for `loket bench`: a bare express 5 JSON echo, run as its own process like the real server.
import express from 'express';

const port = Number(process.env.PORT ?? 0);
// Only ever on loopback: this is a measuring stick, not a service.
const host = process.env.HOST ?? '127.0.0.1';

const app = express();
app.use(express.json());

// The same readiness probe as Loket, so the bench waits for both servers in one way.
app.get('/healthz', (_request, response) => {
  response.json({ status: 'ok' });
});

app.post('/echo', (request, response) => {
  response.json(request.body);
});

const server = app.listen(port, host);

// Exit promptly when the bench stops us, even with keep-alive sockets still open.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
