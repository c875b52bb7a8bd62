/**
 * `kubectl VERB --help` for every verb the simulation accepts, and `kubectl options`, pinned whole.
 *
 * upstream: k8s.io/kubectl v0.34.2 — each verb's pkg/cmd/<verb>/*.go (the cobra.Command's Use,
 * Long, Example, Aliases, subcommands and flag definitions, extracted by
 * scripts/kubectl-help-extract.mjs into engine/commands/kubectl/help-texts.ts),
 * pkg/util/templates (templates.go MainHelpTemplate/MainUsageTemplate/OptionsUsageTemplate,
 * templater.go usageLine and flagsUsages, help_flags_printer.go, normalizers.go and markdown.go),
 * pkg/cmd/util/helpers.go (the shared Add*Flags), pkg/cmd/options/options.go; k8s.io/cli-runtime
 * v0.34.2 genericclioptions (PrintFlags, FileNameFlags, ResourceBuilderFlags, ConfigFlags);
 * spf13/cobra (UseLine, NamePadding, sorted subcommands). Output to a pipe: no word wrapping.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';
import { HELP_TEXTS } from '../../../engine/commands/kubectl/help-texts';

const VERBS = Object.keys(HELP_TEXTS).filter((v) => v !== 'options');

describe('kubectl help', () => {
  it('prints every verb\'s and subcommand\'s help as kubectl v1.34 does', () => {
    const sim = createSimulation(undefined, { seed: 1 });
    golden('help', transcriptOf(sim, [...VERBS.map((v) => `kubectl ${v} --help`), 'kubectl get -h', 'kubectl options']));
  });

  it('has a full help text for every verb it accepts: Long or Short, Usage, the options hint', () => {
    const sim = createSimulation(undefined, { seed: 1 });
    for (const v of VERBS) {
      const out = sim.run(`kubectl ${v} --help`).stdout;
      expect(out.startsWith((HELP_TEXTS[v].long || HELP_TEXTS[v].short).trim())).toBe(true);
      expect(out).toContain(`Usage:\n  ${['kubectl', ...v.split(' ').slice(0, -1), HELP_TEXTS[v].use].join(' ')}`);
      expect(out.endsWith('Use "kubectl options" for a list of global command-line options (applies to all commands).\n')).toBe(true);
    }
  });
});
