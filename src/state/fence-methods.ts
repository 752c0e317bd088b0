// The ways a primary can be fenced, and their words: apart from fence.ts so the
// command line can offer them without loading the schemas (first paint).

/** How a primary can be fenced so it cannot come back with its zones (RFD 67 M3). */
export const FENCE_METHODS = ['bmc-off', 'cables', 'no-pool-import'] as const;
export type FenceMethod = (typeof FENCE_METHODS)[number];

/** The words an operator reads for each method (the console's choices, the journal, the report). */
export const FENCE_METHOD_TEXT: Record<FenceMethod, string> = {
  'bmc-off': 'powered off through its BMC',
  cables: 'its network cables pulled',
  'no-pool-import': 'booted without importing its zones pool',
};
