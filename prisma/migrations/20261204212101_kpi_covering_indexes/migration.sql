-- DropIndex
DROP INDEX "Ticket_resolvedAt_idx";

-- DropIndex
DROP INDEX "Ticket_status_createdAt_idx";

-- DropIndex
DROP INDEX "Ticket_status_priority_resolverGroupId_idx";

-- CreateIndex
CREATE INDEX "Ticket_status_priority_resolverGroupId_createdAt_idx" ON "Ticket"("status", "priority", "resolverGroupId", "createdAt");

-- CreateIndex
CREATE INDEX "Ticket_resolvedAt_createdAt_resolverGroupId_priority_class__idx" ON "Ticket"("resolvedAt", "createdAt", "resolverGroupId", "priority", "class", "organizationId", "serviceId", "groupChangeCount", "reopenCount", "agentReplyCount", "resolutionCode");
