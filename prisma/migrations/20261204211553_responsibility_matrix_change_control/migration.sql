-- CreateEnum
CREATE TYPE "ResponsibilityParty" AS ENUM ('PROVIDER', 'CUSTOMER', 'SHARED');

-- CreateEnum
CREATE TYPE "OrganizationalRole" AS ENUM ('PLATFORM_CLOUD', 'WORKLOAD_APPLICATION', 'SECURITY_COMPLIANCE', 'GOVERNANCE_RISK', 'OPERATIONS_INCIDENT');

-- CreateEnum
CREATE TYPE "RaciLetter" AS ENUM ('RESPONSIBLE', 'ACCOUNTABLE', 'CONSULTED', 'INFORMED');

-- CreateEnum
CREATE TYPE "ResponsibilityMatrixStatus" AS ENUM ('DRAFT', 'APPROVED', 'REJECTED', 'PUBLISHED');

-- CreateEnum
CREATE TYPE "ResponsibilityReviewReasonKind" AS ENUM ('PERIODIC', 'NEW_SERVICE', 'SERVICE_MODEL_CHANGE', 'TECHNOLOGY_CHANGE', 'ROLE_CHANGE', 'REGULATION', 'AUDIT_LESSON', 'INCIDENT_LESSON');

-- CreateEnum
CREATE TYPE "OwnershipRoutingAction" AS ENUM ('NONE', 'VENDOR_ESCALATION', 'INTERNAL_TEAM', 'VENDOR_AND_INTERNAL_TEAM');

-- CreateEnum
CREATE TYPE "ChangeScope" AS ENUM ('PLATFORM', 'WORKLOAD', 'PLATFORM_AND_WORKLOAD');

