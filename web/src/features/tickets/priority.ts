import type { Impact, Priority, ServiceCriticality, Urgency } from '../../gql/graphql';

export interface MatrixLike {
  cells: readonly { impact: Impact; urgency: Urgency; priority: Priority }[];
  criticality: readonly { criticality: ServiceCriticality; levels: number }[];
}

/**
 * The priority the server will compute (impact × urgency from the matrix, moved by the service's criticality), shown
 * while the form is filled in. Only a preview: the server decides, and says why on the ticket.
 */
export function previewPriority(
  matrix: MatrixLike,
  impact: Impact,
  urgency: Urgency,
  criticality: ServiceCriticality | null,
): { priority: Priority; reason: string } | null {
  const cell = matrix.cells.find((c) => c.impact === impact && c.urgency === urgency);
  if (!cell) return null;
  const base = Number(cell.priority.slice(1));
  const levels = criticality ? (matrix.criticality.find((c) => c.criticality === criticality)?.levels ?? 0) : 0;
  const level = Math.min(5, Math.max(1, base + levels));
  const priority = `P${level}` as Priority;
  let reason = `impact ${impact} × urgency ${urgency} → ${cell.priority}`;
  if (criticality && levels !== 0)
    reason += `; service criticality ${criticality} (${levels > 0 ? '+' : ''}${levels}) → ${priority}`;
  return { priority, reason };
}
