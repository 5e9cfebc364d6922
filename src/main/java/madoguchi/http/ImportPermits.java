package madoguchi.http;

import java.util.HashMap;
import java.util.Map;

/**
 * How many card imports may run at once: one per staff member, and a few in all, since each holds
 * a database connection and a transaction while its file arrives. Shared by every HTTP verticle.
 */
public final class ImportPermits {
    static final int PER_PRINCIPAL = 1;
    static final int AT_ONCE = 2;

    private final int perPrincipal;
    private final int atOnce;
    private final Map<String, Integer> running = new HashMap<>();
    private int total;

    ImportPermits(int perPrincipal, int atOnce) {
        this.perPrincipal = perPrincipal;
        this.atOnce = atOnce;
    }

    public ImportPermits() {
        this(PER_PRINCIPAL, AT_ONCE);
    }

    /** Takes a permit for {@code who}: null when taken, else the refusal's error code. */
    synchronized String take(String who) {
        if (running.getOrDefault(who, 0) >= perPrincipal) {
            return "import_in_progress";
        }
        if (total >= atOnce) {
            return "imports_busy";
        }
        running.merge(who, 1, Integer::sum);
        total++;
        return null;
    }

    synchronized void release(String who) {
        running.computeIfPresent(who, (k, n) -> n <= 1 ? null : n - 1);
        total--;
    }
}
