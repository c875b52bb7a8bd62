/** The three files of a lesson the studio edits (shared by the page and the checker, without pulling the checker into the page's bundle). */
export type StudioFile = 'index.mdx' | 'tasks.yaml' | 'scenario.yaml';
export const STUDIO_FILES: StudioFile[] = ['index.mdx', 'tasks.yaml', 'scenario.yaml'];
