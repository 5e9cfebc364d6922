package madoguchi.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo residents the README and docs/residents.md name are the ones DemoData loads. */
class DemoResidentsReadmeTest {
    @Test
    void theReadmeTourUsesARealDemoCard() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher card = Pattern.compile("notice number \\*\\*(21\\d{8})\\*\\* and birth date\\s+\\*\\*(\\d{4}-\\d{2}-\\d{2})\\*\\*")
                .matcher(readme);
        assertTrue(card.find(), "the README's tour names a demo card");
        int i = (int) (Long.parseLong(card.group(1)) - DemoData.FIRST_NOTICE);
        assertEquals(DemoData.birthDate(i), LocalDate.parse(card.group(2)), card.group());
    }

    @Test
    void theResidentsGuideListsRealDemoCards() throws Exception {
        String guide = Files.readString(Path.of("docs/residents.md"));
        int start = guide.indexOf("## Demo residents");
        assertTrue(start >= 0, "docs/residents.md has a section \"Demo residents\"");
        int end = guide.indexOf("\n## ", start + 1);
        String section = guide.substring(start, end < 0 ? guide.length() : end);

        Matcher card = Pattern.compile("\\| (21\\d{8}) \\| (\\d{4}-\\d{2}-\\d{2}) \\| center \\|").matcher(section);
        int cards = 0;
        while (card.find()) {
            int i = (int) (Long.parseLong(card.group(1)) - DemoData.FIRST_NOTICE);
            assertEquals(DemoData.birthDate(i), LocalDate.parse(card.group(2)), card.group());
            cards++;
        }
        assertEquals(5, cards);

        int[] perSite = DemoData.cardsPerSite();
        long first = DemoData.FIRST_NOTICE;
        for (int s = 0; s < DemoData.SITES.size(); s++) {
            long last = first + perSite[s] - 1;
            String row = String.format("| `%s` (%s) | %d – %d | %,d | %s |", DemoData.SITES.get(s).id(),
                    DemoData.SITES.get(s).nameJa(), first, last, perSite[s], DemoData.birthDate((int) (first - DemoData.FIRST_NOTICE)));
            assertTrue(section.contains(row), "docs/residents.md row " + row);
            first = last + 1;
        }
        assertEquals(DemoData.FIRST_NOTICE + DemoData.CARDS, first);
    }
}
