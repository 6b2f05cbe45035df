/** Routing rules and skill requirements as pure functions of the ticket's classification. */
import type { TicketClass } from '../../generated/prisma/enums.js';
import { normalizeSkill } from './selection.js';

export interface RuleSpec {
  id: string;
  name: string;
  position: number;
  active: boolean;
  class: TicketClass | null;
  serviceId: string | null;
  category: string | null;
  responsibilityDomain: string | null;
  resolverGroupId: string;
  createdAt: Date;
}

export interface RoutingFacts {
  class: TicketClass;
  serviceId: string | null;
  category: string | null;
  /** Responsibility-matrix domains the ticket falls in (from the responsibility module, when it reports any). */
  domains: string[];
}

const same = (a: string | null, b: string | null) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/** Every condition the rule gives must hold; a rule without conditions matches everything (a catch-all). */
export function ruleMatches(rule: RuleSpec, facts: RoutingFacts): boolean {
  if (!rule.active) return false;
  if (rule.class && rule.class !== facts.class) return false;
  if (rule.serviceId && rule.serviceId !== facts.serviceId) return false;
  if (rule.category && !same(rule.category, facts.category)) return false;
  if (rule.responsibilityDomain && !facts.domains.some((d) => same(d, rule.responsibilityDomain))) return false;
  return true;
}

export function orderRules<T extends RuleSpec>(rules: T[]): T[] {
  return [...rules].sort(
    (a, b) =>
      a.position - b.position ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The first active rule, in order, whose conditions hold. */
export function matchRule<T extends RuleSpec>(rules: T[], facts: RoutingFacts): T | null {
  return orderRules(rules).find((r) => ruleMatches(r, facts)) ?? null;
}

/** `rule "VPN incidents" (class INCIDENT, service vpn)` */
export function describeRule(rule: RuleSpec, serviceName?: (id: string) => string | undefined): string {
  const conditions: string[] = [];
  if (rule.class) conditions.push(`class ${rule.class}`);
  if (rule.serviceId) conditions.push(`service ${serviceName?.(rule.serviceId) ?? rule.serviceId}`);
  if (rule.category) conditions.push(`category ${rule.category}`);
  if (rule.responsibilityDomain) conditions.push(`domain ${rule.responsibilityDomain}`);
  return `rule "${rule.name}" (${conditions.length ? conditions.join(', ') : 'catch-all'})`;
}

export interface SkillRequirementSpec {
  serviceId: string | null;
  category: string | null;
  skills: string[];
}

/**
 * Skills the ticket needs: the union of the requirements of its service, of its category, and of that service and
 * category together.
 */
export function requiredSkills(requirements: SkillRequirementSpec[], facts: Omit<RoutingFacts, 'domains' | 'class'>) {
  const out = new Set<string>();
  for (const r of requirements) {
    if (!r.serviceId && !r.category) continue;
    if (r.serviceId && r.serviceId !== facts.serviceId) continue;
    if (r.category && !same(r.category, facts.category)) continue;
    for (const s of r.skills) out.add(normalizeSkill(s));
  }
  return [...out].sort();
}
