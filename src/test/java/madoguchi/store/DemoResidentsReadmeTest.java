package madoguchi.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo residents the README names are the ones DemoData loads. */
class DemoResidentsReadmeTest {
    @Test
    void theReadmeListsRealDemoCards() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## The resident page"));

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
            assertTrue(section.contains(row), "README row " + row);
            first = last + 1;
        }
        assertEquals(DemoData.FIRST_NOTICE + DemoData.CARDS, first);
    }
}
