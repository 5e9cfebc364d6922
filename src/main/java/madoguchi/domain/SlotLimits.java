package madoguchi.domain;

/**
 * A slot's limits. Quotas are nested: web ≤ phone ≤ capacity; operators may fill up to capacity.
 */
public record SlotLimits(int capacity, int quotaWeb, int quotaPhone, boolean blocked) {

    public SlotLimits {
        if (capacity < 0 || quotaWeb < 0 || quotaPhone < 0 || quotaWeb > quotaPhone || quotaPhone > capacity) {
            throw new IllegalArgumentException("quotas must satisfy 0 <= web <= phone <= capacity, got web="
                    + quotaWeb + " phone=" + quotaPhone + " capacity=" + capacity);
        }
    }

    public int limit(Channel channel) {
        switch (channel) {
            case WEB:
                return quotaWeb;
            case PHONE:
                return quotaPhone;
            default:
                return capacity;
        }
    }
}
