import { simpleParser } from 'mailparser';
const raw = `Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: bounces@calndro.test
Subject: Undelivered Mail Returned to Sender
List-Id: <x.y>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain

This is the mail system.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Tue, 11 Mar 2031 14:00:00 +0000

Final-Recipient: rfc822; bob@example.org
Original-Recipient: rfc822;bob@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected

--B1
Content-Type: message/rfc822

Message-ID: <mtg-42.3@calndro.test>
From: calndro <bot@calndro.test>
To: bob@example.org
Subject: Meeting

hello
--B1--
`;
const p = await simpleParser(raw, { keepDeliveryStatus: true });
console.log(p.headers, p.attachments.map(a => [a.contentType, a.content.toString().slice(0,80)]), JSON.stringify(p.text));
