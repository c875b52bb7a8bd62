/**
 * Monaco, from the installed package (never a CDN): workers bundled by Next from
 * node_modules, monaco-yaml configured with Netlab's bundled Kubernetes schemas, and
 * @monaco-editor/react pointed at this instance. Only the editor core and the YAML
 * grammar are loaded — not Monaco's eighty other languages.
 */
import { loader } from '@monaco-editor/react';
import type * as MonacoNs from 'monaco-editor';
import { manifestSchema } from '@/lib/k8s-schemas';

export type Monaco = typeof MonacoNs;

let ready: Promise<Monaco> | null = null;

export function setupMonaco(): Promise<Monaco> {
  if (ready) return ready;
  ready = (async () => {
    // Monaco rejects pending language-service requests with a "Canceled" error when a model
    // goes away (the editor closes after `kubectl edit`); that is expected, not a failure.
    window.addEventListener('unhandledrejection', (e) => {
      const r = e.reason as { name?: string; message?: string } | undefined;
      if (r && (r.name === 'Canceled' || r.message === 'Canceled')) e.preventDefault();
    });
    (self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
      getWorker(_workerId: string, label: string) {
        if (label === 'yaml') {
          return new Worker(new URL('monaco-yaml/yaml.worker', import.meta.url), { type: 'module' });
        }
        return new Worker(new URL('monaco-editor/esm/vs/editor/editor.worker', import.meta.url), { type: 'module' });
      },
    };
    const monaco = (await import('monaco-editor/esm/vs/editor/edcore.main')) as unknown as Monaco;
    await import('monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution');
    const { configureMonacoYaml } = await import('monaco-yaml');
    configureMonacoYaml(monaco, {
      enableSchemaRequest: false,
      validate: true,
      completion: true,
      hover: true,
      schemas: [{ uri: 'inmemory://netlab/schemas/kubernetes.json', fileMatch: ['*'], schema: manifestSchema() as never }],
    });
    monaco.editor.defineTheme('netlab-dark', {
      base: 'vs-dark',
      inherit: true,
      rules: [],
      colors: { 'editor.background': '#0f141b', 'editorGutter.background': '#0f141b', 'editor.lineHighlightBackground': '#161d27' },
    });
    monaco.editor.defineTheme('netlab-light', {
      base: 'vs',
      inherit: true,
      rules: [],
      colors: { 'editor.background': '#ffffff' },
    });
    loader.config({ monaco });
    return monaco;
  })();
  return ready;
}
