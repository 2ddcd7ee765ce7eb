/** The process's time zone for one block of tests: local-time output is tested in a known zone. */
import { afterAll, beforeAll } from 'vitest';

/** Runs the enclosing block's (or file's) tests in `zone`, and puts the TZ it found back after them. */
export function inTimeZone(zone: string): void {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
}
