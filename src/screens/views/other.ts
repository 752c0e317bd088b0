// Readiness inspection and the key help.
import type { ConsoleState } from '../../state/console.js';
import { blank, L, wrap, type Line, type ViewCtx } from './line.js';

export function inspectView(s: ConsoleState, c: ViewCtx): Line[] {
  const r = s.check;
  if (!r) return [L(`${s.loading ?? 'checking'}...`, 'busy')];
  const out: Line[] = [L(`Could the services be restored from here now? verdict ${r.verdict.toUpperCase()}, mode ${r.mode}`), blank];
  out.push(L('SERVICE      READY  DATA  AGE        IMAGE  DATASET', 'dim'));
  for (const svc of r.services) {
    const age = svc.restoreData.ageSeconds === null ? '-' : svc.restoreData.ageSeconds < 3600 ? `${Math.round(svc.restoreData.ageSeconds / 60)} min` : `${(svc.restoreData.ageSeconds / 3600).toFixed(1)} h`;
    const ds = svc.restoreData.dataset === null ? 'n/a' : svc.restoreData.dataset ? 'yes' : 'NO';
    out.push([
      { text: `${svc.name.padEnd(12)} ` },
      { text: (svc.ready ? 'yes' : 'NO').padEnd(6), tone: svc.ready ? 'ok' : 'fail' },
      { text: ` ${(svc.restoreData.present ? 'yes' : 'NO').padEnd(5)} ${age.padEnd(10)} ${(svc.restoreData.image ? 'yes' : 'NO').padEnd(6)} ${ds}` },
    ]);
  }
  out.push(blank);
  for (const p of r.problems) for (const w of wrap(`${p.severity === 'critical' ? 'CRIT' : 'WARN'} ${p.code}: ${p.message}`, c.width - 1)) out.push(L(w, p.severity === 'critical' ? 'fail' : 'warn'));
  return out;
}

export const HELP: [string, string][] = [
  ['Up/Down, k/j', 'move; scroll long views'],
  ['1-9', 'pick a menu item or a choice'],
  ['Enter', 'select, confirm, go on'],
  ['Esc, q', 'back; q on the home screen quits'],
  ['space, b', 'page down, page up'],
  ['g, G', 'top, bottom'],
  ['?', 'this help (any key closes it)'],
  ['Ctrl-C', 'quit (asks while a restore runs)'],
  ['', ''],
  ['During a restore', 'g go, s skip (asks why), a all the rest, p pause'],
  ['After a failure', 'r retry, s skip, x stop'],
  ['', ''],
  ['Quitting is safe', 'the journal keeps every step; reopen to resume'],
];

export function helpView(_s: ConsoleState, _c: ViewCtx): Line[] {
  return [L('Keys', 'plain'), blank, ...HELP.map(([k, v]) => L(k ? `  ${k.padEnd(18)} ${v}` : ''))];
}
