// The baseline: a bare Fastify route answering a JSON body shaped like an event.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = {
  id: 1, url: 'http://localhost/1/', log_url: 'http://localhost/1/log/', notify_url: 'http://localhost/1/notify/', title: 'Planning',
  parties: ['alice@example.com', 'bob@example.com'], status: 'open', owner: 'owner@example.com',
  slots: [{ begin: '2031-03-11T14:00:00Z', duration: '01:00:00' }, { begin: '2031-03-12T14:00:00Z', duration: '01:00:00' }],
};
app.get('/bare', async () => body);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
