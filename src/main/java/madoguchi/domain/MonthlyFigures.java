package madoguchi.domain;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One month's movements at one site, and the backlog they leave: every application adds a card
 * to the backlog, every issuance and cancellation takes one away (the council's arithmetic:
 * cumulative applications − issuances − cancellations).
 */
public record MonthlyFigures(YearMonth month, int applications, int issuances, int cancellations, int noShows, long backlog) {

    /** Movements of one month, before the backlog is known. */
    public record Movements(int applications, int issuances, int cancellations, int noShows) {
        public static final Movements NONE = new Movements(0, 0, 0, 0);

        public Movements plus(Movements o) {
            return new Movements(applications + o.applications, issuances + o.issuances,
                    cancellations + o.cancellations, noShows + o.noShows);
        }
    }

    /**
     * The months from {@code from} to {@code to}, each with its movements and the backlog at its end,
     * which counts every movement before {@code from} too.
     */
    public static List<MonthlyFigures> series(Map<YearMonth, Movements> movements, YearMonth from, YearMonth to) {
        long backlog = 0;
        List<MonthlyFigures> out = new ArrayList<>();
        for (Map.Entry<YearMonth, Movements> e : new TreeMap<>(movements).entrySet()) {
            if (e.getKey().isBefore(from)) {
                Movements m = e.getValue();
                backlog += (long) m.applications - m.issuances - m.cancellations;
            }
        }
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            Movements x = movements.getOrDefault(m, Movements.NONE);
            backlog += (long) x.applications - x.issuances - x.cancellations;
            out.add(new MonthlyFigures(m, x.applications, x.issuances, x.cancellations, x.noShows, backlog));
        }
        return out;
    }
}
