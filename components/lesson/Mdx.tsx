/**
 * Compiled MDX (mdx-bundler's output, lib/lessons.ts and lib/mdx.ts) rendered as a server
 * component, so at build time in the static export: the browser gets the rendered prose
 * and the interactive lesson components (components/mdx, client components), never the
 * MDX code — nothing is evaluated with `new Function` on the page, and the site's
 * Content-Security-Policy needs no 'unsafe-eval'.
 */
import { createElement } from 'react';
import * as React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import { getMDXComponent } from 'mdx-bundler/client/jsx';
import { Callout, CodeBlock, Column, Compare, Diagram, H2, H3, H4, Task, TaskList, Try } from '@/components/mdx';

const components = { Callout, Try, Compare, Column, Diagram, TaskList, Task, h2: H2, h3: H3, h4: H4, pre: CodeBlock };

export function Mdx({ code }: { code: string }) {
  // The React this server render uses (not mdx-bundler's own require of it).
  const Content = getMDXComponent(code, { React, _jsx_runtime: jsxRuntime });
  return createElement(Content, { components: components as never });
}
