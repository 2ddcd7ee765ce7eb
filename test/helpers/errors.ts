/** The error a test expects, checked the same way everywhere. */
import { expect } from 'vitest';
import { UsageError } from '../../src/common/errors.js';

/** The UsageError thrown by fn (exit 2, one line); fails the test if fn throws anything else or nothing. */
export function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).not.toContain('\n');
    return err as UsageError;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}
