// monaco-editor ships no typings for its "core without languages" entry; it is the same API.
declare module 'monaco-editor/esm/vs/editor/edcore.main' {
  export * from 'monaco-editor';
}

// The YAML grammar (what yaml.contribution's lazy loader imports), preloaded by YamlEditor's preloadMonaco.
declare module 'monaco-editor/esm/vs/basic-languages/yaml/yaml' {
  export const conf: unknown;
  export const language: unknown;
}
