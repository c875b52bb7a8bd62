// Monaco's Monarch grammars ship as plain modules without typings of their own.
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
