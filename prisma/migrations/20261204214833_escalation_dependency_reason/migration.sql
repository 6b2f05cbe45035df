-- AlterEnum
ALTER TYPE "EscalationReason" ADD VALUE 'DEPENDENCY';
