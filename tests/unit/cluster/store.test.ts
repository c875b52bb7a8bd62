/**
 * The object store's revision, as etcd's: every write and every delete is a revision of its
 * own, so a controller that re-derives only when the revision moved (ingress-nginx, the
 * per-revision memos of the CNI room) also sees an object deleted alone.
 */
import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../../engine/cluster/store';
import type { KubeObject } from '../../../engine/cluster/types';

const cm = (name: string, rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion: rv, uid: name, creationTimestamp: '2025-01-15T09:00:00Z' } }) as KubeObject;

describe('ObjectStore revision', () => {
  it('moves on a delete, and not on deleting what is not there', () => {
    const s = new ObjectStore();
    s.put(cm('a', s.nextResourceVersion()));
    const before = s.revision;
    expect(s.remove('ConfigMap', 'default', 'a')).toBeDefined();
    expect(s.revision).toBe(before + 1);
    expect(s.remove('ConfigMap', 'default', 'a')).toBeUndefined();
    expect(s.revision).toBe(before + 1);
  });
});
