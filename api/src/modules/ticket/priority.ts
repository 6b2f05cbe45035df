import type { Impact, Priority, ServiceCriticality, Urgency } from '../../generated/prisma/enums.js';

export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4', 'P5'];
export const IMPACTS: readonly Impact[] = ['HIGH', 'MEDIUM', 'LOW'];
export const URGENCIES: readonly Urgency[] = ['HIGH', 'MEDIUM', 'LOW'];
export const CRITICALITIES: readonly ServiceCriticality[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

export type MatrixCells = Record<Impact, Record<Urgency, Priority>>;
/** Levels added to the matrix result for the affected service: negative is more urgent (P3 + -1 = P2). */
export type CriticalityAdjustment = Record<ServiceCriticality, number>;

/** ServiceNow's default 3×3 matrix (ITIL's standard), the starting version of ours. */
export const DEFAULT_CELLS: MatrixCells = {
  HIGH: { HIGH: 'P1', MEDIUM: 'P2', LOW: 'P3' },
  MEDIUM: { HIGH: 'P2', MEDIUM: 'P3', LOW: 'P4' },
  LOW: { HIGH: 'P3', MEDIUM: 'P4', LOW: 'P5' },
};

/** A critical service raises priority one level, a low-criticality one lowers it; with no service, no change. */
export const DEFAULT_CRITICALITY: CriticalityAdjustment = { CRITICAL: -1, HIGH: 0, MEDIUM: 0, LOW: 1 };

export interface PriorityDecision {
  priority: Priority;
  matrixPriority: Priority;
  adjustment: number;
  explanation: string;
}

export function computePriority(
  cells: MatrixCells,
  adjustments: CriticalityAdjustment,
  impact: Impact,
  urgency: Urgency,
  criticality: ServiceCriticality | null,
): PriorityDecision {
  const matrixPriority = cells[impact][urgency];
  const adjustment = criticality ? (adjustments[criticality] ?? 0) : 0;
  const index = Math.min(PRIORITIES.length - 1, Math.max(0, PRIORITIES.indexOf(matrixPriority) + adjustment));
  const priority = PRIORITIES[index]!;
  let explanation = `impact ${impact} × urgency ${urgency} → ${matrixPriority}`;
  if (criticality) {
    explanation +=
      adjustment === 0
        ? `; service criticality ${criticality} leaves it at ${priority}`
        : `; service criticality ${criticality} (${adjustment > 0 ? '+' : ''}${adjustment}) → ${priority}`;
  }
  return { priority, matrixPriority, adjustment, explanation };
}

/** Checks an admin-supplied matrix: every impact × urgency cell set to a known priority, adjustments in -4..4. */
export function matrixProblems(cells: unknown, adjustments: unknown): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const c = cells as Record<string, Record<string, string>> | null;
  for (const impact of IMPACTS) {
    for (const urgency of URGENCIES) {
      const value = c?.[impact]?.[urgency];
      if (!value || !PRIORITIES.includes(value as Priority)) {
        problems.push({ path: ['cells', impact, urgency], message: 'Set a priority P1-P5' });
      }
    }
  }
  const a = adjustments as Record<string, number> | null;
  for (const level of CRITICALITIES) {
    const value = a?.[level];
    if (!Number.isInteger(value) || Math.abs(value as number) > 4) {
      problems.push({ path: ['criticality', level], message: 'Use a whole number of levels from -4 to 4' });
    }
  }
  return problems;
}
