-- DropIndex
DROP INDEX "Ticket_status_priority_idx";

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "agentReplyCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "groupChangeCount" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Ticket_status_priority_resolverGroupId_idx" ON "Ticket"("status", "priority", "resolverGroupId");

-- CreateIndex
CREATE INDEX "Ticket_status_createdAt_idx" ON "Ticket"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Ticket_resolvedAt_idx" ON "Ticket"("resolvedAt");
