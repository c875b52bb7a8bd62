/**
 * The lesson format, typed: frontmatter, the MDX components instructors may use (names
 * and props, as data), and the shapes the loader hands to pages. Pure — no fs, no
 * mdx-bundler — so client components may import the types and the component list.
 *
 * A lesson is a folder `lessons/<nn-slug>/`:
 *   index.mdx      frontmatter + prose
 *   scenario.yaml  the cluster (engine/scenario/load.ts format)
 *   tasks.yaml     the exercises (engine/grading/types.ts)
 *   files/         optional seed files for the editor (appear in ~)
 */
import type { Task } from '../engine/grading/types';
import { COMPETENCIES } from './competencies';

export type { Task, Check, Solution, TaskResult, Derived, Origin, Target } from '../engine/grading/types';

export interface LessonMeta {
  title: string;
  summary: string;
  /** The course module the lesson belongs to, e.g. "Services" (the course map groups by it). */
  module: string;
  /** Position in the course (lessons sort by order, then slug). */
  order: number;
  /** Estimated minutes to complete. */
  minutes: number;
  objectives: string[];
  /** Slugs of lessons to take first. */
  prerequisites: string[];
  /** The CKA / CKAD / KCNA competencies the lesson covers (ids of lib/competencies.ts). */
  competencies: string[];
}

export interface LessonSummary {
  slug: string;
  title: string;
  summary: string;
  module: string;
  order: number;
  minutes: number;
  objectives: string[];
  prerequisites: string[];
  competencies: string[];
  taskCount: number;
}

export interface LessonLink {
  slug: string;
  title: string;
}

export interface Lesson {
  slug: string;
  meta: LessonMeta;
  /** mdx-bundler output: rendered on the server by components/lesson/Mdx.tsx with the components in MDX_COMPONENTS. */
  mdxCode: string;
  /** scenario.yaml as text; pass to createSimulation / createLessonSimulation. */
  scenario: string;
  tasks: Task[];
  /** Seed files for the editor: path relative to ~ → content. */
  files: Record<string, string>;
  prev: LessonLink | null;
  next: LessonLink | null;
  /** The bullets of the lesson's `## Recap` (lib/recap.ts), for the completion card. */
  recap: string[];
}

// ---- frontmatter ------------------------------------------------------------------------

export const FRONTMATTER_FIELDS: Record<keyof LessonMeta, { type: 'string' | 'number' | 'string[]'; required: boolean; help: string }> = {
  title: { type: 'string', required: true, help: 'the lesson title, e.g. "Services and endpoints"' },
  summary: { type: 'string', required: true, help: 'one sentence for the course map' },
  module: { type: 'string', required: true, help: 'the course module, e.g. "Services"' },
  order: { type: 'number', required: true, help: 'position in the course, e.g. 20' },
  minutes: { type: 'number', required: true, help: 'estimated minutes, e.g. 15' },
  objectives: { type: 'string[]', required: true, help: 'what the learner will be able to do, as a list' },
  prerequisites: { type: 'string[]', required: false, help: 'slugs of lessons to take first, as a list (may be empty)' },
  competencies: { type: 'string[]', required: true, help: 'the CKA / CKAD / KCNA competencies the lesson covers, as ids from lib/competencies.ts (e.g. [cka-coredns, kcna-networking])' },
};

export interface FieldProblem {
  field: string;
  message: string;
}

