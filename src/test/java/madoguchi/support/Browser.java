package madoguchi.support;

import io.vertx.core.json.JsonObject;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Debian's Chromium driven headless through Debian's chromedriver, with nothing downloaded:
 * both paths are given, so Selenium Manager is never asked. One browser serves a whole test
 * class; it records the network (performance log) so tests can see the requests a page sent.
 */
public final class Browser implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    public final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /** A browser whose user prefers Japanese, as most residents' browsers do. */
    public static Browser start() throws IOException {
        return start("ja-JP,ja");
    }

    /** A browser sending {@code acceptLanguages} (Chromium's own default here would be en-US). */
    public static Browser start(String acceptLanguages) throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(Level.WARNING);
        Path profile = Files.createTempDirectory("madoguchi-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-component-update", "--no-first-run", "--disable-extensions",
                "--disable-sync", "--disable-default-apps", "--lang=" + acceptLanguages.split(",")[0], "--user-data-dir=" + profile, "--window-size=1280,1000");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", acceptLanguages));
        options.setExperimentalOption("perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return new Browser(driver, service, profile);
    }

    /**
     * The pages' clock ({@code Date}) moved by {@code offset} from the machine's, like the service's
     * {@link DaytimeClock}, so that countdowns to what the service says (a held seat, a session)
     * read the same time on both sides. Applies to every page opened afterwards.
     */
    public void showTime(Duration offset) {
        String js = "(() => { const offset = " + offset.toMillis() + "; const Real = Date;"
                + " function Shifted(...a) { if (!new.target) { return new Real(Real.now() + offset).toString(); }"
                + "   return a.length ? new Real(...a) : new Real(Real.now() + offset); }"
                + " Shifted.prototype = Real.prototype; Object.setPrototypeOf(Shifted, Real);"
                + " Shifted.now = () => Real.now() + offset; Shifted.parse = Real.parse; Shifted.UTC = Real.UTC;"
                + " window.Date = Shifted; })();";
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", js));
    }

    public WebDriverWait waiting(Duration d) {
        WebDriverWait wait = new WebDriverWait(driver, d);
        wait.pollingEvery(Duration.ofMillis(50));
        return wait;
    }

    public <T> T until(ExpectedCondition<T> condition) {
        return waiting(Duration.ofSeconds(15)).until(condition);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    /** Saves a screenshot as target/screenshots/{name}.png. */
    public Path screenshot(String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path to = dir.resolve(name + ".png");
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    /** A request the page sent, as the browser's network log saw it. */
    public record Sent(String method, String url, Map<String, Object> headers) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return String.valueOf(e.getValue());
                }
            }
            return null;
        }
    }

    /** An answer the page received, as the browser's network log saw it. */
    public record Answered(String url, int status) {
    }

    /** The answers received since the last call (the log is drained, as by {@link #sentRequests()}). */
    public List<Answered> answers() {
        List<Answered> out = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonObject message = new JsonObject(entry.getMessage()).getJsonObject("message");
            if ("Network.responseReceived".equals(message.getString("method"))) {
                JsonObject response = message.getJsonObject("params").getJsonObject("response");
                out.add(new Answered(response.getString("url"), response.getNumber("status").intValue()));
            }
        }
        return out;
    }

    /** The requests sent since the last call (the log is drained). */
    public List<Sent> sentRequests() {
        List<Sent> out = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonObject message = new JsonObject(entry.getMessage()).getJsonObject("message");
            if (!"Network.requestWillBeSent".equals(message.getString("method"))) {
                continue;
            }
            JsonObject request = message.getJsonObject("params").getJsonObject("request");
            out.add(new Sent(request.getString("method"), request.getString("url"), request.getJsonObject("headers").getMap()));
        }
        return out;
    }

    /**
     * Script errors and policy violations the page logged since the last call. Failed API calls
     * (the 4xx and 503 answers tests provoke) are logged by Chromium too; they are left out.
     */
    public List<String> consoleErrors() {
        List<String> out = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !entry.getMessage().contains("Failed to load resource")) {
                out.add(entry.getMessage());
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
