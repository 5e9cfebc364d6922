package madoguchi.store;

import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's sites come with how to get there, in both languages, as residents see them. */
class DemoAccessNotesTest {

    @Test
    void everyBookableDemoSiteHasAMapLinkAndNotesInBothLanguages() throws Exception {
        try (TestService service = TestService.start(TestDatabase.fresh(), Map.of("MADOGUCHI_DEMO", "true"), Clock.systemUTC())) {
            int withNotes = 0;
            for (Object o : service.get("/api/v1/sites", null).array()) {
                JsonObject site = (JsonObject) o;
                if (site.getBoolean("walkIn")) {
                    continue;
                }
                JsonObject access = site.getJsonObject("access");
                assertTrue(access.getString("mapUrl").startsWith("https://www.google.com/maps/search/?api=1&query="), site.encode());
                for (String note : new String[] {"station", "parking", "floor"}) {
                    assertFalse(access.getJsonObject(note).getString("ja").isEmpty(), site.getString("id") + " " + note);
                    assertFalse(access.getJsonObject(note).getString("en").isEmpty(), site.getString("id") + " " + note);
                }
                withNotes++;
            }
            assertEquals(DemoData.SITES.size(), withNotes);
        }
    }
}
