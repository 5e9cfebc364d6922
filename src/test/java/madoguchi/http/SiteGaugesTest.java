package madoguchi.http;

import io.micrometer.core.instrument.Meter;
import io.vertx.core.json.JsonObject;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-site gauges are registered once and then only change value. When every scrape
 * re-registered them, two scrapes on different event loops could each see the other's
 * half-registered meters and answer 500 "Duplicate labels" (seen by the fuzz test); a meter
 * that is never replaced leaves no such window.
 */
class SiteGaugesTest {
    @Test
    void aScrapeUpdatesTheSameGaugesInsteadOfRegisteringThemAgain() throws Exception {
        try (TestService service = TestService.start()) {
            long slot = service.siteWithOneSlot("gauge", LocalDate.now(madoguchi.domain.BookingWindow.TOKYO).plusDays(3), 1, 2);
            service.importCards("gauge", 6_900_000_000L, 1);
            String token = service.verify(6_900_000_000L);
            var registry = service.app.services().registry();

            service.metrics(); // a scrape (it throws unless answered 200)
            Meter left = registry.find("madoguchi.site.seats.left").tag("site", "gauge").meter();
            Meter used = registry.find("madoguchi.site.utilisation").tag("site", "gauge").meter();
            assertNotNull(left);
            assertEquals(2.0, registry.get("madoguchi.site.seats.left").tag("site", "gauge").gauge().value());

            assertEquals(201, service.post("/api/v1/bookings", token, new JsonObject().put("slotId", slot)).status());
            String text = service.metrics();
            assertTrue(text.contains("madoguchi_site_seats_left{site=\"gauge\"} 1.0"), text);
            assertTrue(text.contains("madoguchi_site_utilisation{site=\"gauge\"} 0.5"), text);
            assertSame(left, registry.find("madoguchi.site.seats.left").tag("site", "gauge").meter(), "not registered again");
            assertSame(used, registry.find("madoguchi.site.utilisation").tag("site", "gauge").meter(), "not registered again");
        }
    }
}
