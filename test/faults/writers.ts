/** Containers that keep writing while a test breaks things, remembering every line they wrote. */
import type { SimCluster } from '../../src/sim/index.js';
import type { ContainerRef } from '../../src/sim/types.js';

export interface Writer {
  /** every line written, in order */
  readonly written: string[];
  /** stop writing (idempotent); lines already written stay */
  stop(): void;
}

interface WriterOptions {
  everyMs: number;
  /** the lines of one write (a burst), given how many lines were written before */
  lines: (writtenSoFar: number, tick: number) => string[];
  /** one timestamp for every line of the burst (nanoseconds); undefined: the sim's clock */
  timestamp?: (tick: number) => bigint | undefined;
}

function startWriter(sim: SimCluster, ref: ContainerRef, o: WriterOptions): Writer {
  const written: string[] = [];
  let tick = 0;
  const write = (): void => {
    const lines = o.lines(written.length, tick);
    const ts = o.timestamp?.(tick);
    tick++;
    sim.writeLines(ref, lines, ts === undefined ? {} : { timestamp: ts });
    written.push(...lines);
  };
  write();
  const timer = setInterval(write, o.everyMs);
  return { written, stop: () => clearInterval(timer) };
}

/** `${tag} line N`, `perTick` lines a write */
export function numberedWriter(sim: SimCluster, ref: ContainerRef, tag: string, everyMs: number, perTick = 1): Writer {
  return startWriter(sim, ref, {
    everyMs,
    lines: (n) => Array.from({ length: perTick }, (_, i) => `${tag} line ${n + i}`),
  });
}

/**
 * Bursts of numbered lines mixed with lines of identical text, every line of a burst with the
 * same timestamp, and that timestamp kept for `sameTsTicks` bursts in a row; now and then the
 * timestamp is a whole second (RFC3339Nano without a fraction). Timestamps never go back.
 */
export function burstWriter(sim: SimCluster, ref: ContainerRef, tag: string, everyMs: number, sameTsTicks = 3): Writer {
  let last = 0n;
  let current = 0n;
  let numberedSoFar = 0;
  return startWriter(sim, ref, {
    everyMs,
    lines: () => {
      const out: string[] = [];
      for (let i = 0; i < 6; i++) {
        out.push(`${tag} line ${numberedSoFar++}`);
        out.push('identical text', 'identical text', 'identical text');
      }
      return out;
    },
    timestamp: (tick) => {
      if (tick % sameTsTicks === 0) {
        const now = BigInt(Date.now()) * 1_000_000n;
        let next = now > last ? now : last + 1n;
        if (tick % (sameTsTicks * 8) === 0) next = (next / 1_000_000_000n + 1n) * 1_000_000_000n; // a whole second
        current = next;
        last = next;
      }
      return current;
    },
  });
}
