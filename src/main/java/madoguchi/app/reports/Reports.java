package madoguchi.app.reports;

import io.vertx.core.Future;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Forecast;
import madoguchi.domain.Outlook;
import madoguchi.domain.MonthlyFigures;
import madoguchi.domain.Reconciliation;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
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
    private final Clock clock;

    public Reports(ReportStore store, Clock clock) {
        this.store = store;
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
                                                    String key, madoguchi.app.AuditEntry audit) {
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

    /** A site's outlook as of a day, and the city's (the sum of the sites, with any what-if extra pace). */
    public record Outlooks(List<SiteOutlook> sites, Outlook city) {
    }

    public record SiteOutlook(String siteId, int issuedInWindow, Outlook outlook) {
    }

    /**
     * The outlook from what the office actually issues: per site and for the city, as of a day
     * (an earlier one plans from its own history), the pace being the issuances of the {@code days}
     * days up to it; {@code extraPerDay} adds a what-if pace to the city (extra counters, Saturday
     * openings, a walk-in site).
     */
    public Future<Outlooks> outlook(LocalDate asOf, int days, LocalDate appliedBy, LocalDate deadline, int extraPerDay) {
        LocalDate before = appliedBy == null ? asOf : appliedBy;
        return store.observed(asOf, days, before).map(observed -> {
            List<SiteOutlook> sites = new ArrayList<>();
            int waiting = 0;
            int waitingBefore = 0;
            int issued = 0;
            for (ReportStore.Observed o : observed) {
                sites.add(new SiteOutlook(o.siteId(), o.issued(),
                        Outlook.of(asOf, o.waiting(), o.waitingBefore(), o.issued() / (double) days, deadline)));
                waiting += o.waiting();
                waitingBefore += o.waitingBefore();
                issued += o.issued();
            }
            return new Outlooks(sites, Outlook.of(asOf, waiting, waitingBefore, issued / (double) days + extraPerDay, deadline));
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
