import { createElement, type ReactElement } from 'react';
import { getMDXComponent } from 'mdx-bundler/client';
import { mdxComponents } from '@/components/mdx';

// getMDXComponent evaluates a bundle into a component: do it once per bundle, at module
// level, so React sees a stable component (and ESLint's static-components rule agrees).
const cache = new Map<string, ReturnType<typeof getMDXComponent>>();

export function mdxFor(code: string): ReturnType<typeof getMDXComponent> {
  let c = cache.get(code);
  if (!c) {
    c = getMDXComponent(code);
    cache.set(code, c);
  }
  return c;
}

/** The rendered MDX bundle with Netlab's lesson components. */
export function renderMdx(code: string): ReactElement {
  return createElement(mdxFor(code), { components: mdxComponents as never });
}
