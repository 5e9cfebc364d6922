package madoguchi.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import madoguchi.Config;
import madoguchi.app.Allocator;
import madoguchi.app.AttemptLimiter;
import madoguchi.app.Audit;
import madoguchi.app.DatabaseProbe;
import madoguchi.app.SlotBlocks;
import madoguchi.app.BookingDesk;
import madoguchi.app.BookingStore;
import madoguchi.app.CapacityTuning;
import madoguchi.app.CardImportStore;
import madoguchi.app.CardLifecycle;
import madoguchi.app.Reports;
import madoguchi.app.CardStore;
import madoguchi.app.ResidentTokens;
import madoguchi.app.SiteStore;
import madoguchi.app.SlotCalendar;
import madoguchi.app.Sites;
import madoguchi.app.TextMessages;
import madoguchi.app.Users;

import java.time.Clock;

/** Everything the HTTP handlers use, wired once in Main. */
public record Services(Config config, Clock clock, DatabaseProbe probe, PrometheusMeterRegistry registry, Allocator allocator,
                       BookingDesk desk, Sites sites, SiteStore siteStore, SlotCalendar calendar, ResidentTokens tokens,
                       Users users, CardStore cards, BookingStore bookings, CapacityTuning capacity,
                       CardImportStore cardImport, Audit audit, SlotBlocks blocks, madoguchi.app.Verification verification,
                       TextMessages messages,
                       CardLifecycle lifecycle, Reports reports,
                       madoguchi.app.StaffSessions staffSessions, madoguchi.app.SmsOutbox sms,
                       madoguchi.app.AuditLog auditLog, madoguchi.app.SignInLimits signIns,
                       madoguchi.telephony.Telephony telephony, madoguchi.app.BookingMetrics bookingMetrics,
                       AttemptLimiter bookingChangesPerCard, madoguchi.app.Reminders reminders,
                       madoguchi.telephony.SmsReplies smsReplies, madoguchi.app.Waitlist waitlist,
                       madoguchi.app.ReminderCalls reminderCalls, madoguchi.telephony.ReminderCall reminderCall) {
}
