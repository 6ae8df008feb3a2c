import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { classifyInbound, classifyParsedMail } from '../../src/mail/inbound/classify.js';
import { readDsn } from '../../src/mail/inbound/dsn.js';

const TOKEN_TO = 'reply+0123456789abcdef0123456789abcdef01234567@calndro.test';

/** A raw RFC 5322 message: extra header lines, then a plain body. */
function mail(headers: string[], body = '1,3\r\n'): string {
  const base = [
    'From: Bob Example <bob@example.org>',
    `To: ${TOKEN_TO}`,
    'Subject: Re: Project kickoff: please pick slots',
    'Date: Tue, 04 Mar 2031 09:00:00 +0000',
    'Message-ID: <CAB123@mail.example.org>',
  ];
  const names = headers.map((h) => h.split(':')[0]!.toLowerCase());
  const kept = base.filter((h) => !names.includes(h.split(':')[0]!.toLowerCase()));
  return [...kept, ...headers, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body].join('\r\n');
}

async function classifyRaw(raw: string, envelope: string | null = 'bob@example.org') {
  return classifyParsedMail(await simpleParser(raw, { keepDeliveryStatus: true }), envelope);
}

const DSN = [
  'Return-Path: <>',
  'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
  'To: bounces@calndro.test',
  'Subject: Undelivered Mail Returned to Sender',
  'Date: Tue, 11 Mar 2031 14:00:05 +0000',
  'Message-ID: <20310311140005.ABC@mx.example.net>',
  'Auto-Submitted: auto-replied',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status;',
  '\tboundary="9B095B5ADSN=_01"',
  '',
  'This is a MIME-encapsulated message.',
  '',
  '--9B095B5ADSN=_01',
  'Content-Description: Notification',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'This is the mail system at host mx.example.net.',
  "I'm sorry to have to inform you that your message could not be delivered.",
  '',
  '<bob@example.org>: host mail.example.org said: 550 5.1.1 User unknown',
  '',
  '--9B095B5ADSN=_01',
  'Content-Description: Delivery report',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.example.net',
  'X-Postfix-Queue-ID: 9B095B5A',
  'Arrival-Date: Tue, 11 Mar 2031 14:00:00 +0000 (UTC)',
  '',
  'Final-Recipient: rfc822; Bob@Example.org',
  'Original-Recipient: rfc822;bob@example.org',
  'Action: failed',
  'Status: 5.1.1',
  'Remote-MTA: dns; mail.example.org',
  'Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected:',
  '    User unknown in local recipient table',
  '',
  '--9B095B5ADSN=_01',
  'Content-Description: Undelivered Message',
  'Content-Type: message/rfc822',
  '',
  'Return-Path: <bounces+0123@calndro.test>',
  'From: calndro <bot@calndro.test>',
  'To: bob@example.org',
  'Subject: Project kickoff: please pick slots',
  'Message-ID:',
  ' <mtg-42.3@calndro.test>',
  'Auto-Submitted: auto-generated',
  'Content-Type: text/plain; charset=utf-8',
  '',
  '1. Tue 2031-03-11 14:00 UTC (1 h)',
  '',
  '--9B095B5ADSN=_01--',
  '',
].join('\r\n');

describe('classifyParsedMail: bounces', () => {
  it('reads a multipart/report DSN: recipient, status, original Message-ID, hard bounce', async () => {
    expect(await classifyRaw(DSN, '')).toEqual({
      kind: 'bounce',
      recipient: 'bob@example.org',
      status: '5.1.1',
      action: 'failed',
      permanent: true,
      originalMessageId: '<mtg-42.3@calndro.test>',
    });
  });

  it('recognizes the DSN from its structure even when the envelope sender is unknown (IMAP)', async () => {
    const raw = DSN.replace('Return-Path: <>\r\n', '').replace('Auto-Submitted: auto-replied\r\n', '');
    expect(await classifyRaw(raw, null)).toMatchObject({ kind: 'bounce', permanent: true, status: '5.1.1' });
  });

  it('a delayed 4.x.x DSN with text/rfc822-headers (Exchange style) is a soft bounce', async () => {
    const raw = DSN.replace('Action: failed', 'Action: delayed')
      .replace('Status: 5.1.1', 'Status: 4.4.7 (delivery time expired)')
      .replace('Content-Type: message/rfc822', 'Content-Type: text/rfc822-headers');
    expect(await classifyRaw(raw, '')).toEqual({
      kind: 'bounce',
      recipient: 'bob@example.org',
      status: '4.4.7',
      action: 'delayed',
      permanent: false,
      originalMessageId: '<mtg-42.3@calndro.test>',
    });
  });

  it('a null envelope sender without a report is a (soft) bounce', async () => {
    expect(await classifyRaw(mail([]), '')).toEqual({ kind: 'bounce', permanent: false });
    expect(await classifyRaw(mail([]), '<>')).toEqual({ kind: 'bounce', permanent: false });
    expect(await classifyRaw(mail(['Return-Path: <>']), null)).toEqual({ kind: 'bounce', permanent: false });
  });

  it('mail from MAILER-DAEMON or postmaster is a bounce', async () => {
    const raw = mail(['From: MAILER-DAEMON@mx.example.net', 'Subject: failure notice']);
    expect(await classifyRaw(raw, 'x@y')).toMatchObject({ kind: 'bounce' });
    expect(await classifyRaw(mail(['From: Postmaster <postmaster@example.org>']))).toMatchObject({ kind: 'bounce' });
  });

  it('a read receipt (disposition-notification report) is automatic, not a bounce', async () => {
    const raw = mail(['Content-Type: multipart/report; report-type=disposition-notification; boundary=X'])
      .replace('Content-Type: text/plain; charset=utf-8\r\n', '')
      .replace('1,3\r\n', '--X\r\nContent-Type: text/plain\r\n\r\nRead.\r\n--X--\r\n');
    expect(await classifyRaw(raw)).toEqual({ kind: 'auto-reply', reason: expect.stringMatching(/disposition/) });
  });
});

