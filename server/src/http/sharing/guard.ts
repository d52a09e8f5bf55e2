// Request checks that come before any route: the Host a request is addressed to, the user
// name an authenticating reverse proxy vouches for (`--auth-header`), and refusal of
// state-changing requests sent by another site's page (CSRF).
import type { NextFunction, Request, Response } from 'express';
import type { ServerConfig } from '../../service/config.js';
import type { Caller } from '../../service/ownership.js';

export type { Caller };

/** Header carrying a profile's manage token (a custom header also forces a CORS preflight). */
export const MANAGE_TOKEN_HEADER = 'x-manage-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** A user name as the proxy sent it: printable, bounded; empty means absent. */
export function cleanUserName(v: unknown): string {
  if (typeof v !== 'string') return '';
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  return v.trim().length > 256 || /[\u0000-\u001f\u007f]/.test(v) ? '' : v.trim();
}

export function callerOf(req: Request, config: ServerConfig): Caller {
  const caller: Caller = {};
  if (config.authHeader) {
    const user = cleanUserName(req.headers[config.authHeader.toLowerCase()]);
    if (user) caller.user = user;
  }
  const token = req.headers[MANAGE_TOKEN_HEADER];
  if (typeof token === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(token)) caller.token = token;
  return caller;
}

function hostname(hostHeader: string): string {
  // "[::1]:8080" -> "[::1]", "example.com:443" -> "example.com"
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(hostHeader);
  return (m ? m[1] : hostHeader).toLowerCase();
}

/**
 * Host names (with or without port) requests may be addressed to, or null for any. A
 * loopback-only server answers only to loopback names, so a web page whose DNS name is
 * rebound to 127.0.0.1 cannot read it.
 */
export function allowedHostsFor(config: ServerConfig, listenHost: string): string[] | null {
  const hosts = (config.allowedHosts ?? []).map((h) => h.toLowerCase());
  if (config.publicUrl) hosts.push(new URL(config.publicUrl).host.toLowerCase());
  if (hosts.length > 0) return hosts;
  if (LOOPBACK_HOSTS.includes(listenHost) || listenHost.startsWith('127.')) return [...LOOPBACK_HOSTS, listenHost];
  return null;
}

function hostAllowed(host: string, allowed: string[]): boolean {
  const h = host.toLowerCase();
  return allowed.includes(h) || allowed.includes(hostname(h));
}

function refuse(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

export function requestGuard(config: ServerConfig, listenHost: string) {
  const allowed = allowedHostsFor(config, listenHost);
  const publicHost = config.publicUrl ? new URL(config.publicUrl).host.toLowerCase() : null;
  return (req: Request, res: Response, next: NextFunction): void => {
    const host = req.headers.host ?? '';
    if (allowed && !hostAllowed(host, allowed)) {
      refuse(res, 421, `this server does not answer to host ${JSON.stringify(host)} (see --public-url and --allowed-host)`);
      return;
    }
    if (config.authHeader && !callerOf(req, config).user) {
      res.set('WWW-Authenticate', 'Proxy');
      refuse(res, 401, `no user name: this server expects the ${config.authHeader} header from its authenticating proxy`);
      return;
    }
    if (!SAFE_METHODS.has(req.method)) {
      // Browsers send Sec-Fetch-Site on every request they make; "none" is the user's own action.
      const site = req.headers['sec-fetch-site'];
      if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
        refuse(res, 403, `cross-origin ${req.method} refused (Sec-Fetch-Site: ${site})`);
        return;
      }
      const origin = req.headers.origin;
      if (typeof origin === 'string') {
        let originHost = '';
        try {
          originHost = new URL(origin).host.toLowerCase();
        } catch {
          originHost = '';
        }
        if (!originHost || (originHost !== host.toLowerCase() && originHost !== publicHost)) {
          refuse(res, 403, `cross-origin ${req.method} refused (Origin: ${origin})`);
          return;
        }
      }
    }
    next();
  };
}

/** Absolute link when the public URL is known, else a path on whatever host was used. */
export function profileLink(config: ServerConfig, id: string): string {
  return config.publicUrl ? `${config.publicUrl.replace(/\/+$/, '')}/p/${id}` : `/p/${id}`;
}
