import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VirtualObject } from './virtualObject';

/** Counts what a test server sent, so tests can assert the transfer budget. */
export class ServedBytes {
  body = 0;
  requests = 0;
  /** Request lines with a few headers, for assertions on auth and ranges. */
  readonly log: {
    method: string;
    url: string;
    host: string;
    authorization?: string;
    range?: string;
  }[] = [];
}

/** One queued fault: the next request matching `match` gets `status` (and headers) instead of its answer. */
export interface Fault {
  match: RegExp;
  status: number;
  headers?: Record<string, string>;
  times?: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  origin: string;
  close(): Promise<void>;
}

/** Starts a node:http server on 127.0.0.1, on a random port unless one is given. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  host = '127.0.0.1',
  port = 0,
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch(error => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    server,
    port: bound,
    origin: `http://${host}:${bound}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function record(served: ServedBytes, req: IncomingMessage): void {
  served.requests++;
  served.log.push({
    method: req.method ?? 'GET',
    url: req.url ?? '',
    host: req.headers.host ?? '',
    authorization: req.headers.authorization,
    range: req.headers.range,
  });
}

/** Applies the first matching fault, if any; true when it answered. */
export function applyFault(
  faults: Fault[],
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const index = faults.findIndex(fault => fault.match.test(req.url ?? ''));
  if (index < 0) return false;
  const fault = faults[index];
  fault.times = (fault.times ?? 1) - 1;
  if (fault.times <= 0) faults.splice(index, 1);
  res.writeHead(fault.status, fault.headers);
  res.end();
  return true;
}

/** Serves an object honouring `Range: bytes=a-b` (206 + Content-Range) and ETag, counting body bytes. */
export function sendObject(
  req: IncomingMessage,
  res: ServerResponse,
  object: VirtualObject,
  served: ServedBytes,
  extraHeaders: Record<string, string> = {},
): void {
  const headers = {
    ETag: object.etag,
    'Accept-Ranges': 'bytes',
    ...extraHeaders,
  };
  const match = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (req.headers.range && !match) {
    res.writeHead(416, headers);
    res.end();
    return;
  }
  if (match) {
    const start = Number(match[1]);
    const end =
      match[2] === ''
        ? object.size - 1
        : Math.min(Number(match[2]), object.size - 1);
    if (start >= object.size || end < start) {
      res.writeHead(416, {
        ...headers,
        'Content-Range': `bytes */${object.size}`,
      });
      res.end();
      return;
    }
    const body =
      req.method === 'HEAD'
        ? Buffer.alloc(0)
        : object.read(start, end - start + 1);
    served.body += body.length;
    res.writeHead(206, {
      ...headers,
      'Content-Range': `bytes ${start}-${end}/${object.size}`,
      'Content-Length': end - start + 1,
    });
    res.end(body);
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': object.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // A whole-object GET is streamed in slices so a multi-GB virtual object never sits in memory.
  let offset = 0;
  const pump = () => {
    while (offset < object.size) {
      const slice = object.read(offset, 1024 * 1024);
      offset += slice.length;
      served.body += slice.length;
      if (!res.write(slice)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => {
    offset = object.size;
  });
  pump();
}
