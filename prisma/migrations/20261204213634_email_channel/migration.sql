-- CreateEnum
CREATE TYPE "MailSource" AS ENUM ('SMTP', 'IMAP');

-- CreateEnum
CREATE TYPE "InboundStatus" AS ENUM ('RECEIVED', 'PROCESSING', 'PROCESSED', 'FAILED');

-- CreateEnum
CREATE TYPE "InboundOutcome" AS ENUM ('TICKET_CREATED', 'REPLY_ADDED', 'TICKET_REOPENED', 'FOLLOW_UP_CREATED', 'DUPLICATE', 'AUTO_REPLY', 'BOUNCE', 'LOOP', 'RATE_LIMITED', 'UNKNOWN_SENDER', 'FOREIGN_INSTALLATION', 'MALFORMED');

-- CreateEnum
CREATE TYPE "MailThreadRule" AS ENUM ('SIGNED_MESSAGE_ID', 'STORED_MESSAGE_ID', 'SUBJECT_TOKEN', 'NONE');

-- CreateEnum
CREATE TYPE "MailTemplateKey" AS ENUM ('ACKNOWLEDGEMENT', 'REPLY', 'STATUS_UPDATE', 'INFORMATION_REQUEST', 'RESOLUTION_NOTICE', 'CLOSURE', 'ESCALATION_NOTICE', 'SURVEY', 'UPDATE_REMINDER');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED', 'LOCAL');

-- CreateTable
CREATE TABLE "InboundMessage" (
    "id" UUID NOT NULL,
    "source" "MailSource" NOT NULL,
    "messageId" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "duplicateOfId" UUID,
    "envelopeFrom" TEXT,
    "envelopeTo" TEXT[],
    "fromAddress" TEXT,
    "subject" TEXT,
    "inReplyTo" TEXT,
    "references" TEXT[],
    "raw" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "status" "InboundStatus" NOT NULL DEFAULT 'RECEIVED',
    "outcome" "InboundOutcome",
    "threadRule" "MailThreadRule",
    "detail" TEXT,
    "ticketId" UUID,
    "entryId" UUID,
    "senderId" UUID,
    "bodyText" TEXT,
    "bodyHtml" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "lockedUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "processedAt" TIMESTAMPTZ(3),

    CONSTRAINT "InboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL,
    "ticketId" UUID,
    "organizationId" UUID,
    "kind" "MailTemplateKey" NOT NULL,
    "templateVersion" INTEGER NOT NULL,
    "entryId" UUID,
    "recipientId" UUID,
    "toAddress" TEXT NOT NULL,
    "fromAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "inReplyTo" TEXT,
    "references" TEXT[],
    "headers" JSONB NOT NULL DEFAULT '{}',
    "status" "OutboxStatus" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailTemplate" (
    "key" "MailTemplateKey" NOT NULL,
    "version" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" UUID,

    CONSTRAINT "MailTemplate_pkey" PRIMARY KEY ("key","version")
);

-- CreateTable
CREATE TABLE "MailDomain" (
    "domain" TEXT NOT NULL,
    "organizationId" UUID NOT NULL,
    "autoCreateContacts" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedById" UUID,

    CONSTRAINT "MailDomain_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "MailParticipant" (
    "ticketId" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "userId" UUID,
    "addedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MailParticipant_pkey" PRIMARY KEY ("ticketId","address")
);

-- CreateTable
CREATE TABLE "MailInstance" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "secret" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailInstance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InboundMessage_dedupeKey_key" ON "InboundMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "InboundMessage_messageId_idx" ON "InboundMessage"("messageId");

-- CreateIndex
CREATE INDEX "InboundMessage_status_nextAttemptAt_idx" ON "InboundMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "InboundMessage_fromAddress_receivedAt_idx" ON "InboundMessage"("fromAddress", "receivedAt");

-- CreateIndex
CREATE INDEX "InboundMessage_ticketId_idx" ON "InboundMessage"("ticketId");

-- CreateIndex
CREATE INDEX "InboundMessage_receivedAt_idx" ON "InboundMessage"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_messageId_key" ON "OutboxMessage"("messageId");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_ticketId_createdAt_idx" ON "OutboxMessage"("ticketId", "createdAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_organizationId_createdAt_idx" ON "OutboxMessage"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_toAddress_createdAt_idx" ON "OutboxMessage"("toAddress", "createdAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_entryId_idx" ON "OutboxMessage"("entryId");

-- AddForeignKey
ALTER TABLE "InboundMessage" ADD CONSTRAINT "InboundMessage_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MailDomain" ADD CONSTRAINT "MailDomain_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MailParticipant" ADD CONSTRAINT "MailParticipant_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;
