// The retention sweeper: deletes profiles whose expiry has passed, from whichever store
// the server uses, through the same path as DELETE (so every cache forgets them too).
// Expired profiles already answer 410 before the sweeper gets to them (routes/profiles.ts).
import type { ProfileService } from './service.js';
import { expiryOf } from './ownership.js';

export const SWEEP_INTERVAL_MS = 10 * 60_000;

/** Deletes every profile expired at `now`; returns their ids. */
export async function sweepExpired(rt: ProfileService, now = Date.now()): Promise<string[]> {
  const retention = rt.config.retentionMs ?? 0;
  const gone: string[] = [];
  for (const info of await rt.store.list()) {
    const exp = expiryOf(info, retention);
    if (exp !== null && exp <= now && (await rt.deleteProfile(info.id))) gone.push(info.id);
  }
  return gone;
}

/** Sweeps now and then every `intervalMs`; the returned function stops it. */
export function startSweeper(rt: ProfileService, log: (line: string) => void, intervalMs = SWEEP_INTERVAL_MS): () => void {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = sweepExpired(rt)
      .then((ids) => {
        if (ids.length) log(`pprof-lens: retention: deleted ${ids.length} expired profile(s)`);
      })
      .catch((err: unknown) => log(`pprof-lens: retention sweep failed: ${(err as Error).message}`))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
