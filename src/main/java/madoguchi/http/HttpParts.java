package madoguchi.http;

import madoguchi.app.DatabaseProbe;
import madoguchi.app.reminders.ReminderCalls;
import madoguchi.app.reminders.Reminders;
import madoguchi.app.staff.StaffSessions;
import madoguchi.app.staff.Users;
import madoguchi.app.verification.ResidentTokens;
import madoguchi.telephony.ReminderCall;
import madoguchi.telephony.SmsReplies;
import madoguchi.telephony.Telephony;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What the public HTTP server is built from, one part per concern. {@link HttpVerticle} hands each
 * API its own part and nothing else; every instance (one per event loop) is built from the same parts.
 */
public record HttpParts(Server server, Callers callers, IdempotentPosts posts,
                        ResidentApi.Needs residents, OperatorApi.Needs operators, WaitlistApi.Needs waitlist,
                        AdminApi.Needs admin, ReportsApi.Needs reports, CardUpload.Needs cardImport,
                        ConsoleRoutes.Needs console, Phone phone, CounterApi.Needs counter, BoardRoutes.Needs board,
                        KeepApi.Needs keep) {

    /**
     * The listening socket and what every answer needs: the clock and the call-center number (for
     * "until when" and "call us"), and the database probe (for /ready and "retry shortly").
     */
    public record Server(int port, Duration headerTimeout, Duration idleTimeout, boolean strictTransport,
                         Clock clock, String callCenter, DatabaseProbe probe, madoguchi.app.Draining draining,
                         HttpServers listening) {
    }

    /** Who is asking ({@link Guard}): residents' signed tokens, staff tokens and console sessions. */
    public record Callers(ResidentTokens tokens, Users users, StaffSessions staffSessions, Optional<URI> publicBaseUrl) {
    }

    /** Twilio's webhooks (voice, SMS, reminder calls) and the operators' lists beside them. */
    public record Phone(Telephony line, Clock clock, SmsReplies replies, Reminders reminders,
                        ReminderCall reminderCall, ReminderCalls reminderCalls) {
    }
}
