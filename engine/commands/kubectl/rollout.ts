/**
 * kubectl rollout — k8s.io/kubectl/pkg/cmd/rollout: status (the messages of
 * polymorphichelpers/rollout_status.go DeploymentStatusViewer, streamed until done),
 * restart (kubectl.kubernetes.io/restartedAt), pause, resume, history.
 */
import type { CommandOutcome, Streaming } from '../../types';
import { isKind, isWorkload, type Deployment, type DeploymentStatus, type PodTemplateSpec, type Workload } from '../../cluster/types';
import { notFound } from '../../cluster/api';
import { flagBool, flagString, type FlagDef } from './flags';
import { dryRunStrategy, dryRunText, errorText, KubectlError, kindPrefix, type Kctx, fieldManager } from './common';
import { parseSelection } from './get';
import { parseDuration } from './wait';
import { podTemplateText } from '../../printers/kubectl/describe';
import { DEPLOYMENT_ANNOTATIONS_TO_SKIP } from '../../controllers/workloads';

export const ROLLOUT_FLAGS: FlagDef[] = [
  { long: 'watch', short: 'w', type: 'string' },
  { long: 'timeout', type: 'string' },
  { long: 'revision', type: 'int' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'to-revision', type: 'int' },
  { long: 'dry-run', type: 'string' },
];

