import type { PrismaClient } from '../../generated/prisma/client.js';
import './notify.js';

/**
 * Demo intake policy: Acme and Initech accept mail from unknown colleagues (a contact is created), Globex only from
 * known contacts. The demo tickets' acknowledgements are already in the local outbox (the hook wrote them).
 */
export async function seedMail(prisma: PrismaClient): Promise<void> {
  const policy = [
    { domain: 'acme.example', slug: 'acme', autoCreateContacts: true },
    { domain: 'globex.example', slug: 'globex', autoCreateContacts: false },
    { domain: 'initech.example', slug: 'initech', autoCreateContacts: true },
  ];
  for (const p of policy) {
    const org = await prisma.organization.findUnique({ where: { slug: p.slug } });
    if (!org) continue;
    await prisma.mailDomain.upsert({
      where: { domain: p.domain },
      create: { domain: p.domain, organizationId: org.id, autoCreateContacts: p.autoCreateContacts },
      update: {},
    });
  }
}
