import { describe, expect, it } from 'vitest';
import { describeRule, matchRule, type RuleSpec, requiredSkills } from './routing.js';

let n = 0;
const rule = (over: Partial<RuleSpec>): RuleSpec => {
  n += 1;
  return {
    id: `r${n}`,
    name: `rule ${n}`,
    position: n * 10,
    active: true,
    class: null,
    serviceId: null,
    category: null,
    responsibilityDomain: null,
    resolverGroupId: 'g-default',
    createdAt: new Date(2026, 0, 1, 0, 0, n),
    ...over,
  };
};

const facts = {
  class: 'INCIDENT' as const,
  serviceId: 'svc-vpn',
  category: 'Firewall',
  domains: ['network-security'],
};

describe('routing rules', () => {
  it('takes the first active rule, by position, whose every given condition holds', () => {
    const rules = [
      rule({ name: 'requests', class: 'SERVICE_REQUEST', resolverGroupId: 'delivery', position: 5 }),
      rule({ name: 'vpn incidents', class: 'INCIDENT', serviceId: 'svc-vpn', resolverGroupId: 'noc', position: 30 }),
      rule({ name: 'firewall', category: 'firewall', resolverGroupId: 'sec', position: 20 }),
      rule({ name: 'disabled', active: false, position: 1, resolverGroupId: 'nobody' }),
    ];
    expect(matchRule(rules, facts)?.name).toBe('firewall'); // category compared case-insensitively
    expect(matchRule(rules, { ...facts, category: null })?.name).toBe('vpn incidents');
    expect(matchRule(rules, { ...facts, category: null, serviceId: null })).toBeNull();
    expect(matchRule(rules, { ...facts, class: 'SERVICE_REQUEST' })?.name).toBe('requests');
  });

  it('matches responsibility domains reported for the ticket, and treats a rule without conditions as a catch-all', () => {
    const rules = [
      rule({ name: 'domain', responsibilityDomain: 'NETWORK-SECURITY', position: 10 }),
      rule({ name: 'anything', position: 99 }),
    ];
    expect(matchRule(rules, facts)?.name).toBe('domain');
    expect(matchRule(rules, { ...facts, domains: [] })?.name).toBe('anything');
  });

  it('breaks equal positions by creation', () => {
    const a = rule({ name: 'older', position: 10, createdAt: new Date('2026-01-01') });
    const b = rule({ name: 'newer', position: 10, createdAt: new Date('2026-02-01') });
    expect(matchRule([b, a], facts)?.name).toBe('older');
  });

  it('describes the rule for the decision log', () => {
    const r = rule({ name: 'VPN', class: 'INCIDENT', serviceId: 'svc-vpn', category: 'vpn' });
    expect(describeRule(r, () => 'Remote Access VPN')).toBe(
      'rule "VPN" (class INCIDENT, service Remote Access VPN, category vpn)',
    );
    expect(describeRule(rule({ name: 'all' }))).toBe('rule "all" (catch-all)');
  });
});

describe('required skills', () => {
  it('unites the service’s, the category’s and the combination’s requirements', () => {
    const reqs = [
      { serviceId: 'svc-vpn', category: null, skills: ['vpn'] },
      { serviceId: null, category: 'firewall', skills: ['Firewall', 'network'] },
      { serviceId: 'svc-vpn', category: 'firewall', skills: ['ipsec'] },
      { serviceId: 'svc-erp', category: null, skills: ['erp'] },
      { serviceId: null, category: null, skills: ['ignored'] },
    ];
    expect(requiredSkills(reqs, { serviceId: 'svc-vpn', category: 'FIREWALL' })).toEqual([
      'firewall',
      'ipsec',
      'network',
      'vpn',
    ]);
    expect(requiredSkills(reqs, { serviceId: 'svc-vpn', category: null })).toEqual(['vpn']);
    expect(requiredSkills(reqs, { serviceId: null, category: null })).toEqual([]);
  });
});