-- CreateEnum
CREATE TYPE "ChangeApprovalStatus" AS ENUM ('AWAITING_SCOPE', 'PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "ChangeApprovalStepKind" AS ENUM ('PLATFORM_APPROVAL', 'WORKLOAD_APPROVAL', 'POLICY_CHECK');

-- CreateEnum
CREATE TYPE "ChangeApprovalStepStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'SUPERSEDED');

-- CreateTable
CREATE TABLE "ResponsibilityDomain" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "ticketClasses" "TicketClass"[] DEFAULT ARRAY[]::"TicketClass"[],
    "position" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" UUID,

    CONSTRAINT "ResponsibilityDomain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResponsibilityRoleGroup" (
    "role" "OrganizationalRole" NOT NULL,
    "groupId" UUID NOT NULL,
    "primary" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResponsibilityRoleGroup_pkey" PRIMARY KEY ("role","groupId")
);

-- CreateTable
CREATE TABLE "ResponsibilityMatrixVersion" (
    "id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "organizationId" UUID,
    "status" "ResponsibilityMatrixStatus" NOT NULL DEFAULT 'DRAFT',
    "summary" TEXT NOT NULL,
    "providerName" TEXT NOT NULL,
    "basedOnVersion" INTEGER,
    "reviewDueAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedById" UUID,
    "decidedAt" TIMESTAMPTZ(3),
    "decisionComment" TEXT,
    "publishedById" UUID,
    "publishedAt" TIMESTAMPTZ(3),
    "effectiveFrom" TIMESTAMPTZ(3),
    "reviewOverdueFlaggedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ResponsibilityMatrixVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResponsibilityCell" (
    "versionId" UUID NOT NULL,
    "domainId" UUID NOT NULL,
    "serviceModel" "ServiceModel" NOT NULL,
    "owner" "ResponsibilityParty" NOT NULL,
    "providerDuties" TEXT NOT NULL DEFAULT '',
    "customerDuties" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ResponsibilityCell_pkey" PRIMARY KEY ("versionId","domainId","serviceModel")
);

-- CreateTable
CREATE TABLE "ResponsibilityRaci" (
    "versionId" UUID NOT NULL,
    "domainId" UUID NOT NULL,
    "role" "OrganizationalRole" NOT NULL,
    "letter" "RaciLetter" NOT NULL,

    CONSTRAINT "ResponsibilityRaci_pkey" PRIMARY KEY ("versionId","domainId","role","letter")
);

-- CreateTable
CREATE TABLE "ResponsibilityReviewReason" (
    "id" UUID NOT NULL,
    "kind" "ResponsibilityReviewReasonKind" NOT NULL,
    "detail" TEXT NOT NULL,
    "organizationId" UUID,
    "versionId" UUID,
    "recordedById" UUID NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ResponsibilityReviewReason_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketResponsibility" (
    "ticketId" UUID NOT NULL,
    "domainId" UUID NOT NULL,
    "setById" UUID NOT NULL,
    "setAt" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "TicketResponsibility_pkey" PRIMARY KEY ("ticketId")
);

-- CreateTable
CREATE TABLE "TicketOwnershipDecision" (
    "id" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "domainId" UUID,
    "domainSource" TEXT,
    "serviceId" UUID,
    "serviceModel" "ServiceModel",
    "versionId" UUID,
    "owner" "ResponsibilityParty",
    "responsibleRoles" "OrganizationalRole"[] DEFAULT ARRAY[]::"OrganizationalRole"[],
    "action" "OwnershipRoutingAction" NOT NULL,
    "internalGroupId" UUID,
    "groupApplied" BOOLEAN NOT NULL DEFAULT false,
    "vendorName" TEXT,
    "vendorEscalationId" UUID,
    "explanation" TEXT NOT NULL,
    "actorId" UUID,
    "decidedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TicketOwnershipDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeApproval" (
    "id" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "status" "ChangeApprovalStatus" NOT NULL,
    "scope" "ChangeScope",
    "scopeSource" TEXT NOT NULL,
    "scopeReason" TEXT NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 1,
    "domainId" UUID,
    "matrixVersion" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ChangeApproval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeApprovalStep" (
    "id" UUID NOT NULL,
    "approvalId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "kind" "ChangeApprovalStepKind" NOT NULL,
    "role" "OrganizationalRole" NOT NULL,
    "approverGroupId" UUID,
    "status" "ChangeApprovalStepStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" UUID,
    "decidedAt" TIMESTAMPTZ(3),
    "comment" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChangeApprovalStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ResponsibilityDomain_key_key" ON "ResponsibilityDomain"("key");

-- CreateIndex
CREATE INDEX "ResponsibilityRoleGroup_groupId_idx" ON "ResponsibilityRoleGroup"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "ResponsibilityMatrixVersion_version_key" ON "ResponsibilityMatrixVersion"("version");

-- CreateIndex
CREATE INDEX "ResponsibilityMatrixVersion_organizationId_status_effective_idx" ON "ResponsibilityMatrixVersion"("organizationId", "status", "effectiveFrom");

-- CreateIndex
CREATE INDEX "ResponsibilityReviewReason_versionId_idx" ON "ResponsibilityReviewReason"("versionId");

-- CreateIndex
CREATE INDEX "ResponsibilityReviewReason_organizationId_versionId_idx" ON "ResponsibilityReviewReason"("organizationId", "versionId");

-- CreateIndex
CREATE INDEX "TicketOwnershipDecision_ticketId_decidedAt_idx" ON "TicketOwnershipDecision"("ticketId", "decidedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeApproval_ticketId_key" ON "ChangeApproval"("ticketId");

-- CreateIndex
CREATE INDEX "ChangeApproval_status_idx" ON "ChangeApproval"("status");

-- CreateIndex
CREATE INDEX "ChangeApprovalStep_approvalId_round_idx" ON "ChangeApprovalStep"("approvalId", "round");

-- CreateIndex
CREATE INDEX "ChangeApprovalStep_approverGroupId_status_idx" ON "ChangeApprovalStep"("approverGroupId", "status");

-- AddForeignKey
ALTER TABLE "ResponsibilityRoleGroup" ADD CONSTRAINT "ResponsibilityRoleGroup_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ResolverGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponsibilityMatrixVersion" ADD CONSTRAINT "ResponsibilityMatrixVersion_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponsibilityCell" ADD CONSTRAINT "ResponsibilityCell_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ResponsibilityMatrixVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponsibilityCell" ADD CONSTRAINT "ResponsibilityCell_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "ResponsibilityDomain"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponsibilityRaci" ADD CONSTRAINT "ResponsibilityRaci_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ResponsibilityMatrixVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponsibilityRaci" ADD CONSTRAINT "ResponsibilityRaci_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "ResponsibilityDomain"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponsibilityReviewReason" ADD CONSTRAINT "ResponsibilityReviewReason_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ResponsibilityMatrixVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketResponsibility" ADD CONSTRAINT "TicketResponsibility_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketResponsibility" ADD CONSTRAINT "TicketResponsibility_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "ResponsibilityDomain"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketOwnershipDecision" ADD CONSTRAINT "TicketOwnershipDecision_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketOwnershipDecision" ADD CONSTRAINT "TicketOwnershipDecision_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "ResponsibilityDomain"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketOwnershipDecision" ADD CONSTRAINT "TicketOwnershipDecision_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ResponsibilityMatrixVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeApproval" ADD CONSTRAINT "ChangeApproval_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeApprovalStep" ADD CONSTRAINT "ChangeApprovalStep_approvalId_fkey" FOREIGN KEY ("approvalId") REFERENCES "ChangeApproval"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeApprovalStep" ADD CONSTRAINT "ChangeApprovalStep_approverGroupId_fkey" FOREIGN KEY ("approverGroupId") REFERENCES "ResolverGroup"("id") ON DELETE SET NULL ON UPDATE CASCADE;
