package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which sites are near a card's site: the same ward first (from the addresses), then the city's card centers. */
class NearbySitesTest {
    private static Site site(String id, SiteKind kind, String address, boolean walkIn) {
        return new Site(id, id, id, kind, address, "", walkIn, 15, new BookingWindow(Duration.ofHours(12), 56),
                Duration.ofMinutes(5), Duration.ofMinutes(2));
    }

    // the demo's sites, with their addresses
    private static final Site CENTER = site("center", SiteKind.CENTER, "川崎市高津区坂戸3丁目2番1号 かながわサイエンスパーク(KSP)西棟", false);
    private static final Site KAWASAKI = site("kawasaki", SiteKind.WARD, "川崎市川崎区東田町8", false);
    private static final Site SAIWAI = site("saiwai", SiteKind.WARD, "川崎市幸区戸手本町1-11-1", false);
    private static final Site TAKATSU = site("takatsu", SiteKind.WARD, "川崎市高津区下作延2-8-1", false);
    private static final Site DAISHI = site("daishi", SiteKind.BRANCH, "川崎市川崎区東門前2-1-1", false);
    private static final Site TAJIMA = site("tajima", SiteKind.BRANCH, "川崎市川崎区鋼管通2-3-7", false);
    private static final Site KSP = site("ksp-walk-in", SiteKind.POPUP, "川崎市高津区坂戸3-2-1", true);
    private static final List<Site> ALL = List.of(CENTER, KAWASAKI, SAIWAI, TAKATSU, DAISHI, TAJIMA, KSP);

    private static List<String> near(Site of, int max) {
        return NearbySites.of(of, ALL, max).stream().map(n -> n.site().id() + ":" + n.why().wire()).toList();
    }

    @Test
    void theWardIsReadFromTheAddress() {
        assertEquals(Optional.of("川崎区"), NearbySites.ward("川崎市川崎区東田町8"));
        assertEquals(Optional.of("高津区"), NearbySites.ward("川崎市高津区坂戸3丁目2番1号"));
        assertEquals(Optional.of("中京区"), NearbySites.ward("京都府京都市中京区寺町通御池上る"));
        assertEquals(Optional.of("千代田区"), NearbySites.ward("東京都千代田区丸の内1-1"));
        assertEquals(Optional.empty(), NearbySites.ward("長野県松本市丸の内3-7"));
        assertEquals(Optional.empty(), NearbySites.ward(""));
    }

    @Test
    void theSameWardsOfficesComeFirstThenTheCardCenter() {
        assertEquals(List.of("daishi:same_ward", "tajima:same_ward", "center:city_center"), near(KAWASAKI, 5));
        assertEquals(List.of("daishi:same_ward", "kawasaki:same_ward", "center:city_center"), near(TAJIMA, 5));
        // Saiwai has no other office in its ward: the card center
        assertEquals(List.of("center:city_center"), near(SAIWAI, 5));
    }

    @Test
    void theCenterInAWardIsNearAsOfThatWardAndWalkInSitesNever() {
        // the center is in Takatsu ward: found as of the same ward, once; the walk-in site there takes no bookings
        assertEquals(List.of("center:same_ward"), near(TAKATSU, 5));
        assertEquals(List.of("takatsu:same_ward"), near(CENTER, 5));
    }

    @Test
    void atMostAsManyAsAsked() {
        assertEquals(List.of("daishi:same_ward"), near(KAWASAKI, 1));
        assertEquals(List.of(), near(KAWASAKI, 0));
    }
}
