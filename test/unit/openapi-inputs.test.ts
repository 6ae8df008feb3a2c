// /openapi shows the constraints the domain enforces on create, patch and notify: the bodies
// are the domain's own schemas (src/domain/events/inputs.ts), not a second, looser copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInjectApp, type InjectApp } from '../helpers/inject-app.js';
import { EMAIL } from '../../src/domain/emails.js';
import { NO_CONTROLS } from '../../src/domain/text.js';

let t: InjectApp;
let doc: { paths: Record<string, Record<string, { requestBody: { content: { 'application/json': { schema: any } } } }>> };
beforeAll(async () => {
  t = await buildInjectApp();
  doc = (await t.api('GET', '/openapi')).body;
});
afterAll(() => t?.stop());

const body = (path: string, method: string) => doc.paths[path]![method]!.requestBody.content['application/json'].schema;
const slotList = expect.objectContaining({
  type: 'array', maxItems: 30,
  items: expect.objectContaining({ type: 'object', required: ['begin', 'duration'] }),
});
const oneLine = (max: number) => expect.objectContaining({ type: 'string', maxLength: max, pattern: NO_CONTROLS.source });

describe('/openapi request bodies', () => {
  it('create: parties required, 1 to 100 addresses; slots required, 0 to 30; title one line of at most 200', () => {
    const create = body('/', 'post');
    expect(create.required).toEqual(['parties', 'slots']);
    expect(create.properties.parties).toMatchObject({
      type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', format: 'email', maxLength: 254, pattern: EMAIL.source },
    });
    expect(create.properties.slots).toEqual(slotList);
    expect(create.properties.title.anyOf).toEqual([oneLine(200), { type: 'null' }]);
  });

  it('patch: title not blank; slots 0 to 30; nothing required', () => {
    const patch = body('/{id}/', 'patch');
    expect(patch.required).toBeUndefined();
    expect(patch.properties.title.anyOf[0]).toMatchObject({ minLength: 1, maxLength: 200 });
    expect(patch.properties.slots).toEqual(slotList);
    expect(Object.keys(patch.properties)).toEqual(['title', 'slots', 'respond_by', 'parties', 'et']);
  });

  it('notify: at least one party, the slot list, a one-line sender of at most 100', () => {
    const notify = body('/{id}/notify/', 'post');
    expect(notify.required).toEqual(['parties', 'slots']);
    expect(notify.properties.parties).toMatchObject({ type: 'array', minItems: 1, items: { type: 'string' } });
    expect(notify.properties.slots).toEqual(slotList);
    expect(notify.properties.sender.anyOf).toEqual([oneLine(100), { type: 'null' }]);
  });

  it('the documented patterns are the ones the domain applies', () => {
    expect(new RegExp(body('/', 'post').properties.parties.items.pattern).test(' Bob@Example.org ')).toBe(true);
    expect(new RegExp(body('/', 'post').properties.parties.items.pattern).test('bob@localhost')).toBe(false);
    expect(new RegExp(body('/{id}/notify/', 'post').properties.sender.anyOf[0].pattern).test('Al\u001bice')).toBe(false);
  });
});
