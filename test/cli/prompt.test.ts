import { describe, expect, it } from 'vitest';
import { PickerState, splitKeys } from '../../src/cli/prompt.js';

const DOWN = '\x1b[B';
const UP = '\x1b[A';

describe('PickerState', () => {
  const entries = ['shop/cart-1', 'shop/cart-2', 'shop/payments-1'];

  it('↓ and ↑ move within the list, Enter picks the entry under the cursor', () => {
    const s = new PickerState(entries);
    expect(s.press(UP)).toBeUndefined();
    s.press(DOWN);
    s.press(DOWN);
    s.press(DOWN);
    expect(s.press('\r')).toEqual({ kind: 'pick', index: 2 });
  });

  it('typing filters (any case), Backspace widens again; the cursor goes back to the top', () => {
    const s = new PickerState(entries);
    s.press(DOWN);
    s.press('CART');
    expect(s.visible()).toEqual([0, 1]);
    expect(s.cursor).toBe(0);
    s.press('-2');
    expect(s.press('\r')).toEqual({ kind: 'pick', index: 1 });
    s.press('\x7f');
    s.press('\x7f');
    expect(s.visible()).toEqual([0, 1]);
  });

  it('Enter with nothing left picks nothing; Esc and Ctrl-C give up', () => {
    const s = new PickerState(entries);
    s.press('zzz');
    expect(s.press('\r')).toBeUndefined();
    expect(s.lines('Pick')).toContain('  (nothing contains that)');
    expect(s.press('\x1b')).toEqual({ kind: 'cancel' });
    expect(new PickerState(entries).press('\x03')).toEqual({ kind: 'cancel' });
  });

  it('shows ten entries at a time around the cursor, and how many there are', () => {
    const many = Array.from({ length: 25 }, (_, i) => `ns/pod-${i}`);
    const s = new PickerState(many);
    for (let i = 0; i < 14; i++) s.press(DOWN);
    const lines = s.lines('Pick');
    expect(lines).toHaveLength(12);
    expect(lines[10]).toBe('❯ ns/pod-14');
    expect(lines[11]).toBe('  (25 in all)');
  });

  it('control characters in an entry cannot reach the terminal', () => {
    expect(new PickerState(['ns/\x1b[2Jx']).lines('Pick')[1]).toBe('❯ ns/?[2Jx');
  });
});

describe('splitKeys', () => {
  it('escape sequences whole, control keys alone, text together', () => {
    expect(splitKeys('\x1b[Bab\r\x1bOA\x03')).toEqual(['\x1b[B', 'ab', '\r', '\x1bOA', '\x03']);
    expect(splitKeys('\x1b')).toEqual(['\x1b']);
  });
});
