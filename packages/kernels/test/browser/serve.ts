/** A static file handler for node:http, enough to serve the bundles to a local browser. */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** Serves the files directly inside `dir` (the bundle has no subfolders); anything else is a 404. */
export function serve(dir: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const name = normalize(new URL(req.url ?? '/', 'http://localhost').pathname).slice(1);
    const type = TYPES[extname(name)];
    if (type === undefined || name.includes('/')) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(dir, name)).then(
      (body) => res.writeHead(200, { 'content-type': type }).end(body),
      () => res.writeHead(404).end(),
    );
  };
}
