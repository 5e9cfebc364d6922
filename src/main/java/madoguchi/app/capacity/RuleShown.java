package madoguchi.app.capacity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.domain.OpeningRule;

import java.util.Locale;

/** An opening rule as administrators read it: in the API's answers and in the audit trail. */
public final class RuleShown {

    private RuleShown() {
    }

    public static JsonObject of(OpeningRule r) {
        JsonObject quota = new JsonObject();
        if (r.quotaWeb() != null) {
            quota.put("web", r.quotaWeb());
        }
        if (r.quotaPhone() != null) {
            quota.put("phone", r.quotaPhone());
        }
        JsonObject out = new JsonObject()
                .put("weekdays", new JsonArray(r.weekdays().stream().sorted().map(d -> d.getValue()).toList()))
                .put("nthOfMonth", new JsonArray(r.nthOfMonth().stream().sorted().toList()))
                .put("holidays", r.holidays().name().toLowerCase(Locale.ROOT))
                .put("opens", r.opens().toString()).put("closes", r.closes().toString())
                .put("counters", r.counters()).put("perCounter", r.perCounter()).put("label", r.label())
                .put("validFrom", r.validFrom() == null ? null : r.validFrom().toString())
                .put("validTo", r.validTo() == null ? null : r.validTo().toString());
        if (!quota.isEmpty()) {
            out.put("quota", quota);
        }
        return r.id() == 0 ? out : new JsonObject().put("id", r.id()).mergeIn(out);
    }
}
