// Put into every outbound mail (text and HTML) and cut at first on inbound replies: the most
// reliable quote boundary there is, since we wrote it ourselves (Discourse does the same).
export const REPLY_MARKER_TEXT = '-- Reply above this line to answer --';
/** Hidden HTML element id marking the same boundary in the HTML part. */
export const REPLY_MARKER_HTML_ID = 'calndro-reply-above';
