package madoguchi.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Set;

/**
 * When a site is open and with how many counters: on some weekdays (optionally only the nth of
 * the month, e.g. the 2nd and 4th Saturday), from {@code opens} to {@code closes}, between two
 * dates. National holidays are left out, included, or the only days the rule applies.
 * A rule with {@code validFrom == validTo} is a special opening for one day.
 */
public record OpeningRule(long id, String siteId, Set<DayOfWeek> weekdays, Set<Integer> nthOfMonth, Holidays holidays,
                          LocalTime opens, LocalTime closes, int counters, int perCounter, String label,
                          LocalDate validFrom, LocalDate validTo, Integer quotaWeb, Integer quotaPhone) {

    public enum Holidays { EXCLUDE, INCLUDE, ONLY }

    public OpeningRule {
        if (!closes.isAfter(opens)) {
            throw new IllegalArgumentException("a rule must close after it opens: " + opens + "-" + closes);
        }
        if (counters < 0 || perCounter < 0) {
            throw new IllegalArgumentException("counters and residents per counter cannot be negative");
        }
    }

    /** The label a capacity change made by hand is kept under, as a rule for its days. */
    public static final String BY_HAND = "admin";

    /**
     * A capacity change made by hand, kept as a rule so that days planned later get the same seats;
     * it is planned after the opening rules, so it decides the slots it covers.
     */
    public boolean byHand() {
        return BY_HAND.equals(label);
    }

    public int capacity() {
        return counters * perCounter;
    }

    /** The rule's limits for a slot: quotas default to the whole capacity and never exceed it. */
    public SlotLimits limits() {
        int capacity = capacity();
        int phone = quotaPhone == null ? capacity : Math.min(quotaPhone, capacity);
        int web = quotaWeb == null ? phone : Math.min(quotaWeb, phone);
        return new SlotLimits(capacity, web, phone, false);
    }

    public boolean appliesOn(LocalDate date, boolean holiday) {
        if (validFrom != null && date.isBefore(validFrom) || validTo != null && date.isAfter(validTo)) {
            return false;
        }
        if (holiday ? holidays == Holidays.EXCLUDE : holidays == Holidays.ONLY) {
            return false;
        }
        if (!weekdays.contains(date.getDayOfWeek())) {
            return false;
        }
        return nthOfMonth.isEmpty() || nthOfMonth.contains((date.getDayOfMonth() - 1) / 7 + 1);
    }
}
