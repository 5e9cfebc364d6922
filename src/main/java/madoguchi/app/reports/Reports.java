package madoguchi.app.reports;

import io.vertx.core.Future;
import madoguchi.app.capacity.CalendarStore;
import madoguchi.app.sites.Sites;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.CounterYield;
import madoguchi.domain.Forecast;
import madoguchi.domain.Outlook;
import madoguchi.domain.MonthlyFigures;
import madoguchi.domain.Reconciliation;
import madoguchi.domain.Site;
import madoguchi.domain.SlotPlanner;
import madoguchi.domain.WhatIf;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The administrators' reports: monthly movements and backlog, shelf reconciliation, forecast. */
public final class Reports {
    /** Days of past bookings and coming seats the forecast's pace is measured over. */
    public static final int PACE_DAYS = 28;

    private final ReportStore store;
    private final CalendarStore calendar;
    private final Sites sites;
    private final Clock clock;

    /** The reports over {@code store}; the outlook reads the sites' opening rules from {@code calendar}. */
    public Reports(ReportStore store, CalendarStore calendar, Sites sites, Clock clock) {
        this.store = store;
        this.calendar = calendar;
        this.sites = sites;
        this.clock = clock;
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), BookingWindow.TOKYO);
    }

    /** The whole city's months and each site's. */
    public record Monthly(YearMonth from, YearMonth to, List<MonthlyFigures> total, Map<String, List<MonthlyFigures>> sites) {
    }

    public Future<Monthly> monthly(YearMonth from, YearMonth to) {
        return store.movements(to).map(rows -> {
            Map<YearMonth, MonthlyFigures.Movements> all = new HashMap<>();
            Map<String, Map<YearMonth, MonthlyFigures.Movements>> bySite = new TreeMap<>();
            for (ReportStore.SiteMonth r : rows) {
                all.merge(r.month(), r.movements(), MonthlyFigures.Movements::plus);
                bySite.computeIfAbsent(r.siteId(), k -> new HashMap<>()).merge(r.month(), r.movements(), MonthlyFigures.Movements::plus);
            }
            Map<String, List<MonthlyFigures>> sites = new LinkedHashMap<>();
            bySite.forEach((site, months) -> sites.put(site, MonthlyFigures.series(months, from, to)));
            return new Monthly(from, to, MonthlyFigures.series(all, from, to), sites);
        });
    }

    public record SiteReconciliation(ReportStore.ShelfCount count, Reconciliation result) {
    }

    public Future<ReportStore.Recorded> recordCount(String siteId, LocalDate countedOn, int counted, String note, String actor,
                                                    madoguchi.app.booking.Idempotency key, madoguchi.app.AuditEntry audit) {
        return store.recordCount(siteId, countedOn, counted, note, actor, key, audit);
    }

    /** The cards that reached a step of the process (e.g. notices mailed) per month and site. */
    public Future<List<ReportStore.StepMonth>> steps(madoguchi.domain.CardState state, YearMonth from, YearMonth to) {
        return store.stepMonths(state, from, to);
    }

    /** Each site's latest shelf count on or before {@code date}, against the cards ready there that day. */
    public Future<List<SiteReconciliation>> reconciliation(LocalDate date) {
        return reconciliation(date, null);
    }

    /** As {@link #reconciliation(LocalDate)}, for one site only when {@code siteId} is given. */
    public Future<List<SiteReconciliation>> reconciliation(LocalDate date, String siteId) {
        return store.latestCounts(date).map(all -> siteId == null ? all
                : all.stream().filter(c -> c.siteId().equals(siteId)).toList()).compose(counts -> {
            Map<LocalDate, List<ReportStore.ShelfCount>> byDay = counts.stream()
                    .collect(Collectors.groupingBy(ReportStore.ShelfCount::countedOn, TreeMap::new, Collectors.toList()));
            List<Future<List<SiteReconciliation>>> each = new ArrayList<>();
            byDay.forEach((day, list) -> each.add(store.readyOn(day,
                    list.stream().map(ReportStore.ShelfCount::siteId).collect(Collectors.toSet())).map(ready -> {
                        List<SiteReconciliation> out = new ArrayList<>();
                        for (ReportStore.ShelfCount c : list) {
                            ReportStore.ReadyCards r = ready.getOrDefault(c.siteId(), new ReportStore.ReadyCards(0, Map.of()));
                            out.add(new SiteReconciliation(c, Reconciliation.of(r.ready(), c.counted(), r.candidates())));
                        }
                        return out;
                    })));
            return Future.all(new ArrayList<>(each)).map(v -> {
                List<SiteReconciliation> out = new ArrayList<>();
                each.forEach(f -> out.addAll(f.result()));
                out.sort((a, b) -> a.count().siteId().compareTo(b.count().siteId()));
                return out;
            });
        });
    }

    /**
     * A site's outlook as of a day, with the bookings and free seats ahead, what one counter
     * issues there (null without opening hours in the window), the what-if's issuances a day at
     * the site, and the extra counters the deadline still takes (null when there is no deadline,
     * or a shortfall and no counter yield to express it in).
     */
    public record SiteOutlook(String siteId, int issuedInWindow, Outlook outlook, ReportStore.Ahead ahead, CounterYield yield,
                              double whatIfPerDay, Integer countersNeeded) {
    }

    /**
     * The sites' outlooks and the city's (the sum of the sites, with the whole what-if): the city's
     * counters needed are the sites' summed ({@code countersUnknown}: the sites short of the
     * deadline with no counter yield, left out of the sum); {@code conversions} are the what-if's
     * parts in issuances a day; {@code notOpen}: what-if sites whose rules open them on no day of
     * the window, so that their counters cannot be converted.
     */
    public record Outlooks(List<SiteOutlook> sites, Outlook city, ReportStore.Ahead cityAhead, double whatIfPerDay,
                           Integer countersNeeded, List<String> countersUnknown, List<Conversion> conversions, List<String> notOpen,
                           LocalDate windowFrom, int windowDays) {
    }

    /** Saturday openings asked at a site: so many Saturdays a month, of so many hours, with so many counters. */
    public record Saturdays(String siteId, int perMonth, double hours, int counters) {
    }

    /** A walk-in site: tickets a day, days a week. */
    public record WalkIn(int ticketsPerDay, int daysPerWeek) {
    }

    /** The outlook's what-if: extra counters per site, Saturday openings, a walk-in site, and a plain extra a day for the city. */
    public record WhatIfAsked(Map<String, Integer> extraCounters, List<Saturdays> saturdays, WalkIn walkIn, int extraPerDay) {
        public static final WhatIfAsked NONE = new WhatIfAsked(Map.of(), List.of(), null, 0);
    }

    /** One part of the what-if in issuances a calendar day ({@code siteId} null for the city's). */
    public record Conversion(String kind, String siteId, double perDay) {
    }

    /** Days of rules a counter's yield is read over when no deadline after the "as of" day gives the window. */
    public static final int YIELD_DAYS = 28;
    /** The longest window a counter's yield is read over. */
    public static final int YIELD_MAX_DAYS = 366;

    /**
     * The outlook from what the office actually issues: per site and for the city, as of a day
     * (an earlier one plans from its own history), the pace being the issuances of the {@code days}
     * days up to it; the what-if adds issuances a day to its sites and all of it to the city.
     * A counter's yield is read from the rules over the days from the day after {@code asOf} to
     * the deadline (the days the counters have to serve them), else over the 4 weeks after it.
     */
    public Future<Outlooks> outlook(LocalDate asOf, int days, LocalDate appliedBy, LocalDate deadline, WhatIfAsked whatIf) {
        LocalDate before = appliedBy == null ? asOf : appliedBy;
        LocalDate first = asOf.plusDays(1);
        long toDeadline = deadline == null ? 0 : ChronoUnit.DAYS.between(asOf, deadline);
        int window = toDeadline > 0 ? (int) Math.min(toDeadline, YIELD_MAX_DAYS) : YIELD_DAYS;
        Future<List<ReportStore.Observed>> observedF = store.observed(asOf, days, before);
        Future<List<ReportStore.Ahead>> aheadF = store.ahead(asOf);
        Future<CalendarStore.Calendar> calendarF = calendar.calendar();
        return Future.all(observedF, aheadF, calendarF).map(v -> {
            CalendarStore.Calendar cal = calendarF.result();
            SlotPlanner planner = new SlotPlanner(cal.holidays());
            Map<String, ReportStore.Ahead> ahead = new HashMap<>();
            aheadF.result().forEach(a -> ahead.put(a.siteId(), a));
            Map<String, CounterYield> yields = new HashMap<>();
            for (ReportStore.Observed o : observedF.result()) {
                Site site = sites.get(o.siteId());
                if (site != null) {
                    CounterYield y = CounterYield.of(site, cal.rules().getOrDefault(site.id(), List.of()), planner,
                            d -> cal.closed(site.id(), d), first, window);
                    if (y != null) {
                        yields.put(site.id(), y);
                    }
                }
            }
            List<Conversion> conversions = new ArrayList<>();
            List<String> notOpen = new ArrayList<>();
            Map<String, Double> extraAt = new HashMap<>();
            whatIf.extraCounters().forEach((siteId, n) -> {
                CounterYield y = yields.get(siteId);
                if (y == null) {
                    notOpen.add(siteId);
                    return;
                }
                double perDay = WhatIf.extraCounters(n, y);
                conversions.add(new Conversion("extraCounters", siteId, perDay));
                extraAt.merge(siteId, perDay, Double::sum);
            });
            for (Saturdays sat : whatIf.saturdays()) {
                CounterYield y = yields.get(sat.siteId());
                if (y == null) {
                    notOpen.add(sat.siteId());
                    continue;
                }
                double perDay = WhatIf.saturdays(sat.perMonth(), sat.hours(), sat.counters(), y);
                conversions.add(new Conversion("saturdays", sat.siteId(), perDay));
                extraAt.merge(sat.siteId(), perDay, Double::sum);
            }
            double cityExtra = whatIf.extraPerDay();
            if (whatIf.walkIn() != null) {
                double perDay = WhatIf.walkIn(whatIf.walkIn().ticketsPerDay(), whatIf.walkIn().daysPerWeek());
                conversions.add(new Conversion("walkIn", null, perDay));
                cityExtra += perDay;
            }
            if (whatIf.extraPerDay() > 0) {
                conversions.add(new Conversion("extraPerDay", null, whatIf.extraPerDay()));
            }

            List<SiteOutlook> out = new ArrayList<>();
            int waiting = 0;
            int waitingBefore = 0;
            int issued = 0;
            double sitesExtra = 0;
            int booked = 0;
            long seats = 0;
            long free = 0;
            int counters = 0;
            List<String> unknown = new ArrayList<>();
            for (ReportStore.Observed o : observedF.result()) {
                double extra = extraAt.getOrDefault(o.siteId(), 0.0);
                Outlook outlook = Outlook.of(asOf, o.waiting(), o.waitingBefore(), o.issued() / (double) days + extra, deadline);
                CounterYield y = yields.get(o.siteId());
                Integer needed = null;
                if (outlook.neededPerDay() != null) {
                    double shortPerDay = outlook.neededPerDay() - outlook.issuedPerDay();
                    if (shortPerDay <= 1e-9) {
                        needed = 0;
                    } else if (y != null) {
                        needed = y.countersFor(shortPerDay);
                    } else {
                        unknown.add(o.siteId());
                    }
                }
                ReportStore.Ahead a = ahead.getOrDefault(o.siteId(), new ReportStore.Ahead(o.siteId(), 0, 0, 0));
                out.add(new SiteOutlook(o.siteId(), o.issued(), outlook, a, y, extra, needed));
                waiting += o.waiting();
                waitingBefore += o.waitingBefore();
                issued += o.issued();
                sitesExtra += extra;
                booked += a.booked();
                seats += a.seats();
                free += a.free();
                counters += needed == null ? 0 : needed;
            }
            double whatIfPerDay = sitesExtra + cityExtra;
            Outlook city = Outlook.of(asOf, waiting, waitingBefore, issued / (double) days + whatIfPerDay, deadline);
            return new Outlooks(out, city, new ReportStore.Ahead(null, booked, seats, free), whatIfPerDay,
                    city.neededPerDay() == null ? null : counters, unknown, conversions, notOpen, first, window);
        });
    }

    /** What-if values an administrator may give instead of the measured ones (null = measured). */
    public record PaceOverride(Double seatsPerDay, Double bookingRate, Double noShowRate) {
        public static final PaceOverride NONE = new PaceOverride(null, null, null);
    }

    public record SiteForecast(String siteId, Forecast forecast) {
    }

    public Future<List<SiteForecast>> forecast(LocalDate appliedBy, LocalDate deadline, PaceOverride override) {
        LocalDate today = today();
        return store.pace(clock.instant(), PACE_DAYS, appliedBy).map(paces -> {
            List<SiteForecast> out = new ArrayList<>();
            for (ReportStore.Pace p : paces) {
                double seats = override.seatsPerDay() != null ? override.seatsPerDay() : (double) p.futureSeats() / PACE_DAYS;
                double booking = override.bookingRate() != null ? override.bookingRate()
                        : p.pastSeats() == 0 ? 1.0 : Math.min(1.0, (double) p.pastBooked() / p.pastSeats());
                long attended = p.pastIssued() + p.pastNoShows();
                double noShow = override.noShowRate() != null ? override.noShowRate()
                        : attended == 0 ? 0.0 : (double) p.pastNoShows() / attended;
                Forecast f = Forecast.of(today, p.waiting(), seats, booking, noShow);
                if (appliedBy != null && deadline != null) {
                    f = f.withDeadline(today, appliedBy, deadline, p.waitingBefore());
                }
                out.add(new SiteForecast(p.siteId(), f));
            }
            return out;
        });
    }
}
