package madoguchi.telephony;

import java.util.ArrayList;
import java.util.List;

/** What the service answers one webhook with, before it becomes TwiML (in {@link Twiml}). */
final class Reply {
    record Line(String language, String text) {
    }

    /** OFFER_CALLBACK: instead of the queue (outside the call center's hours), a key for a call back at {@link #url}. */
    enum End { GATHER, ENQUEUE, HANGUP, REDIRECT, OFFER_CALLBACK, NONE }

    final List<Line> lines = new ArrayList<>();
    End end = End.NONE;
    /** The Gather's action, the Redirect's target, or the Enqueue's wait URL. */
    String url;
    /** The Enqueue's action (called when the caller leaves the queue). */
    String leftUrl;
    String queue;
    String language;
    Flow.State gather;
    /** The database was asked whether it answers during this webhook (not kept, not rendered). */
    boolean readyChecked;
    /** The step this reply answers was claimed before its first action (not kept, not rendered). */
    boolean claimed;

    Reply say(String language, String text) {
        lines.add(new Line(language, text));
        return this;
    }
}
