/**
 * An illustration of what the course is about (not output of any command): a client Pod's
 * packet goes to a Service's virtual IP, kube-proxy's rules pick a backend Pod on another
 * node, and the packet crosses the node network to reach it.
 */
export function HeroArt() {
  const pod = (x: number, y: number, label: string, hot = false) => (
    <g transform={`translate(${x} ${y})`}>
      <rect width="92" height="34" rx="9" fill={hot ? 'var(--accent-soft)' : 'var(--surface)'} stroke={hot ? 'var(--accent)' : 'var(--line)'} />
      <circle cx="16" cy="17" r="4.5" fill={hot ? 'var(--accent)' : 'var(--ok)'} />
      <text x="28" y="21.5" fontSize="11.5" fontFamily="var(--font-mono)" fill="var(--ink)">
        {label}
      </text>
    </g>
  );
  return (
    <svg viewBox="0 0 440 330" className="h-auto w-full" role="img" aria-label="Illustration: a packet from a client Pod goes to a Service, kube-proxy's rules choose a web Pod on another node, and the packet crosses the node network to reach it.">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0 0L10 5L0 10z" fill="var(--accent)" />
        </marker>
        <pattern id="dots" width="16" height="16" patternUnits="userSpaceOnUse">
          <circle cx="1.5" cy="1.5" r="1" fill="var(--line)" />
        </pattern>
      </defs>
      <rect x="0.5" y="0.5" width="439" height="329" rx="20" fill="var(--surface-2)" stroke="var(--line)" />
      <rect x="0.5" y="0.5" width="439" height="329" rx="20" fill="url(#dots)" opacity="0.7" />

      {/* Service */}
      <g transform="translate(150 26)">
        <rect width="140" height="44" rx="22" fill="var(--accent)" />
        <text x="70" y="19" textAnchor="middle" fontSize="11" fontWeight="600" fill="var(--accent-ink)">
          Service web
        </text>
        <text x="70" y="33" textAnchor="middle" fontSize="10.5" fontFamily="var(--font-mono)" fill="var(--accent-ink)" opacity="0.85">
          ClusterIP :80
        </text>
      </g>

      {/* nodes */}
      {[
        { x: 22, name: 'node-1', cidr: '10.244.1.0/24' },
        { x: 230, name: 'node-2', cidr: '10.244.2.0/24' },
      ].map((n) => (
        <g key={n.name} transform={`translate(${n.x} 110)`}>
          <rect width="188" height="196" rx="14" fill="var(--bg)" stroke="var(--line)" />
          <text x="14" y="24" fontSize="12" fontWeight="600" fontFamily="var(--font-mono)" fill="var(--ink)">
            {n.name}
          </text>
          <text x="14" y="146" fontSize="10.5" fontFamily="var(--font-mono)" fill="var(--muted)">
            podCIDR {n.cidr}
          </text>
          <rect x="14" y="156" width="160" height="26" rx="7" fill="var(--surface)" stroke="var(--line)" strokeDasharray="3 3" />
          <text x="94" y="173" textAnchor="middle" fontSize="10.5" fontFamily="var(--font-mono)" fill="var(--muted)">
            kube-proxy · cni0 bridge
          </text>
        </g>
      ))}
      {pod(36, 164, 'client')}
      {pod(36, 206, 'web-7c5d')}
      {pod(244, 164, 'web-9f2k', true)}
      {pod(244, 206, 'web-x4p8')}

      {/* the packet's path */}
      <path d="M128 181 C 160 181, 150 100, 172 72" fill="none" stroke="var(--accent)" strokeWidth="2" markerEnd="url(#arrow)" />
      <path d="M262 70 C 300 88, 318 120, 320 160" fill="none" stroke="var(--accent)" strokeWidth="2" strokeDasharray="5 4" markerEnd="url(#arrow)" />
      <text x="332" y="92" fontSize="10.5" fill="var(--muted)">
        DNAT to a
      </text>
      <text x="332" y="106" fontSize="10.5" fill="var(--muted)">
        ready endpoint
      </text>
      <text x="84" y="100" fontSize="10.5" fill="var(--muted)">
        curl web
      </text>
    </svg>
  );
}