describe('classifyParsedMail: auto-replies', () => {
  it.each([
    ['Auto-Submitted: auto-replied', /Auto-Submitted: auto-replied/],
    ['Auto-Submitted: auto-generated', /auto-generated/],
    ['Auto-Submitted: auto-notified; owner-email="x@y"', /auto-notified/],
    ['X-Autoreply: yes', /x-autoreply/],
    ['X-Autorespond: Out of office', /x-autorespond/],
    ['Precedence: junk', /junk/],
    ['Precedence: auto_reply', /auto_reply/],
    ['From: No Reply <noreply@shop.example>', /noreply/],
  ])('%s → auto-reply', async (header, reason) => {
    expect(await classifyRaw(mail([header]))).toEqual({ kind: 'auto-reply', reason: expect.stringMatching(reason) });
  });

  it.each([
    'Automatic reply: Project kickoff: please pick slots',
    'Out of Office: Project kickoff',
    'Abwesenheitsnotiz: Project kickoff',
    'Automatische Antwort: Project kickoff',
    'Réponse automatique : Project kickoff',
    'Respuesta automática: Project kickoff',
    'Autosvar: Project kickoff',
    'Auto: Project kickoff',
    '[EXTERNAL] Out of office until Monday',
  ])('subject %j → auto-reply', async (subject) => {
    expect(await classifyRaw(mail([`Subject: ${subject}`]))).toMatchObject({ kind: 'auto-reply' });
  });

  it('RFC 2047 encoded localized subject is decoded before matching', async () => {
    const raw = mail(['Subject: =?utf-8?Q?R=C3=A9ponse_automatique_:_Project?=']);
    expect(await classifyRaw(raw)).toMatchObject({ kind: 'auto-reply' });
  });
});

describe('classifyParsedMail: lists and humans', () => {
  it.each([
    ['List-Id: Team <team.lists.example.org>'],
    ['List-Unsubscribe: <mailto:leave@lists.example.org>'],
    ['List-Post: <mailto:team@lists.example.org>'],
    ['Precedence: bulk'],
    ['Precedence: list'],
  ])('%s → list', async (header) => {
    expect(await classifyRaw(mail([header]))).toMatchObject({ kind: 'list' });
  });

  it('an ordinary reply is human', async () => {
    expect(await classifyRaw(mail([]))).toEqual({ kind: 'human' });
  });

  it('Outlook X-Auto-Response-Suppress on a human reply does not make it automatic', async () => {
    const raw = mail(['X-Auto-Response-Suppress: All', 'Auto-Submitted: no', 'Thread-Topic: Project kickoff']);
    expect(await classifyRaw(raw)).toEqual({ kind: 'human' });
  });

  it('a human subject that merely mentions an absence is human', async () => {
    expect(await classifyRaw(mail(['Subject: Re: Out of office plans for March']))).toEqual({ kind: 'human' });
  });
});

describe('classifyInbound with plain records', () => {
  it('matches header names case-insensitively and reads string arrays', () => {
    expect(classifyInbound({ headers: { 'AUTO-SUBMITTED': ['auto-replied'] } })).toMatchObject({ kind: 'auto-reply' });
    expect(classifyInbound({ headers: { 'List-Id': 'x' } })).toMatchObject({ kind: 'list' });
    expect(classifyInbound({ headers: {}, from: 'Alice <alice@example.org>', mailFrom: 'alice@example.org' })).toEqual({
      kind: 'human',
    });
  });

  it('takes the delivery-status text directly', () => {
    const deliveryStatus = 'Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b.c\nAction: failed\nStatus: 5.2.2\n';
    expect(classifyInbound({ headers: {}, deliveryStatus })).toEqual({
      kind: 'bounce',
      recipient: 'a@b.c',
      status: '5.2.2',
      action: 'failed',
      permanent: true,
    });
  });

  it('never throws on hostile input and refuses to answer it', () => {
    const evil = new Map<string, unknown>([['subject', { toString: () => { throw new Error('x'); } }]]);
    expect(classifyInbound({ headers: evil })).toMatchObject({ kind: 'auto-reply' });
    expect(() => classifyInbound({ headers: null as never })).not.toThrow();
  });
});

describe('readDsn', () => {
  it('picks the failed recipient among several and falls back to Original-Message-ID', () => {
    const ds = [
      'Reporting-MTA: dns; mx',
      '',
      'Final-Recipient: rfc822; ok@x.y',
      'Action: delivered',
      'Status: 2.0.0',
      '',
      'Final-Recipient: rfc822; gone@x.y',
      'Action: failed',
      'Status: 5.1.1',
      'Original-Message-ID: <mtg-1.1@calndro.test>',
    ].join('\n');
    expect(readDsn(ds, '')).toEqual({
      recipient: 'gone@x.y',
      status: '5.1.1',
      action: 'failed',
      permanent: true,
      originalMessageId: '<mtg-1.1@calndro.test>',
    });
  });

  it('Action: failed without a status is permanent; nothing at all is not', () => {
    expect(readDsn('Final-Recipient: rfc822; a@b.c\nAction: failed')).toMatchObject({ permanent: true });
    expect(readDsn('')).toEqual({ permanent: false });
  });
});
