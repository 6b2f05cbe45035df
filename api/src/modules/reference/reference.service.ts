import type { PrismaClient } from '../../generated/prisma/client.js';
import { DEFAULT_CELLS, DEFAULT_CRITICALITY } from '../ticket/priority.js';

const REFERENCE_LOCK = 7_311_042_003;

/**
 * Data the product cannot work without (as opposed to demo data): the first priority matrix version. Idempotent and
 * safe when several instances start at once.
 */
export async function ensureReferenceData(prisma: PrismaClient): Promise<void> {
  if (await prisma.priorityMatrixVersion.findFirst({ select: { version: true } })) return;
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${REFERENCE_LOCK}::bigint)`;
    if (await tx.priorityMatrixVersion.findFirst({ select: { version: true } })) return;
    await tx.priorityMatrixVersion.create({
      data: {
        version: 1,
        cells: DEFAULT_CELLS,
        criticality: DEFAULT_CRITICALITY,
        note: 'ITIL default: impact × urgency (ServiceNow 3×3), critical services one level higher, low-criticality one lower',
      },
    });
  });
}
