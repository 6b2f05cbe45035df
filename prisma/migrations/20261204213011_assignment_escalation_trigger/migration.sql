-- AlterEnum
ALTER TYPE "AssignmentTrigger" ADD VALUE 'ESCALATION';
