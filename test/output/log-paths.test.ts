/** --output-dir: the path of each container's file. */
import { describe, expect, it } from 'vitest';
import { containerLogPath, pathPart } from '../../src/output/log-paths.js';

const ref = { context: 'arn:aws:eks:eu-west-1:1:cluster/prod', namespace: 'shop', pod: 'web-7d9', container: 'app' };

describe('containerLogPath', () => {
  it('DIR/NAMESPACE/POD/CONTAINER.log, with the context first when several are followed', () => {
    expect(containerLogPath('/logs', ref, false)).toBe('/logs/shop/web-7d9/app.log');
    expect(containerLogPath('/logs', ref, true)).toBe('/logs/arn:aws:eks:eu-west-1:1:cluster%2Fprod/shop/web-7d9/app.log');
    expect(containerLogPath('out/', { ...ref, context: 'dev' }, true)).toBe('out/dev/shop/web-7d9/app.log');
  });
});

describe('pathPart', () => {
  it.each<[string, string]>([
    ['dev', 'dev'],
    ['a/b', 'a%2Fb'],
    ['100%', '100%25'],
    ['a%2Fb', 'a%252Fb'], // not the same part as a/b
    ['..', '%2E%2E'],
    ['.', '%2E'],
    ['...x', '...x'],
    ['', '%'],
    ['nul\0', 'nul%00'],
  ])('%j → %j: one path part, never climbing out', (name, part) => {
    expect(pathPart(name)).toBe(part);
    expect(part).not.toContain('/');
  });
});
