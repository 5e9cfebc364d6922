package madoguchi.app.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code madoguchi_abuse_lockouts_total{kind}}: attempts refused because a limit was reached, so
 * that operators are alerted when someone is trying (monitoring/ has the alerts). Kinds:
 * {@code verify_address}, {@code verify_notice}, {@code verify_caller} (a calling number),
 * {@code verify_service} (the service-wide brake, {@link VerificationBrake}), {@code booking_changes}.
 */
public final class Lockouts {
    private Lockouts() {
    }

    /** Shows every kind at zero from the start, so that an alert on a rise has a series to watch. */
    public static void prepare(MeterRegistry registry) {
        for (String kind : new String[]{"verify_address", "verify_notice", "verify_caller", "verify_service", "booking_changes"}) {
            counter(registry, kind);
        }
    }

    public static void count(MeterRegistry registry, String kind) {
        counter(registry, kind).increment();
    }

    private static Counter counter(MeterRegistry registry, String kind) {
        return Counter.builder("madoguchi_abuse_lockouts")
                .description("Attempts refused because a verification or booking-change limit was reached")
                .tag("kind", kind)
                .register(registry);
    }
}