/** DeploymentStatusViewer.Status: the message and whether the rollout is done. */
export function deploymentStatus(d: Deployment): { msg: string; done: boolean } {
  const name = d.metadata.name;
  const st: DeploymentStatus = d.status ?? {};
  const replicas = d.spec?.replicas ?? 1;
  if ((d.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const cond = (st.conditions ?? []).find((c) => c.type === 'Progressing');
    if (cond && cond.reason === 'ProgressDeadlineExceeded') throw new KubectlError(`error: deployment "${name}" exceeded its progress deadline`);
    const updated = st.updatedReplicas ?? 0;
    if (updated < replicas) return { msg: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`, done: false };
    if ((st.replicas ?? 0) > updated) return { msg: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
    if ((st.availableReplicas ?? 0) < updated) return { msg: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
    return { msg: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { msg: 'Waiting for deployment spec update to be observed...\n', done: false };
}

function statusOf(k: Kctx, d: Workload): { msg: string; done: boolean } {
  if (isKind(d, 'Deployment')) return deploymentStatus(d);
  const name = d.metadata.name;
  if (isKind(d, 'DaemonSet')) {
    const st: Partial<NonNullable<typeof d.status>> = d.status ?? {};
    const want = st.desiredNumberScheduled ?? 0;
    if ((st.updatedNumberScheduled ?? 0) < want) return { msg: `Waiting for daemon set "${name}" rollout to finish: ${st.updatedNumberScheduled ?? 0} out of ${want} new pods have been updated...\n`, done: false };
    if ((st.numberAvailable ?? 0) < want) return { msg: `Waiting for daemon set "${name}" rollout to finish: ${st.numberAvailable ?? 0} of ${want} updated pods are available...\n`, done: false };
    return { msg: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  const st: Partial<NonNullable<typeof d.status>> = d.status ?? {};
  const replicas = d.spec?.replicas ?? 1;
  if ((st.readyReplicas ?? 0) < replicas) return { msg: `Waiting for ${replicas - (st.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
  void k;
  return { msg: `partitioned roll out complete: ${replicas} new pods have been updated...\n`, done: true };
}

export function runRollout(k: Kctx): CommandOutcome {
  const [sub, ...args] = k.flags.positional;
  const subs = ['history', 'pause', 'restart', 'resume', 'status', 'undo'];
  if (!sub || !subs.includes(sub)) {
    if (!sub) throw new KubectlError("error: Required resource not specified.\nSee 'kubectl rollout -h' for help and examples");
    throw new KubectlError(`error: unknown command "${sub}" for "kubectl rollout"\nSee 'kubectl rollout -h' for help and examples`);
  }
  if (args.length === 0) throw new KubectlError(`error: required resource not specified`);
  const sel = parseSelection(args, `rollout ${sub}`, k.store);
  const targets: Workload[] = [];
  for (const r of sel.requests) {
    if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(r.info.kind)) {
      throw new KubectlError(`error: no status viewer has been implemented for ${r.info.kind}`);
    }
    for (const n of r.names ?? k.store.list(r.info.kind, k.namespace).map((o) => o.metadata.name)) {
      const o = k.store.get(r.info.kind, k.namespace, n);
      if (!o) throw notFound(r.info, n);
      // the kind was checked above: a Deployment, DaemonSet or StatefulSet
      if (isWorkload(o)) targets.push(o);
    }
  }
  const ref = (o: Workload) => `${kindPrefix(sel.requests.find((r) => r.info.kind === o.kind)!.info)}/${o.metadata.name}`;
  switch (sub) {
    case 'status': {
      const target = targets[0];
      const watch = flagString(k.flags, 'watch') !== 'false';
      // rollout_status.go: --timeout bounds the watch (ContextWithOptionalTimeout; 0 waits for ever)
      const timeoutArg = flagString(k.flags, 'timeout');
      const timeout = timeoutArg === undefined ? 0 : parseDuration(timeoutArg);
      const first = statusOf(k, target);
      if (first.done || !watch) return { stdout: first.msg, stderr: '', exitCode: 0 };
      const start = k.cluster.clock.now();
      let last = first.msg;
      const s: Streaming = {
        streaming: true,
        stdout: first.msg,
        stderr: '',
        intervalMs: 1000,
        step: () => {
          const cur = k.store.get(target.kind, target.metadata.namespace, target.metadata.name);
          if (!cur || !isWorkload(cur)) return { stderr: errorText(notFound(sel.requests[0].info, target.metadata.name)), done: true, exitCode: 1 };
          let st;
          try {
            st = statusOf(k, cur);
          } catch (e) {
            return { stderr: errorText(e), done: true, exitCode: 1 };
          }
          const out = st.msg !== last || st.done ? st.msg : '';
          last = st.msg;
          if (st.done) return { stdout: out, done: true, exitCode: 0 };
          // watchtools.UntilWithSync's wait.ErrWaitTimeout
          if (timeout > 0 && k.cluster.clock.now() - start >= timeout) return { stdout: out, stderr: 'error: timed out waiting for the condition\n', done: true, exitCode: 1 };
          return { stdout: out };
        },
        interrupt: () => ({ exitCode: 130 }),
      };
      return s;
    }
    case 'restart': {
      noDryRunFlag(k, sub);
      let stdout = '';
      for (const o of targets) {
        const next = structuredClone(o);
        const template = (next.spec.template = next.spec.template ?? {});
        const metadata = (template.metadata = template.metadata ?? {});
        metadata.annotations = { ...(metadata.annotations ?? {}), 'kubectl.kubernetes.io/restartedAt': k.cluster.clock.iso() };
        k.cluster.api.update(next, { fieldManager: fieldManager(k, 'kubectl-rollout') });
        stdout += `${ref(o)} restarted\n`;
      }
      return { stdout, stderr: '', exitCode: 0 };
    }
    case 'pause':
    case 'resume': {
      noDryRunFlag(k, sub);
      let stdout = '';
      let stderr = '';
      for (const o of targets) {
        const want = sub === 'pause';
        if (!isKind(o, 'Deployment')) {
          stderr += `error: ${ref(o)} ${sub === 'pause' ? 'pausing' : 'resuming'} is not supported\n`;
          continue;
        }
        if (!!o.spec?.paused === want) {
          stderr += `error: ${ref(o)} is ${want ? 'already paused' : 'not paused'}\n`;
          continue;
        }
        const next = structuredClone(o);
        if (want) next.spec.paused = true;
        else delete next.spec.paused;
        k.cluster.api.update(next, { fieldManager: fieldManager(k, 'kubectl-rollout') });
        stdout += `${ref(o)} ${want ? 'paused' : 'resumed'}\n`;
      }
      return { stdout, stderr, exitCode: stderr ? 1 : 0 };
    }
    case 'history': {
      let stdout = '';
      const revision = k.flags.values.get('revision') as number | undefined;
      // rollout_history.go Validate
      if (revision !== undefined && revision < 0) throw new KubectlError(`error: revision must be a positive integer: ${revision}`);
      for (const o of targets) {
        const rss = k.store.list('ReplicaSet', o.metadata.namespace).filter((rs) => (rs.metadata.ownerReferences ?? []).some((r) => r.kind === o.kind && r.name === o.metadata.name));
        if (revision) {
          // history.go ViewHistory: the template of that revision, its change-cause among the annotations
          const rs = rss.find((x) => Number(x.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) === revision);
          if (!rs) throw new KubectlError('error: unable to find the specified revision');
          const template: PodTemplateSpec = structuredClone(rs.spec?.template ?? {});
          const cause = rs.metadata.annotations?.['kubernetes.io/change-cause'];
          if (cause) template.metadata = { ...(template.metadata ?? {}), annotations: { ...(template.metadata?.annotations ?? {}), 'kubernetes.io/change-cause': cause } };
          // a NamePrinter whose operation is "with revision #N\n<template>"
          stdout += `${ref(o)} with revision #${revision}\n${podTemplateText(template)}\n`;
          continue;
        }
        const revs = rss
          .map((rs) => ({ rev: Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0), cause: rs.metadata.annotations?.['kubernetes.io/change-cause'] ?? '<none>' }))
          .filter((r) => r.rev > 0)
          .sort((a, b) => a.rev - b.rev);
        stdout += `${ref(o)} \nREVISION  CHANGE-CAUSE\n` + revs.map((r) => `${String(r.rev).padEnd(10)}${r.cause}\n`).join('') + '\n';
      }
      return { stdout, stderr: '', exitCode: 0 };
    }
    case 'undo': {
      // rollback.go: a client dry run prints the revision's template (not simulated here); a server one is the PATCH with ?dryRun=All
      const dry = dryRunStrategy(k);
      if (dry === 'client') throw new KubectlError('error: kubectl rollout undo --dry-run=client is not simulated here');
      let stdout = '';
      for (const o of targets) {
        if (!isKind(o, 'Deployment')) throw new KubectlError(`error: no rollbacker has been implemented for "${o.kind}"`);
        const rss = k.store
          .list('ReplicaSet', o.metadata.namespace)
          .filter((rs) => (rs.metadata.ownerReferences ?? []).some((r) => r.kind === 'Deployment' && r.name === o.metadata.name))
          .map((rs) => ({ rs, rev: Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) }))
          .sort((a, b) => b.rev - a.rev);
        const want = k.flags.values.get('to-revision') as number | undefined;
        const target = want ? rss.find((x) => x.rev === want) : rss[1];
        if (!target) {
          if (want) throw new KubectlError(`error: unable to find specified revision ${want} in history`);
          throw new KubectlError(`error: no rollout history found for deployment "${o.metadata.name}"`);
        }
        const template: PodTemplateSpec = structuredClone(target.rs.spec?.template ?? {});
        if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
        if (JSON.stringify(template) === JSON.stringify(o.spec?.template)) {
          stdout += `${ref(o)} skipped rollback (current template already matches revision ${target.rev})${dryRunText(dry)}\n`;
          continue;
        }
        const next = structuredClone(o);
        next.spec.template = template;
        // rollback.go DeploymentRollbacker: the Deployment's skipped annotations kept, the revision's others restored (its change-cause)
        const annotations: Record<string, string> = {};
        for (const [key, v] of Object.entries(o.metadata.annotations ?? {})) if (DEPLOYMENT_ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = v;
        for (const [key, v] of Object.entries(target.rs.metadata.annotations ?? {})) if (!DEPLOYMENT_ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = v;
        next.metadata.annotations = annotations;
        k.cluster.api.update(next, { fieldManager: fieldManager(k, 'kubectl-rollout'), dryRun: dry === 'server' });
        stdout += `${ref(o)} rolled back${dryRunText(dry)}\n`;
      }
      return { stdout, stderr: '', exitCode: 0 };
    }
    default:
      void flagBool;
      throw new KubectlError(`error: "kubectl rollout ${sub}" is not modeled by this simulated cluster`);
  }
}

/** rollout restart, pause and resume have no --dry-run flag in kubectl v0.34 (only undo adds it): pflag's error. */
function noDryRunFlag(k: Kctx, sub: string): void {
  if (k.flags.values.has('dry-run')) throw new KubectlError(`error: unknown flag: --dry-run\nSee 'kubectl rollout ${sub} --help' for usage.\n`);
}
