package madoguchi.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the resident page picks its language. */
class WebPagesTest {
    @Test
    void japaneseUnlessEnglishIsPreferred() {
        assertEquals("ja", WebPages.language(null, null, null));
        assertEquals("ja", WebPages.language(null, null, ""));
        assertEquals("ja", WebPages.language(null, null, "*"));
        assertEquals("ja", WebPages.language(null, null, "fr-FR,de;q=0.8"));
        assertEquals("ja", WebPages.language(null, null, "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"));
        assertEquals("ja", WebPages.language(null, null, "en;q=0.5,ja;q=0.5"), "a tie goes to Japanese");
        assertEquals("ja", WebPages.language(null, null, "en;q=0"), "q=0 means not wanted");
        assertEquals("ja", WebPages.language(null, null, "en;q=banana"));
        assertEquals("en", WebPages.language(null, null, "en-US,en;q=0.9"));
        assertEquals("en", WebPages.language(null, null, "fr, EN-gb;q=0.8, ja;q=0.3"));
        assertEquals("en", WebPages.language(null, null, "ko-KR, en ; q=0.6"));
    }

    @Test
    void anExplicitChoiceWins() {
        assertEquals("en", WebPages.language("en", null, "ja"));
        assertEquals("ja", WebPages.language("ja", "en", "en"));
        assertEquals("en", WebPages.language(null, "en", "ja"));
        assertEquals("ja", WebPages.language(null, "ja", "en-US"));
        assertEquals("en", WebPages.language("xx", "<script>", "en"), "anything else is ignored");
    }
}
