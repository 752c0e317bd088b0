// Which identity strategies a restore may use. `new` is refused: against a
// SAPI in full mode (every DC after setup) it cannot work, and a strategy that
// half works must not ship. Pure.
import type { Problem } from './problem.js';
import { NEW_STRATEGY_REFUSAL, type Strategy } from './strategies.js';

export function strategyProblems(strategy: Strategy): Problem[] {
  if (strategy !== 'new') return [];
  return [
    {
      severity: 'critical',
      code: 'STRATEGY_UNAVAILABLE',
      message: NEW_STRATEGY_REFUSAL,
      fix: 'use the reuse strategy (the default): fence the dead primary (power it off or cut it from the admin network) and type its hostname',
    },
  ];
}
