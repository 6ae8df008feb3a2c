import { extractReply } from '../src/mail/inbound/extract-reply.ts';
const t = `1 and 3

On Tue, Mar 4, 2031 at 9:00 AM calndro <
bot@calndro.test> wrote:

> -- Reply above this line to answer --
>
> 1. Tue 2031-03-11 14:00 UTC (1 h)
`;
console.log(extractReply({ text: t }));
console.log(extractReply({ text: "1 and 3\n\n________________________________\nFrom: calndro\nSent: Tuesday\nTo: Bob\nSubject: x\n\nReply with e.g. 1,3\n1. Tue 2031-03-11 14:00 UTC (1 h)" }));
console.log(extractReply({ html: '<div dir="ltr">2 please<br></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue wrote:<br></div><blockquote class="gmail_quote">x<div id="calndro-reply-above">-- Reply</div> 1. Tue</blockquote></div>' }));
