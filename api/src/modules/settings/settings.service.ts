import type { Tx } from '../../db/tx.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

/** Policy values admins may change; the defaults follow common practice (ServiceNow auto-closes after 7 days). */
export const SETTING_DEFAULTS = {
  /** A CLOSED ticket may be reopened for this many days; later, a reopen creates a new linked ticket. */
  reopenWindowDays: 7,
  /** A resolution nobody rejected counts as validated after this many days (and auto-close may close it). */
  autoCloseDays: 7,
  /** Resolving a parent resolves its open children too, unless the request says otherwise. */
  cascadeResolveToChildren: false,
  /** Largest attachment accepted, in bytes. */
  attachmentMaxBytes: 10 * 1024 * 1024,
};

export type Settings = typeof SETTING_DEFAULTS;
export type SettingKey = keyof Settings;

export async function getSettings(prisma: PrismaClient | Tx): Promise<Settings> {
  const rows = await prisma.setting.findMany();
  const settings: Record<string, unknown> = { ...SETTING_DEFAULTS };
  for (const row of rows) {
    if (row.key in SETTING_DEFAULTS && typeof row.value === typeof SETTING_DEFAULTS[row.key as SettingKey]) {
      settings[row.key] = row.value;
    }
  }
  return settings as Settings;
}
