-- CreateEnum
CREATE TYPE "AssignmentMode" AS ENUM ('MANUAL', 'ROUND_ROBIN', 'LOAD_BALANCED');

-- CreateEnum
CREATE TYPE "AssignmentTrigger" AS ENUM ('INTAKE', 'RECLASSIFICATION', 'MANUAL', 'AUTO_ASSIGN');

-- CreateEnum
CREATE TYPE "AssignmentOutcome" AS ENUM ('ASSIGNED', 'ON_CALL', 'QUEUED', 'MANUAL', 'KEPT', 'UNROUTED');

-- AlterTable
ALTER TABLE "ResolverGroup" ADD COLUMN     "agentCapacity" INTEGER,
ADD COLUMN     "calendarId" UUID,
ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "isDefaultTriage" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "mode" "AssignmentMode" NOT NULL DEFAULT 'LOAD_BALANCED',
ADD COLUMN     "roundRobinLastUserId" UUID,
ADD COLUMN     "skills" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "ResolverGroupMember" ADD COLUMN     "autoAssign" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "capacity" INTEGER,
ADD COLUMN     "joinedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "assignmentPinned" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "routingRuleId" UUID;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lastAssignedAt" TIMESTAMPTZ(3),
ADD COLUMN     "skills" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "RoutingRule" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "class" "TicketClass",
    "serviceId" UUID,
    "category" TEXT,
    "responsibilityDomain" TEXT,
    "resolverGroupId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID,

    CONSTRAINT "RoutingRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SkillRequirement" (
    "id" UUID NOT NULL,
    "serviceId" UUID,
    "category" TEXT,
    "skills" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SkillRequirement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OnCallRota" (
    "id" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "timeZone" TEXT NOT NULL,
    "startDate" TEXT NOT NULL,
    "handoffTime" TEXT NOT NULL DEFAULT '09:00',
    "periodDays" INTEGER NOT NULL DEFAULT 7,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OnCallRota_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OnCallRotaMember" (
    "rotaId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "userId" UUID NOT NULL,

    CONSTRAINT "OnCallRotaMember_pkey" PRIMARY KEY ("rotaId","position")
);

-- CreateTable
CREATE TABLE "OnCallOverride" (
    "id" UUID NOT NULL,
    "rotaId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OnCallOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutOfOffice" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutOfOffice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssignmentDecision" (
    "id" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "trigger" "AssignmentTrigger" NOT NULL,
    "outcome" "AssignmentOutcome" NOT NULL,
    "actorId" UUID,
    "ruleId" UUID,
    "ruleName" TEXT,
    "mode" "AssignmentMode",
    "fromGroupId" UUID,
    "toGroupId" UUID,
    "fromAssigneeId" UUID,
    "toAssigneeId" UUID,
    "reason" TEXT NOT NULL,
    "candidates" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssignmentDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RoutingRule_active_position_idx" ON "RoutingRule"("active", "position");

-- CreateIndex
CREATE INDEX "SkillRequirement_serviceId_idx" ON "SkillRequirement"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "OnCallRota_groupId_key" ON "OnCallRota"("groupId");

-- CreateIndex
CREATE INDEX "OnCallRotaMember_userId_idx" ON "OnCallRotaMember"("userId");

-- CreateIndex
CREATE INDEX "OnCallOverride_rotaId_endsAt_idx" ON "OnCallOverride"("rotaId", "endsAt");

-- CreateIndex
CREATE INDEX "OutOfOffice_userId_endsAt_idx" ON "OutOfOffice"("userId", "endsAt");

-- CreateIndex
CREATE INDEX "AssignmentDecision_ticketId_createdAt_idx" ON "AssignmentDecision"("ticketId", "createdAt");

-- AddForeignKey
ALTER TABLE "ResolverGroup" ADD CONSTRAINT "ResolverGroup_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "BusinessCalendar"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_routingRuleId_fkey" FOREIGN KEY ("routingRuleId") REFERENCES "RoutingRule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingRule" ADD CONSTRAINT "RoutingRule_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingRule" ADD CONSTRAINT "RoutingRule_resolverGroupId_fkey" FOREIGN KEY ("resolverGroupId") REFERENCES "ResolverGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkillRequirement" ADD CONSTRAINT "SkillRequirement_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OnCallRota" ADD CONSTRAINT "OnCallRota_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ResolverGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OnCallRotaMember" ADD CONSTRAINT "OnCallRotaMember_rotaId_fkey" FOREIGN KEY ("rotaId") REFERENCES "OnCallRota"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OnCallRotaMember" ADD CONSTRAINT "OnCallRotaMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OnCallOverride" ADD CONSTRAINT "OnCallOverride_rotaId_fkey" FOREIGN KEY ("rotaId") REFERENCES "OnCallRota"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OnCallOverride" ADD CONSTRAINT "OnCallOverride_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutOfOffice" ADD CONSTRAINT "OutOfOffice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssignmentDecision" ADD CONSTRAINT "AssignmentDecision_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;
