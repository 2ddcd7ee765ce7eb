import { describe, expect, it } from 'vitest';
import { ingressServices } from '../../src/follow/ingress.js';

describe('ingressServices', () => {
  it('the default backend and every path backend, each service once, in order; resource backends have none', () => {
    const obj = {
      spec: {
        defaultBackend: { service: { name: 'web', port: { number: 80 } } },
        rules: [
          { host: 'a', http: { paths: [{ backend: { service: { name: 'api' } } }, { backend: { service: { name: 'web' } } }] } },
          {
            host: 'b',
            http: { paths: [{ backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'assets' } } }] },
          },
          { host: 'c' },
        ],
      },
    };
    expect(ingressServices(obj as never)).toEqual(['web', 'api']);
  });

  it('an ingress without spec names none', () => {
    expect(ingressServices({})).toEqual([]);
  });
});
