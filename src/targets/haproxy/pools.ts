// One backend per upstream (a service, or the gateway) that holds the active health checks of its
// instances. Route backends `track` these servers, so an instance is checked once however many
// routes use it.
import type { EdgeSpec } from '../../spec/schema.js';
import { type Block, BlockBuilder } from './block.js';
import type { HaproxyOptions } from './options.js';
import { millis } from './units.js';
import type { Upstream } from './upstreams.js';

/** Splits a long comment at word boundaries (about 110 columns). */
function wrap(text: string, width = 110): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}

export function poolBlock(spec: EdgeSpec, u: Upstream, opts: HaproxyOptions): Block {
  const { interMs, fall, rise } = opts.health;
  const what = u.kind === 'gateway' ? `the TypeScript gateway (${u.servers.length} replica${u.servers.length > 1 ? 's' : ''})` : `service ${u.label}`;
  const b = new BlockBuilder(`backend ${u.pool}`, [
    `Health of ${what}: active checks (HAProxy's free edition has them) every ${millis(interMs)}; down after ${fall}`,
    `failures, up after ${rise} successes. Route backends track these servers; no request goes through here.`,
    'No passive checks (observe needs the checked server to carry the traffic); a refused connection is retried on another instance.',
  ]);
  if (u.check.kind === 'tcp') {
    b.comment(...wrap(u.check.why));
  } else {
    b.line('option httpchk', `http-check send meth GET uri ${u.check.path} ver HTTP/1.1 hdr Host ${spec.listen.serverName}`, 'http-check expect status 200');
  }
  b.line(`default-server check inter ${millis(interMs)} fall ${fall} rise ${rise}`);
  for (const s of u.servers) b.line(`server ${s.name} 127.0.0.1:${s.port}`);
  return b.build();
}
