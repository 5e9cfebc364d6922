package madoguchi.app.capacity;

import io.vertx.core.Future;
import madoguchi.domain.OpeningRule;
import madoguchi.domain.SlotLimits;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Opening rules, holidays and closures in; materialised slots out. */
public interface CalendarStore {

    /** Rules per site, the national holidays, and closed days per site ("*" for every site). */
    record Calendar(Map<String, List<OpeningRule>> rules, Set<LocalDate> holidays, Map<String, Set<LocalDate>> closures) {

        public boolean closed(String siteId, LocalDate day) {
            return closures.getOrDefault("*", Set.of()).contains(day)
                    || closures.getOrDefault(siteId, Set.of()).contains(day);
        }
    }

    record NewSlot(String siteId, Instant start, Instant end, SlotLimits limits, String label) {
    }

    Future<Calendar> calendar();

    /** Adds (or renames) a national or city holiday, with its audit row. */
    Future<Void> addHoliday(LocalDate day, String nameJa, String nameEn, madoguchi.app.AuditEntry audit);

    /**
     * Writes a site's opening rule with its audit row in one transaction: a new one when its id
     * is 0, else in place of the rule with that id at that site. Answers the stored rule, or
     * null when there is no such rule at the site.
     */
    Future<OpeningRule> saveRule(OpeningRule rule, madoguchi.app.AuditEntry audit);

    /** Removes a site's opening rule with its audit row; false when there is no such rule at the site. */
    Future<Boolean> removeRule(String siteId, long ruleId, madoguchi.app.AuditEntry audit);

    /** Inserts the slots that do not exist yet; returns the sites that got new ones. */
    Future<Set<String>> addSlots(List<NewSlot> slots);
}
