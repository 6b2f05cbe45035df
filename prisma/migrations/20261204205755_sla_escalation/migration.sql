-- CreateEnum
CREATE TYPE "SlaTargetKind" AS ENUM ('FIRST_RESPONSE', 'NEXT_UPDATE', 'RESOLUTION');

-- CreateEnum
CREATE TYPE "SlaClockState" AS ENUM ('RUNNING', 'PAUSED', 'MET', 'BREACHED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SlaSegmentKind" AS ENUM ('RUNNING', 'PAUSED');

-- CreateEnum
CREATE TYPE "SlaTimerKind" AS ENUM ('THRESHOLD', 'ACKNOWLEDGEMENT');

-- CreateEnum
CREATE TYPE "EscalationKind" AS ENUM ('FUNCTIONAL', 'HIERARCHICAL', 'VENDOR');

-- CreateEnum
CREATE TYPE "EscalationReason" AS ENUM ('THRESHOLD', 'IMPACT', 'MANUAL', 'OWNERSHIP', 'UNACKNOWLEDGED');

-- CreateEnum
CREATE TYPE "EscalationTrigger" AS ENUM ('SLA_THRESHOLD', 'MAJOR_IMPACT', 'PENDING_VENDOR', 'UNACKNOWLEDGED');

-- CreateTable
CREATE TABLE "SlaPolicy" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "priority" "Priority",
    "ticketClass" "TicketClass",
    "organizationId" UUID,
    "calendarId" UUID NOT NULL,
    "firstResponseSeconds" INTEGER,
    "nextUpdateSeconds" INTEGER,
    "resolutionSeconds" INTEGER,
    "pauseOnPendingVendor" BOOLEAN NOT NULL DEFAULT false,
    "warningPercents" INTEGER[] DEFAULT ARRAY[50, 75, 90]::INTEGER[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" UUID,
    "retiredAt" TIMESTAMPTZ(3),

    CONSTRAINT "SlaPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaClock" (
    "id" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "kind" "SlaTargetKind" NOT NULL,
    "state" "SlaClockState" NOT NULL,
    "running" BOOLEAN NOT NULL,
    "policyId" UUID NOT NULL,
    "policyVersion" INTEGER NOT NULL,
    "targetSeconds" INTEGER NOT NULL,
    "cycle" INTEGER NOT NULL DEFAULT 1,
    "cycleStartedAt" TIMESTAMPTZ(3) NOT NULL,
    "elapsedSeconds" INTEGER NOT NULL DEFAULT 0,
    "elapsedAt" TIMESTAMPTZ(3) NOT NULL,
    "dueAt" TIMESTAMPTZ(3),
    "metAt" TIMESTAMPTZ(3),
    "breachedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "firedPercent" INTEGER NOT NULL DEFAULT 0,
    "breachCount" INTEGER NOT NULL DEFAULT 0,
    "pauseReason" TEXT,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SlaClock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaSegment" (
    "id" BIGSERIAL NOT NULL,
    "clockId" UUID NOT NULL,
    "cycle" INTEGER NOT NULL,
    "kind" "SlaSegmentKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SlaSegment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaTimer" (
    "id" UUID NOT NULL,
    "kind" "SlaTimerKind" NOT NULL,
    "ticketId" UUID NOT NULL,
    "clockId" UUID,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "percent" INTEGER,
    "escalationId" UUID,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "firedAt" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retryAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlaTimer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EscalationRule" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "trigger" "EscalationTrigger" NOT NULL,
    "priorities" "Priority"[],
    "ticketClass" "TicketClass",
    "targetKind" "SlaTargetKind",
    "percent" INTEGER,
    "fromKind" "EscalationKind",
    "fromLevel" INTEGER,
    "kind" "EscalationKind" NOT NULL,
    "level" INTEGER NOT NULL,
    "targetGroupId" UUID,
    "targetGroupLead" BOOLEAN NOT NULL DEFAULT false,
    "targetUserId" UUID,
    "targetRole" "Role",
    "vendorName" TEXT,
    "reassign" BOOLEAN NOT NULL DEFAULT false,
    "ackWindowSeconds" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EscalationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Escalation" (
    "id" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "kind" "EscalationKind" NOT NULL,
    "level" INTEGER NOT NULL,
    "reason" "EscalationReason" NOT NULL,
    "detail" TEXT NOT NULL,
    "ruleId" UUID,
    "targetGroupId" UUID,
    "targetUserId" UUID,
    "targetRole" "Role",
    "vendorName" TEXT,
    "vendorRef" TEXT,
    "ackDueAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" UUID,
    "acknowledgedAt" TIMESTAMPTZ(3),
    "acknowledgedById" UUID,
    "acknowledgement" TEXT,
    "resolvedAt" TIMESTAMPTZ(3),
    "resolvedById" UUID,
    "resolution" TEXT,
    "escalatedAt" TIMESTAMPTZ(3),
    "previousId" UUID,
    "dedupeKey" TEXT,

    CONSTRAINT "Escalation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SlaPolicy_active_idx" ON "SlaPolicy"("active");

-- CreateIndex
CREATE UNIQUE INDEX "SlaPolicy_key_version_key" ON "SlaPolicy"("key", "version");

-- CreateIndex
CREATE INDEX "SlaClock_state_dueAt_idx" ON "SlaClock"("state", "dueAt");

-- CreateIndex
CREATE INDEX "SlaClock_state_completedAt_idx" ON "SlaClock"("state", "completedAt");

-- CreateIndex
CREATE INDEX "SlaClock_policyId_state_idx" ON "SlaClock"("policyId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "SlaClock_ticketId_kind_key" ON "SlaClock"("ticketId", "kind");

-- CreateIndex
CREATE INDEX "SlaSegment_clockId_startedAt_idx" ON "SlaSegment"("clockId", "startedAt");

-- CreateIndex
CREATE INDEX "SlaTimer_firedAt_dueAt_idx" ON "SlaTimer"("firedAt", "dueAt");

-- CreateIndex
CREATE INDEX "SlaTimer_clockId_idx" ON "SlaTimer"("clockId");

-- CreateIndex
CREATE INDEX "SlaTimer_escalationId_idx" ON "SlaTimer"("escalationId");

-- CreateIndex
CREATE UNIQUE INDEX "EscalationRule_key_key" ON "EscalationRule"("key");

-- CreateIndex
CREATE INDEX "EscalationRule_trigger_active_idx" ON "EscalationRule"("trigger", "active");

-- CreateIndex
CREATE UNIQUE INDEX "Escalation_dedupeKey_key" ON "Escalation"("dedupeKey");

-- CreateIndex
CREATE INDEX "Escalation_ticketId_createdAt_idx" ON "Escalation"("ticketId", "createdAt");

-- CreateIndex
CREATE INDEX "Escalation_resolvedAt_acknowledgedAt_idx" ON "Escalation"("resolvedAt", "acknowledgedAt");

-- CreateIndex
CREATE INDEX "Escalation_targetGroupId_resolvedAt_idx" ON "Escalation"("targetGroupId", "resolvedAt");

-- CreateIndex
CREATE INDEX "Escalation_targetUserId_resolvedAt_idx" ON "Escalation"("targetUserId", "resolvedAt");

-- AddForeignKey
ALTER TABLE "SlaPolicy" ADD CONSTRAINT "SlaPolicy_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaPolicy" ADD CONSTRAINT "SlaPolicy_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "BusinessCalendar"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaClock" ADD CONSTRAINT "SlaClock_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaClock" ADD CONSTRAINT "SlaClock_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "SlaPolicy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaSegment" ADD CONSTRAINT "SlaSegment_clockId_fkey" FOREIGN KEY ("clockId") REFERENCES "SlaClock"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaTimer" ADD CONSTRAINT "SlaTimer_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "EscalationRule"("id") ON DELETE SET NULL ON UPDATE CASCADE;
