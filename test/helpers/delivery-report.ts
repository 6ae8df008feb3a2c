// A delivery status notification (RFC 3464) as a receiving MTA sends it back.

/** A DSN naming `recipient` with `action` and `status`, quoting the headers of `messageId`. */
export const deliveryReport = (messageId: string, recipient: string, action = 'failed', status = '5.1.1') => [
  'From: MAILER-DAEMON@mx.example.com', 'To: whoever@calndro.test', 'Subject: Undelivered Mail Returned to Sender', 'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"', '', '--BOUND', 'Content-Type: text/plain', '',
  'Your message could not be delivered.', '', '--BOUND', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.com', '',
  `Final-Recipient: rfc822; ${recipient}`, `Action: ${action}`, `Status: ${status}`, 'Diagnostic-Code: smtp; 550 5.1.1 no such user', '',
  '--BOUND', 'Content-Type: text/rfc822-headers', '', `Message-ID: ${messageId}`, `To: ${recipient}`, 'Subject: x', '', '--BOUND--', ''].join('\r\n');
