// The DC as capture reads it: every API call and GZ command timed on the way
// through, so the scenario it writes carries the latencies this DC shows.
import type { Dc } from '../../remote/dc.js';
import type { Host } from '../../remote/host.js';
import type { HttpTransport } from '../../remote/http-types.js';
import type { LatencySample } from '../../state/capture.js';

function timedHost(h: Host, samples: LatencySample[]): Host {
  return {
    name: h.name,
    async run(argv, opts) {
      const t0 = performance.now();
      const r = await h.run(argv, opts);
      samples.push({ kind: 'command', ms: performance.now() - t0 });
      return r;
    },
    close: () => h.close(),
  };
}

/** A Dc whose HTTP calls and commands add to `samples`; the same hosts for the same names. */
export function timedDc(dc: Dc, samples: LatencySample[]): Dc {
  const http: HttpTransport = async (req) => {
    const t0 = performance.now();
    const r = await dc.http(req);
    samples.push({ kind: 'http', ms: performance.now() - t0 });
    return r;
  };
  const peers = new Map<string, Host>();
  const local = timedHost(dc.local, samples);
  return {
    ...dc,
    label: dc.label,
    simulated: dc.simulated,
    local,
    restoreDataDir: dc.restoreDataDir,
    http,
    peer(hostname, adminIp) {
      if (hostname === dc.local.name) return local;
      let h = peers.get(hostname);
      if (!h) peers.set(hostname, (h = timedHost(dc.peer(hostname, adminIp), samples)));
      return h;
    },
    coordination: (m, o) => dc.coordination(m, o),
    close: () => dc.close(),
  };
}
