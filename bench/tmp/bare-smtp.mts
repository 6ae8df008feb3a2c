import { SMTPServer } from 'smtp-server';
import { execFile } from 'node:child_process';
import { sendAll } from '../../test/helpers/raw-smtp.js';
const N = 4000;
let got = 0;
const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, disableReverseLookup: true,
  onData(stream, _s, cb) { const c: Buffer[] = []; stream.on('data', (d) => c.push(d)); stream.on('end', () => { got++; cb(); }); } });
await new Promise<void>((r) => server.listen(2599, '127.0.0.1', () => r()));
const raw = Buffer.from(['From: <a@example.com>', 'To: <reply+abc@calndro.test>', 'Subject: Re: x', 'Message-ID: <x@y>', '', '1,2 work for me', '', 'On Tue, calndro wrote:', '> 1. Tue', ''].join('\r\n') + 'x'.repeat(1200) + '\r\n');
const msgs = Array.from({ length: N }, (_, i) => ({ from: 'a@example.com', to: 'reply+abc@calndro.test', raw }));
let t = performance.now();
await Promise.all(Array.from({ length: 8 }, (_, l) => sendAll(2599, msgs.filter((_, i) => i % 8 === l))));
console.log('JS client -> bare smtp-server', Math.round(N / ((performance.now() - t) / 1000)), 'msg/s');
t = performance.now();
await new Promise((r) => execFile('/usr/sbin/smtp-source', ['-s', '8', '-m', String(N), '-l', '1500', '-d', '-f', 'a@example.com', '-t', 'reply+abc@calndro.test', '127.0.0.1:2599'], r));
console.log('smtp-source -> bare smtp-server', Math.round(N / ((performance.now() - t) / 1000)), 'msg/s');
server.close(); process.exit(0);
