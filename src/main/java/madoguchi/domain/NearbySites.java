package madoguchi.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sites near a site, for an operator offering a caller the next free times elsewhere. Sites
 * carry no coordinates; their address does name their ward (川崎市<b>幸区</b>戸手本町…), and a
 * resident of a ward reaches its other offices (the ward office and its branch offices) most
 * easily. So, first the other sites in the same ward, then the city's card centers, which serve
 * every ward. Walk-in sites take no bookings and are left out; within each group, by id.
 */
public final class NearbySites {
    // a designated city's ward (〜市〜区) or a Tokyo special ward (東京都〜区): what follows, up to 区
    private static final Pattern CITY_WARD = Pattern.compile("市(\\p{IsHan}{1,5}?区)");
    private static final Pattern TOKYO_WARD = Pattern.compile("東京都(\\p{IsHan}{1,5}?区)");

    private NearbySites() {
    }

    /** Why a site counts as near: in the same ward, or a card center of the whole city. */
    public enum Why {
        SAME_WARD, CITY_CENTER;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Near(Site site, Why why) {
    }

    /** The ward an address names (幸区), if it names one. */
    public static Optional<String> ward(String addressJa) {
        if (addressJa == null) {
            return Optional.empty();
        }
        for (Pattern p : new Pattern[] {CITY_WARD, TOKYO_WARD}) {
            Matcher m = p.matcher(addressJa);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** At most {@code max} sites near {@code of}, nearest first. */
    public static List<Near> of(Site of, Collection<Site> all, int max) {
        Optional<String> ward = ward(of.addressJa());
        List<Site> others = all.stream().filter(s -> !s.id().equals(of.id()) && !s.walkIn())
                .sorted(Comparator.comparing(Site::id)).toList();
        List<Near> out = new ArrayList<>();
        if (ward.isPresent()) {
            for (Site s : others) {
                if (ward.equals(ward(s.addressJa()))) {
                    out.add(new Near(s, Why.SAME_WARD));
                }
            }
        }
        for (Site s : others) {
            if (s.kind() == SiteKind.CENTER && out.stream().noneMatch(n -> n.site().id().equals(s.id()))) {
                out.add(new Near(s, Why.CITY_CENTER));
            }
        }
        return out.size() > max ? out.subList(0, max) : out;
    }
}