/** Checks parsed frontmatter against the schema. Returns the typed meta, or the problems. */
export function validateFrontmatter(data: unknown): { meta?: LessonMeta; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { problems: [{ field: '', message: 'index.mdx must start with a frontmatter block between `---` lines' }] };
  }
  const d = data as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!(k in FRONTMATTER_FIELDS)) problems.push({ field: k, message: `unknown frontmatter field "${k}" (known: ${Object.keys(FRONTMATTER_FIELDS).join(', ')})` });
  }
  for (const [k, spec] of Object.entries(FRONTMATTER_FIELDS)) {
    const v = d[k];
    if (v === undefined || v === null) {
      if (spec.required) problems.push({ field: k, message: `missing \`${k}:\` — ${spec.help}` });
      continue;
    }
    const okType =
      spec.type === 'string' ? typeof v === 'string' && v.trim() !== '' : spec.type === 'number' ? typeof v === 'number' && Number.isFinite(v) && v >= 0 : Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!okType) problems.push({ field: k, message: `\`${k}\` must be ${spec.type === 'string[]' ? 'a list of strings' : spec.type === 'number' ? 'a non-negative number' : 'a non-empty string'} — ${spec.help}` });
  }
  if (Array.isArray(d.objectives) && d.objectives.length === 0) problems.push({ field: 'objectives', message: 'list at least one objective' });
  if (Array.isArray(d.competencies)) {
    if (d.competencies.length === 0) problems.push({ field: 'competencies', message: 'tag at least one competency (ids in lib/competencies.ts: the CKA, CKAD and KCNA items the lesson covers)' });
    const seen = new Set<string>();
    for (const id of d.competencies as unknown[]) {
      if (typeof id !== 'string') continue;
      if (!COMPETENCIES.some((c) => c.id === id)) {
        const exam = id.split('-')[0];
        const same = COMPETENCIES.filter((c) => c.id.startsWith(`${exam}-`)).map((c) => c.id);
        problems.push({ field: 'competencies', message: `unknown competency "${id}" (${same.length ? `${exam.toUpperCase()} ids: ${same.join(', ')}` : `ids start with cka-, ckad- or kcna-: ${COMPETENCIES.map((c) => c.id).join(', ')}`})` });
      } else if (seen.has(id)) problems.push({ field: 'competencies', message: `competency "${id}" is listed twice` });
      seen.add(id);
    }
  }
  if (problems.length) return { problems };
  return {
    meta: {
      title: d.title as string,
      summary: d.summary as string,
      module: d.module as string,
      order: d.order as number,
      minutes: d.minutes as number,
      objectives: d.objectives as string[],
      prerequisites: (d.prerequisites as string[] | undefined) ?? [],
      competencies: d.competencies as string[],
    },
    problems,
  };
}

// ---- MDX components ---------------------------------------------------------------------

export interface PropSpec {
  type: 'string' | 'number' | 'boolean';
  required?: boolean;
  /** Allowed values, for enumerations. */
  values?: string[];
  help: string;
}

export interface ComponentSpec {
  summary: string;
  props: Record<string, PropSpec>;
  /** What goes between the tags: nothing, text (one command), or MDX content. */
  children: 'none' | 'text' | 'mdx';
  example: string;
}

/**
 * The components an instructor may use in index.mdx. The platform renders them
 * (components/mdx/); the lesson checker rejects any other capitalised tag, any prop not
 * listed here, and any value outside `values`.
 */
export const MDX_COMPONENTS: Record<string, ComponentSpec> = {
  Callout: {
    summary: 'A highlighted aside.',
    props: {
      type: { type: 'string', values: ['note', 'tip', 'warning'], help: 'note (default), tip or warning' },
      title: { type: 'string', help: 'an optional heading' },
    },
    children: 'mdx',
    example: '<Callout type="tip">Short names work inside the same namespace.</Callout>',
  },
  Try: {
    summary: 'A command block with a button that pastes the command into the terminal (the learner presses Enter).',
    props: {},
    children: 'text',
    example: '<Try>kubectl get endpoints web</Try>',
  },
  Compare: {
    summary: 'Two things side by side (stacked on a phone). Children: exactly two <Column> elements.',
    props: {
      left: { type: 'string', required: true, help: 'title of the left column' },
      right: { type: 'string', required: true, help: 'title of the right column' },
    },
    children: 'mdx',
    example: '<Compare left="iptables" right="IPVS">\n<Column>…</Column>\n<Column>…</Column>\n</Compare>',
  },
  Column: {
    summary: 'One column of a <Compare>.',
    props: {},
    children: 'mdx',
    example: '<Column>Rules are walked in order.</Column>',
  },
  Diagram: {
    summary: 'A figure drawn in text (put a fenced code block inside), with a text alternative for screen readers.',
    props: {
      alt: { type: 'string', required: true, help: 'what the diagram shows, in one or two sentences (read by screen readers)' },
      caption: { type: 'string', help: 'a caption under the figure' },
    },
    children: 'mdx',
    example: '<Diagram alt="A packet goes from the client Pod to the Service IP, then to one backend Pod" caption="ClusterIP">\n```\nclient ──▶ 10.96.0.20:80 ──▶ 10.244.1.5:8080\n```\n</Diagram>',
  },
  TaskList: {
    summary: 'The lesson\'s tasks, with live checkmarks (the same list as the task panel).',
    props: {},
    children: 'none',
    example: '<TaskList />',
  },
  Task: {
    summary: 'One task inline, by id, with its live status.',
    props: { id: { type: 'string', required: true, help: 'a task id from tasks.yaml' } },
    children: 'none',
    example: '<Task id="create-service" />',
  },
};

export const MDX_COMPONENT_NAMES = Object.keys(MDX_COMPONENTS);

/** Slugs are the folder names: two digits, a dash, lowercase words (`20-services`). */
export const SLUG_PATTERN = /^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;
