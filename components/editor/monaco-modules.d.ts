// monaco-editor ships no typings for its "core without languages" entry; it is the same API.
declare module 'monaco-editor/esm/vs/editor/edcore.main' {
  export * from 'monaco-editor';
}

// Monaco's Monarch grammars ship as plain modules without typings of their own: the YAML one
// (what yaml.contribution's lazy loader imports; YamlEditor preloads it) and, for the studio,
// Markdown's.
declare module 'monaco-editor/esm/vs/basic-languages/yaml/yaml' {
  import type { languages } from 'monaco-editor';
  export const conf: languages.LanguageConfiguration;
  export const language: languages.IMonarchLanguage;
}
declare module 'monaco-editor/esm/vs/basic-languages/markdown/markdown' {
  import type { languages } from 'monaco-editor';
  export const conf: languages.LanguageConfiguration;
  export const language: languages.IMonarchLanguage;
}
