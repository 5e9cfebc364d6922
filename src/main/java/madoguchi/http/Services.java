package madoguchi.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import madoguchi.Config;
import madoguchi.app.booking.Allocator;
import madoguchi.app.verification.AttemptLimiter;
import madoguchi.app.staff.Audit;
import madoguchi.app.DatabaseProbe;
import madoguchi.app.capacity.SlotBlocks;
import madoguchi.app.booking.BookingDesk;
import madoguchi.app.booking.BookingStore;
import madoguchi.app.capacity.CapacityTuning;
import madoguchi.app.cards.CardImportStore;
import madoguchi.app.cards.CardLifecycle;
import madoguchi.app.reports.Reports;
import madoguchi.app.cards.CardStore;
import madoguchi.app.verification.ResidentTokens;
import madoguchi.app.capacity.SiteStore;
import madoguchi.app.capacity.SlotCalendar;
import madoguchi.app.capacity.Sites;
import madoguchi.app.sms.TextMessages;
import madoguchi.app.staff.Users;

import java.time.Clock;

/** Everything the HTTP handlers use, wired once in Main. */
public record Services(Config config, Clock clock, DatabaseProbe probe, PrometheusMeterRegistry registry, Allocator allocator,
                       BookingDesk desk, Sites sites, SiteStore siteStore, SlotCalendar calendar, ResidentTokens tokens,
                       Users users, CardStore cards, BookingStore bookings, CapacityTuning capacity,
                       CardImportStore cardImport, Audit audit, SlotBlocks blocks, madoguchi.app.verification.Verification verification,
                       TextMessages messages,
                       CardLifecycle lifecycle, Reports reports,
                       madoguchi.app.staff.StaffSessions staffSessions, madoguchi.app.sms.SmsOutbox sms,
                       madoguchi.app.staff.AuditLog auditLog, madoguchi.app.staff.SignInLimits signIns,
                       madoguchi.telephony.Telephony telephony, madoguchi.app.booking.BookingMetrics bookingMetrics,
                       madoguchi.app.booking.BookingChanges changes, madoguchi.app.reminders.Reminders reminders,
                       madoguchi.telephony.SmsReplies smsReplies, madoguchi.app.waitlist.Waitlist waitlist,
                       madoguchi.app.reminders.ReminderCalls reminderCalls, madoguchi.telephony.ReminderCall reminderCall,
                       madoguchi.app.staff.StaffActions staff, madoguchi.app.staff.AdminActions admin) {
}
