/**
 * Pure: each Event shown once, and a repeated one shown again only as an update. Kubernetes
 * counts the repeats of an Event on the same object (`count`, or `series.count`), so a failing
 * probe is one Event whose count climbs every ten seconds. The rule:
 * - an Event not seen before is shown;
 * - seen before with the same count (a re-list after 410, a watch replaying it): not shown;
 * - its count grew: shown again with the new count, but at most once per `quietMs` per Event;
 *   a growth inside that time is held, and shown when the time is up (`due`), so the last count
 *   always appears.
 * Remembered: the last `capacity` Events by uid (the API server drops Events after an hour, so an
 * Event older than the oldest remembered is not coming back).
 */
import type { KubeEvent } from './kube-event.js';

interface Seen {
  /** the count last shown */
  shown: number;
  /** when it was last shown (ms) */
  at: number;
  /** a newer count held back by the quiet time */
  held: KubeEvent | undefined;
}

export type RepeatDecision = 'show' | 'skip' | 'hold';

export class EventRepeats {
  private readonly seen = new Map<string, Seen>();

  constructor(
    /** an Event is shown again at most once per this long */
    private readonly quietMs = 30_000,
    private readonly capacity = 10_000,
  ) {}

  /** What to do with an Event now: show it, skip it (already shown), or hold it (shown by `due`). */
  observe(e: KubeEvent, nowMs: number): RepeatDecision {
    const s = this.seen.get(e.uid);
    if (s === undefined) {
      this.remember(e.uid, { shown: e.count, at: nowMs, held: undefined });
      return 'show';
    }
    if (e.count <= s.shown) return 'skip';
    if (nowMs - s.at >= this.quietMs) {
      s.shown = e.count;
      s.at = nowMs;
      s.held = undefined;
      return 'show';
    }
    if (s.held === undefined || e.count > s.held.count) s.held = e;
    return 'hold';
  }

  /** Held updates whose quiet time is over, to show now; they count as shown. */
  due(nowMs: number): KubeEvent[] {
    const out: KubeEvent[] = [];
    for (const s of this.seen.values()) {
      if (s.held === undefined || nowMs - s.at < this.quietMs) continue;
      out.push(s.held);
      s.shown = s.held.count;
      s.at = nowMs;
      s.held = undefined;
    }
    return out;
  }

  /** Whether any update is held (a timer is needed). */
  get holding(): boolean {
    for (const s of this.seen.values()) if (s.held !== undefined) return true;
    return false;
  }

  /** An Event remembered as shown without showing it (one from before the start window). */
  markShown(e: KubeEvent, nowMs: number): void {
    const s = this.seen.get(e.uid);
    if (s === undefined) this.remember(e.uid, { shown: e.count, at: nowMs, held: undefined });
    else if (e.count > s.shown) s.shown = e.count;
  }

  /** The Event was deleted (its time to live is over): it will not come back. */
  forget(uid: string): void {
    this.seen.delete(uid);
  }

  get size(): number {
    return this.seen.size;
  }

  private remember(uid: string, s: Seen): void {
    this.seen.set(uid, s);
    if (this.seen.size <= this.capacity) return;
    const oldest = this.seen.keys().next().value;
    if (oldest !== undefined) this.seen.delete(oldest);
  }
}
