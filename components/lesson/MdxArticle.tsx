'use client';
import { renderMdx } from './mdx-cache';

/** Renders compiled MDX outside a lesson (the authoring guide); the lesson components work in static form. */
export function MdxArticle({ code }: { code: string }) {
  return renderMdx(code);
}
