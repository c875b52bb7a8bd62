// monaco-editor ships no typings for its "core without languages" entry; it is the same API.
declare module 'monaco-editor/esm/vs/editor/edcore.main' {
  export * from 'monaco-editor';
}
