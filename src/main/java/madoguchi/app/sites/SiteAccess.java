package madoguchi.app.sites;

/**
 * How to get to a site, in Japanese and English, as administrators write it: a map or
 * directions link (https; none: the page links a map search of the site's address) and notes on
 * the nearest station, parking and the floor of the counters. Any note may be empty.
 */
public record SiteAccess(String mapUrl, String stationJa, String stationEn, String parkingJa, String parkingEn,
                         String floorJa, String floorEn) {

    public static final SiteAccess NONE = new SiteAccess(null, "", "", "", "", "", "");

    public SiteAccess {
        stationJa = orEmpty(stationJa);
        stationEn = orEmpty(stationEn);
        parkingJa = orEmpty(parkingJa);
        parkingEn = orEmpty(parkingEn);
        floorJa = orEmpty(floorJa);
        floorEn = orEmpty(floorEn);
        mapUrl = mapUrl == null || mapUrl.isBlank() ? null : mapUrl;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
