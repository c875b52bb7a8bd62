/**
 * micromark decodes named character references (`&amp;`) with a DOM element in browser
 * bundles (decode-named-character-reference's "browser" export), and a Web Worker has no
 * `document`. This gives the checker's worker the one thing that module touches — an
 * element whose innerHTML `&name;` reads back as its character — from the same table the
 * package's Node build uses (character-entities). Imported first by check-worker.ts.
 */
import { characterEntities } from 'character-entities';

const scope = globalThis as unknown as { document?: unknown };
if (typeof scope.document === 'undefined') {
  scope.document = {
    createElement() {
      let text = '';
      return {
        set innerHTML(html: string) {
          const name = /^&([^;]+);$/.exec(html)?.[1];
          text = name !== undefined && Object.hasOwn(characterEntities, name) ? characterEntities[name] : html;
        },
        get textContent() {
          return text;
        },
      };
    },
  };
}
