// The SMTP door's own ceiling: the smtp-server library our door uses, accepting and dropping
// every message (no storage, no parsing), for comparison with smtp-sink and with calndro.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], disableReverseLookup: true, logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => callback());
  },
});
server.listen(Number(process.env.PORT), '127.0.0.1');
