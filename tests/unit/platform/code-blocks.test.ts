/** File names for prose code blocks (lib/code-blocks.ts): from the fence's meta, else from the manifest. */
import { describe, expect, it } from 'vitest';
import { fileNameForManifest, fileNameFromMeta, remarkCodeMeta } from '../../../lib/code-blocks';

describe('fileNameFromMeta', () => {
  it.each([
    ['title="allow-frontend.yaml"', 'allow-frontend.yaml'],
    ["title='web.yml' showLineNumbers", 'web.yml'],
    ['file=policies/deny.yaml', 'policies/deny.yaml'],
    ['filename=~/svc.json', 'svc.json'],
    ['web.yaml', 'web.yaml'],
    ['{1,3} ./web.yaml', 'web.yaml'],
  ])('%s → %s', (meta, name) => expect(fileNameFromMeta(meta)).toBe(name));

  it.each([[null], [''], ['showLineNumbers'], ['title="Two words"'], ['title=../etc/x.yaml'], ['title=/etc/x.yaml'], ['title=notes.txt']])('%s → none', (meta) =>
    expect(fileNameFromMeta(meta)).toBeUndefined(),
  );
});

describe('fileNameForManifest', () => {
  it('takes the first object’s metadata.name, past labels and comments', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: web\n\n  name: "web" # the Service\n  namespace: shop\nspec: {}\n---\nkind: Pod\nmetadata:\n  name: other\n';
    expect(fileNameForManifest(text)).toBe('web.yaml');
  });
  it('falls back when there is no name', () => {
    expect(fileNameForManifest('cluster:\n  cni: calico\n')).toBe('snippet.yaml');
    expect(fileNameForManifest('metadata:\n  generateName: web-\n', 'x.yaml')).toBe('x.yaml');
  });
});

describe('remarkCodeMeta', () => {
  it('hands the fence’s file name to the <code> element', () => {
    const tree = { type: 'root', children: [{ type: 'code', meta: 'title="a.yaml"' }, { type: 'code', meta: null }] };
    remarkCodeMeta()(tree);
    expect(tree.children.map((c) => (c as { data?: unknown }).data)).toEqual([{ hProperties: { 'data-filename': 'a.yaml' } }, undefined]);
  });
});
