package madoguchi.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The accessibility checks of the browser tests: axe-core 4 run on the page as it stands, and
 * reflow at 320 CSS pixels with text at 200 %. axe-core's script (the npm package's
 * {@code axe.min.js}) is given to the page by the test, never served by the service; Selenium's
 * scripts are not bound by the page's Content-Security-Policy.
 *
 * <p>Every state checked leaves its full result (minor and moderate findings too) in
 * {@code target/axe/{state}.json}; a serious or critical violation fails the test.
 */
public final class Axe {
    private static final String SOURCE = read("/axe.min.js");
    /** The rules of WCAG 2.0, 2.1 and 2.2 at A and AA, and axe's best practices. */
    private static final String OPTIONS = "{resultTypes:['violations'],runOnly:{type:'tag',values:"
            + "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa','best-practice']}}";

    private Axe() {
    }

    /** A violation axe found: its rule, impact, what it means and where (CSS selectors). */
    public record Violation(String rule, String impact, String help, List<String> where) {
        boolean blocks() {
            return "serious".equals(impact) || "critical".equals(impact);
        }

        @Override
        public String toString() {
            return impact + " " + rule + " (" + help + ") at " + String.join(" | ", where);
        }
    }

    /** Runs axe-core on the page; fails on any serious or critical violation, naming each. */
    public static void check(Browser browser, String state) {
        List<Violation> found = violations(browser, state);
        List<Violation> blocking = found.stream().filter(Violation::blocks).toList();
        if (!blocking.isEmpty()) {
            throw new AssertionError("axe-core on '" + state + "': " + blocking.size()
                    + " serious or critical violation(s):\n  " + String.join("\n  ", blocking.stream().map(Violation::toString).toList()));
        }
    }

    /** Every violation axe-core finds on the page as it stands; the result is kept under target/axe. */
    public static List<Violation> violations(Browser browser, String state) {
        if (!Boolean.TRUE.equals(browser.js("return typeof window.axe === 'object';"))) {
            browser.js(SOURCE);
        }
        browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        Object result;
        try {
            result = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "axe.run(document, " + OPTIONS + ").then(r => done(JSON.stringify(r.violations)), e => done('failed: ' + e));");
        } finally {
            browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        }
        String text = String.valueOf(result);
        if (text.startsWith("failed: ")) {
            throw new AssertionError("axe-core could not run on '" + state + "': " + text);
        }
        keep(state, text);
        List<Violation> out = new ArrayList<>();
        for (Object o : new JsonArray(text)) {
            JsonObject v = (JsonObject) o;
            List<String> where = new ArrayList<>();
            for (Object n : v.getJsonArray("nodes")) {
                where.add(((JsonObject) n).getJsonArray("target").encode());
            }
            out.add(new Violation(v.getString("id"), v.getString("impact"), v.getString("help"), where));
        }
        return out;
    }

    /**
     * WCAG 1.4.10 and 1.4.4: at a viewport 320 CSS pixels wide, with the browser's text size at
     * 200 % (the default font size doubled, as a user's setting does), nothing makes the page
     * scroll sideways and nothing sticks out of the viewport — except inside a container that
     * scrolls on its own (data tables may). The viewport and text size are restored afterwards.
     */
    public static void checkReflow(Browser browser, String state) {
        // where the page was scrolled: narrow, it is longer and may scroll; the test goes on from there
        Object scrolled = browser.js("return [window.scrollX, window.scrollY];");
        browser.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 320, "height", 720, "deviceScaleFactor", 1, "mobile", true));
        browser.driver.executeCdpCommand("Page.setFontSizes", Map.of("fontSizes", Map.of("standard", 32, "fixed", 26)));
        try {
            Object problems = browser.js(REFLOW);
            @SuppressWarnings("unchecked")
            List<String> list = (List<String>) problems;
            if (!list.isEmpty()) {
                throw new AssertionError("'" + state + "' does not reflow at 320 px with 200 % text:\n  " + String.join("\n  ", list));
            }
        } finally {
            browser.driver.executeCdpCommand("Page.setFontSizes", Map.of("fontSizes", Map.of("standard", 16, "fixed", 13)));
            browser.driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
            browser.js("window.scrollTo(arguments[0][0], arguments[0][1]);", scrolled);
        }
    }

    /** Lists what breaks reflow: the page's own sideways scroll, then elements beyond the viewport. */
    private static final String REFLOW = """
            const vw = document.documentElement.clientWidth;
            const out = [];
            if (document.documentElement.scrollWidth > vw + 1) {
              out.push('the page is ' + document.documentElement.scrollWidth + ' px wide in a viewport of ' + vw);
            }
            const scrollsOnItsOwn = el => {
              for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX;
                if (o === 'auto' || o === 'scroll') return true;
              }
              return false;
            };
            const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
            for (const el of document.body.querySelectorAll('*')) {
              const r = el.getBoundingClientRect();
              // nothing to see, or moved wholly off-screen to the left (how skip links hide)
              if (r.width === 0 || r.height === 0 || r.right <= 0) continue;
              const s = getComputedStyle(el);
              if (s.visibility === 'hidden' || s.position === 'fixed') continue;
              if (s.clip === 'rect(0px, 0px, 0px, 0px)' || s.clipPath === 'inset(50%)') continue;
              if ((r.right > vw + 1 || r.left < -1) && !scrollsOnItsOwn(el)) {
                out.push(name(el) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' px');
                if (out.length >= 12) break;
              }
            }
            if (out.length === 1 && out[0].startsWith('the page is')) {
              // nothing sticks out as a box: then text does, beyond the box it is in (a word too long for its line)
              for (const el of document.body.querySelectorAll('*')) {
                const s = getComputedStyle(el);
                if (s.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
                    && el.getBoundingClientRect().left + el.scrollWidth > vw + 1) {
                  out.push(name(el) + ' has content ' + el.scrollWidth + ' px wide in ' + el.clientWidth + ' px: "'
                      + el.textContent.trim().slice(0, 40) + '"');
                  if (out.length >= 12) break;
                }
              }
            }
            return out;
            """;

    private static void keep(String state, String json) {
        try {
            Path dir = Path.of("target", "axe");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(state.replaceAll("[^A-Za-z0-9_.-]+", "-") + ".json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = Axe.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath (com.deque.html.axe-core:selenium)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
