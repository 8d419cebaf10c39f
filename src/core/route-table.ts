/** Lists every route of an app with the access decision declared in its chain. */
import type { Express } from 'express';
import { type AccessLevel, accessOf } from './access';

export interface RouteEntry {
  method: string;
  path: string;
  access: AccessLevel | undefined;
}

interface Layer {
  name?: string;
  handle?: { stack?: Layer[] } & ((...args: unknown[]) => unknown);
  route?: { path: string; methods: Record<string, boolean>; stack: Layer[] };
}

function walk(stack: Layer[], out: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const first = layer.route.stack[0]?.handle;
      for (const method of Object.keys(layer.route.methods)) {
        out.push({ method: method.toUpperCase(), path: layer.route.path, access: accessOf(first) });
      }
    } else if (layer.handle?.stack) {
      walk(layer.handle.stack, out);
    }
  }
}

/** Routes must be mounted at the root: feature routers hold full paths. */
export function routeTable(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  walk((app.router as unknown as { stack: Layer[] }).stack, out);
  return out;
}
