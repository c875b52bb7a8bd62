/**
 * Whole outputs of drill (ldns 1.8.3, netshoot's `drill` package): drill/drill.c (argument
 * order, -x reverse names, no search list — ldns_resolver_send_pkt sends the name as given,
 * so `drill web` asks `web.`; `Error: error sending query: …` from drill/error.c and the
 * status text in error.c), host2str.c (ldns_pktheader2buffer_str's `rcode:` header and flag
 * list with its trailing space, ldns_rr2buffer_str_fmt's tab-separated records, every section
 * header even when empty, `;; SERVER:` without a port, ctime(3) WHEN). drill sends no EDNS by
 * default, so MSG SIZE has no OPT record. Answers are CoreDNS's, from the same model dig uses.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { scenario } from '../../unit/dns/scenario';
import { on, pod } from '../../unit/dns/run';
import { golden } from '../../unit/dns/golden';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

const tools = pod('default', 'tools');

describe('drill', () => {
  const sim = createSimulation(scenario('calico'));
  const cases: [string, string][] = [
    ['a.txt', 'drill web.default.svc.cluster.local'],
    ['relative-no-search.txt', 'drill web'],
    ['nxdomain.txt', 'drill nope.default.svc.cluster.local'],
    ['nodata-aaaa.txt', 'drill AAAA web.default.svc.cluster.local'],
    ['srv-headless.txt', 'drill _pg._tcp.db.default.svc.cluster.local SRV'],
    ['ptr.txt', 'drill -x 10.96.0.10'],
    ['tcp-at-server.txt', 'drill -t @10.96.0.10 kube-dns.kube-system.svc.cluster.local'],
    ['no-server.txt', 'drill web.default.svc.cluster.local @10.0.0.99'],
    ['bad-reverse.txt', 'drill -x web'],
    ['unknown-option.txt', 'drill -Z web'],
    ['option-after-name.txt', 'drill web.default.svc.cluster.local -x'],
    ['server-by-name.txt', 'drill @kube-dns.kube-system.svc.cluster.local web.default.svc.cluster.local'],
    ['ptr-ipv6.txt', 'drill -x fd00::1'],
    ['version.txt', 'drill -v'],
  ];
  for (const [file, line] of cases) it(line, () => golden(`dns/drill/${file}`, out(on(sim, tools, line))));
});
