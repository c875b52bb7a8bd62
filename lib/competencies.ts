/**
 * The CNCF exam competencies a lesson may be tagged with (frontmatter `competencies:`),
 * as the curricula word them. Pure data: the course map, the lesson page and the lesson
 * checker read it.
 *
 * Sources, github.com/cncf/curriculum (read 2026-12-07):
 * - CKA_Curriculum_v1.35.pdf (commit 008b73c, 2026-03-03): the domain printed as
 *   "20% - Servicing and Networking" (Services & Networking), plus one item each of
 *   "Troubleshooting" and "Cluster Architecture, Installation and Configuration".
 * - CKAD_Curriculum_v1.35.pdf (commit d50919e, 2026-02-25): "20% - Services and
 *   Networking", plus one item each of "Application Design and Build" and "Application
 *   Observability and Maintenance".
 * - KCNA_Curriculum.pdf (commit 06702fe, 2025-11-24): the KCNA lists topics, not items;
 *   these are the topics of its domains that a networking course covers.
 */

export type Exam = 'CKA' | 'CKAD' | 'KCNA';

export interface Competency {
  id: string;
  exam: Exam;
  /** The curriculum's domain, as it names it. */
  domain: string;
  /** The item (CKA, CKAD) or topic (KCNA), word for word. */
  text: string;
  /** A few words for a chip. */
  short: string;
}

export const CURRICULA: Record<Exam, { version: string; file: string }> = {
  CKA: { version: 'v1.35', file: 'CKA_Curriculum_v1.35.pdf' },
  CKAD: { version: 'v1.35', file: 'CKAD_Curriculum_v1.35.pdf' },
  KCNA: { version: 'November 2025', file: 'KCNA_Curriculum.pdf' },
};

const CKA_NET = 'Services & Networking (20%)';
const CKAD_NET = 'Services and Networking (20%)';

export const COMPETENCIES: readonly Competency[] = [
  { id: 'cka-pod-connectivity', exam: 'CKA', domain: CKA_NET, text: 'Understand connectivity between Pods', short: 'Pod connectivity' },
  { id: 'cka-network-policies', exam: 'CKA', domain: CKA_NET, text: 'Define and enforce Network Policies', short: 'Network Policies' },
  { id: 'cka-service-types', exam: 'CKA', domain: CKA_NET, text: 'Use ClusterIP, NodePort, LoadBalancer service types and endpoints', short: 'Service types & endpoints' },
  { id: 'cka-gateway-api', exam: 'CKA', domain: CKA_NET, text: 'Use the Gateway API to manage Ingress traffic', short: 'Gateway API' },
  { id: 'cka-ingress', exam: 'CKA', domain: CKA_NET, text: 'Know how to use Ingress controllers and Ingress resources', short: 'Ingress' },
  { id: 'cka-coredns', exam: 'CKA', domain: CKA_NET, text: 'Understand and use CoreDNS', short: 'CoreDNS' },
  { id: 'cka-troubleshoot-networking', exam: 'CKA', domain: 'Troubleshooting (30%)', text: 'Troubleshoot services and networking', short: 'Troubleshoot networking' },
  { id: 'cka-extension-interfaces', exam: 'CKA', domain: 'Cluster Architecture, Installation and Configuration (25%)', text: 'Understand extension interfaces (CNI, CSI, CRI, etc.)', short: 'CNI' },
  { id: 'ckad-network-policies', exam: 'CKAD', domain: CKAD_NET, text: 'Demonstrate basic understanding of NetworkPolicies', short: 'NetworkPolicies' },
  { id: 'ckad-services', exam: 'CKAD', domain: CKAD_NET, text: 'Provide and troubleshoot access to applications via services', short: 'Access via Services' },
  { id: 'ckad-ingress', exam: 'CKAD', domain: CKAD_NET, text: 'Use Ingress rules to expose applications', short: 'Ingress rules' },
  { id: 'ckad-multi-container', exam: 'CKAD', domain: 'Application Design and Build (20%)', text: 'Understand multi-container Pod design patterns (e.g. sidecar, init and others)', short: 'Multi-container Pods' },
  { id: 'ckad-probes', exam: 'CKAD', domain: 'Application Observability and Maintenance (15%)', text: 'Implement probes and health checks', short: 'Probes' },
  { id: 'kcna-core-concepts', exam: 'KCNA', domain: 'Kubernetes Fundamentals (44%)', text: 'Kubernetes Core Concepts', short: 'Core concepts' },
  { id: 'kcna-containerization', exam: 'KCNA', domain: 'Kubernetes Fundamentals (44%)', text: 'Containerization', short: 'Containerization' },
  { id: 'kcna-networking', exam: 'KCNA', domain: 'Container Orchestration (28%)', text: 'Networking', short: 'Networking' },
  { id: 'kcna-security', exam: 'KCNA', domain: 'Container Orchestration (28%)', text: 'Security', short: 'Security' },
  { id: 'kcna-troubleshooting', exam: 'KCNA', domain: 'Container Orchestration (28%)', text: 'Troubleshooting', short: 'Troubleshooting' },
  { id: 'kcna-observability', exam: 'KCNA', domain: 'Cloud Native Architecture (12%)', text: 'Observability', short: 'Observability' },
  { id: 'kcna-ecosystem', exam: 'KCNA', domain: 'Cloud Native Architecture (12%)', text: 'Cloud Native Ecosystem and Principles', short: 'Ecosystem' },
];

export function competency(id: string): Competency | undefined {
  return COMPETENCIES.find((c) => c.id === id);
}

/** A lesson's tags in a stable order: CKA, CKAD, KCNA, each in the curriculum's order. */
export function sortCompetencies(ids: readonly string[]): Competency[] {
  return COMPETENCIES.filter((c) => ids.includes(c.id));
}

/** The words a chip's tooltip and screen readers get: "CKA v1.35 · Services & Networking (20%): Understand and use CoreDNS". */
export function competencyTitle(c: Competency): string {
  return `${c.exam} ${CURRICULA[c.exam].version} · ${c.domain}: ${c.text}`;
}
