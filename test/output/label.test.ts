import { describe, expect, it } from 'vitest';
import { sourceLabel, type LabelDisplay } from '../../src/output/label.js';
import type { SourceInfo } from '../../src/output/label.js';

const ref = { context: 'eu', namespace: 'shop', pod: 'web-7d9', container: 'app' };

describe('sourceLabel', () => {
  it.each<[string, LabelDisplay, { context: string | undefined; namespace: string | undefined }]>([
    [
      'one context, one namespace: pod and container only',
      { showContext: false, showNamespace: false },
      { context: undefined, namespace: undefined },
    ],
    ['several contexts: the context', { showContext: true, showNamespace: false }, { context: 'eu', namespace: undefined }],
    ['several namespaces: the namespace', { showContext: false, showNamespace: true }, { context: undefined, namespace: 'shop' }],
    ['both', { showContext: true, showNamespace: true }, { context: 'eu', namespace: 'shop' }],
  ])('%s', (_name, display, shown) => {
    expect(sourceLabel(ref, display)).toEqual({ ...shown, pod: 'web-7d9', container: 'app', colors: undefined });
  });

  it('a followed source carries its colours and what JSON output shows of its pod', () => {
    const info: SourceInfo = { context: 'eu', namespace: 'shop', nodeName: 'n1', labels: { app: 'web' }, annotations: {} };
    const colors = { pod: '31', container: '32' };
    expect(sourceLabel(ref, { showContext: false, showNamespace: false }, { colors, info })).toEqual({
      context: undefined,
      namespace: undefined,
      pod: 'web-7d9',
      container: 'app',
      colors,
      info,
    });
  });
});
