package madoguchi.telephony;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Phone metrics (Prometheus names): madoguchi_ivr_calls_total{outcome}, madoguchi_ivr_webhook_seconds{route},
 * madoguchi_ivr_state_seconds{op} (reading or keeping a call's state, as the webhook waits for it),
 * madoguchi_ivr_signature_failures_total, madoguchi_operator_queue_length, madoguchi_callback_requests_total.
 */
public final class IvrMetrics {
    private final MeterRegistry registry;
    private final Counter signatureFailures;
    private final Counter callbackRequests;
    /** Calls this instance put in the operator queue that have not left it yet. */
    final Set<String> queued = ConcurrentHashMap.newKeySet();

    public IvrMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.signatureFailures = Counter.builder("madoguchi.ivr.signature.failures")
                .description("Webhook requests refused because their Twilio signature was missing or wrong").register(registry);
        this.callbackRequests = Counter.builder("madoguchi.callback.requests")
                .description("Callback requests left by callers in the operator queue").register(registry);
        Gauge.builder("madoguchi.operator.queue.length", queued, Set::size)
                .description("Callers this instance put in the operator queue who are still waiting").register(registry);
        for (String outcome : new String[]{"booked", "rescheduled", "cancelled", "operator", "callback", "unavailable", "locked",
                "limited", "waitlisted", "abandoned"}) {
            call(outcome);
        }
    }

    Counter call(String outcome) {
        return Counter.builder("madoguchi.ivr.calls").description("Phone calls ended, by what they achieved")
                .tag("outcome", outcome).register(registry);
    }

    public Timer webhook(String route) {
        return Timer.builder("madoguchi.ivr.webhook").description("Time to answer a Twilio webhook")
                .tag("route", route).publishPercentileHistogram().register(registry);
    }

    /** How long a webhook waits for its call's state: {@code load}, {@code claim} or {@code save} (pool wait and commit included). */
    Timer state(String op) {
        return Timer.builder("madoguchi.ivr.state").description("Time a webhook waits to read, claim or keep its call's state")
                .tag("op", op).publishPercentileHistogram().publishPercentiles(0.5, 0.99).register(registry);
    }

    public void signatureFailed() {
        signatureFailures.increment();
    }

    void callbackRequested() {
        callbackRequests.increment();
    }
}
