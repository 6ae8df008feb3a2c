import type { Db } from './client.js';
import type { Serial } from './serial.js';
import { toUser } from './rows.js';
import type { SqliteFastPath } from './sqlite-fast-path.js';
import type { ApiTokenStore, EventTokenStore, UserStore } from '../domain/ports.js';

export function createUserStore(db: Db, serial: Serial, now: () => Date, fast?: SqliteFastPath): UserStore {
  return {
    findByEmail: (email) => serial(async () => {
      const u = await db.user.findUnique({ where: { email } });
      return u ? toUser(u) : null;
    }),
    findById: async (id) => {
      if (fast) return fast.userById(id);
      const u = await db.user.findUnique({ where: { id } });
      return u ? toUser(u) : null;
    },
    ensureUsers: (emails) => serial(async () => {
      if (fast) return fast.ensureUsers(emails, now());
      const found = await db.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true } });
      const ids = new Map(found.map((u) => [u.email, u.id]));
      for (const email of emails) {
        if (ids.has(email)) continue;
        // upsert: another request may create the same party at the same moment.
        const u = await db.user.upsert({ where: { email }, create: { email, createdAt: now() }, update: {}, select: { id: true } });
        ids.set(email, u.id);
      }
      return ids;
    }),
    createOrActivate: (email, passwordHash, isStaff) => serial(async () =>
      toUser(await db.user.upsert({
        where: { email },
        create: { email, passwordHash, isStaff, isActive: true, createdAt: now() },
        update: { passwordHash, isStaff, isActive: true, credentialVersion: { increment: 1 } },
      }))),
    setPassword: (userId, passwordHash) => serial(async () => {
      await db.user.update({ where: { id: userId }, data: { passwordHash, credentialVersion: { increment: 1 } } });
    }),
  };
}

export function createApiTokenStore(db: Db, serial: Serial, fast?: SqliteFastPath): ApiTokenStore {
  return {
    create: (key, now) => serial(async () => {
      // Keys that can no longer sign in are dropped here, so the table does not grow without end.
      await db.apiToken.deleteMany({
        where: { userId: key.userId, OR: [{ expiresAt: { lte: now } }, { credentialVersion: { not: key.credentialVersion } }] },
      });
      await db.apiToken.create({ data: { ...key, createdAt: now } });
    }),
    find: async (keyHash) => {
      if (fast) return fast.apiKey(keyHash);
      const t = await db.apiToken.findUnique({ where: { keyHash }, include: { user: true } });
      return t ? { user: toUser(t.user), expiresAt: t.expiresAt, credentialVersion: t.credentialVersion } : null;
    },
    revoke: (keyHash) => serial(async () => (await db.apiToken.deleteMany({ where: { keyHash } })).count > 0),
    revokeAll: (userId) => serial(async () => (await db.apiToken.deleteMany({ where: { userId } })).count),
  };
}

export function createEventTokenStore(db: Db, serial: Serial, fast?: SqliteFastPath): EventTokenStore {
  return {
    find: async (hash) => {
      if (fast) return fast.eventToken(hash);
      const t = await db.eventToken.findUnique({ where: { hash } });
      return t ? { id: t.id, eventId: t.eventId, email: t.email, expiresAt: t.expiresAt, scope: t.scope === 'rsvp' ? 'rsvp' : 'full' } : null;
    },
  };
}
