package madoguchi.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shelf count (棚卸し) against the cards the system holds {@code ready}. The difference is
 * explained by the reasons the cards' history shows, in order of how sure the evidence is (a
 * recorded cancellation first, a computed expiry last); what no evidence explains is
 * {@code unknown}. Cards counted but not held ready in the system are {@code notInSystem}.
 */
public record Reconciliation(int ready, int counted, int difference, Map<String, Integer> explained, int unknown,
                             int notInSystem, Map<String, Integer> candidates) {

    /** The reasons, most certain first. */
    public static final List<String> REASONS = List.of("moved_out", "died", "withdrawn", "moved_between_wards", "expired");

    /**
     * @param candidates ready cards per reason their history suggests they are not on the shelf
     *                   (each card counted under one reason only)
     */
    public static Reconciliation of(int ready, int counted, Map<String, Integer> candidates) {
        int difference = ready - counted;
        Map<String, Integer> explained = new LinkedHashMap<>();
        Map<String, Integer> found = new LinkedHashMap<>();
        int left = Math.max(0, difference);
        for (String reason : REASONS) {
            int n = candidates.getOrDefault(reason, 0);
            found.put(reason, n);
            int take = Math.min(n, left);
            explained.put(reason, take);
            left -= take;
        }
        return new Reconciliation(ready, counted, difference, explained, left, Math.max(0, -difference), found);
    }
}
