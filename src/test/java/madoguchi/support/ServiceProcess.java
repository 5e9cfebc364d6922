package madoguchi.support;

import madoguchi.Config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code java -jar target/madoguchi.jar}) as a separate operating-system
 * process on an external database, so that a test can kill it with SIGKILL as a crash would.
 * Its output goes to a file under {@code target/processes/}.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public final int port;
    public final Path log;
    private final Process process;

    private ServiceProcess(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** The jar Maven packaged (failsafe passes its path; falls back to target/madoguchi.jar). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("madoguchi.jar", "target/madoguchi.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: run 'mvn package' first (integration tests run after it)");
        }
        return jar;
    }

    /** Starts the jar on {@code port} (0 = a free one) and returns at once, before it is ready. */
    public static ServiceProcess launch(Config.DatabaseUrl db, int port, Map<String, String> extraEnv, String name) throws IOException {
        int p = port == 0 ? TestService.freePort() : port;
        Path dir = Path.of("target", "processes");
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-jar", jar().toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("MADOGUCHI_") || k.startsWith("PG") || k.equals("DATABASE_URL"));
        Map<String, String> settings = new HashMap<>();
        settings.put("PORT", Integer.toString(p));
        settings.put("DATABASE_URL", TestDatabase.url(db));
        settings.put("MADOGUCHI_DEMO", "false");
        settings.put("MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN", TestService.ADMIN_TOKEN);
        settings.put("MADOGUCHI_VERIFY_PER_ADDRESS_PER_MINUTE", "1000000");
        settings.put("MADOGUCHI_BOOKING_CHANGES_PER_CARD_PER_DAY", "1000000");
        settings.put("MADOGUCHI_SHARDS", "2");
        settings.put("MANAGEMENT_PORT", "0"); // any free one: several services run at once
        settings.putAll(extraEnv);
        env.putAll(settings);
        return new ServiceProcess(p, log, pb.start());
    }

    public static ServiceProcess start(Config.DatabaseUrl db, int port, Map<String, String> extraEnv, String name) throws Exception {
        ServiceProcess sp = launch(db, port, extraEnv, name);
        sp.awaitReady(Duration.ofSeconds(90));
        return sp;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code /ready} answers 200; fails when the process dies or the time runs out. */
    public void awaitReady(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50); // polling a starting process: no clock to move
        }
        throw new IllegalStateException("the service was not ready within " + limit + "; see " + log);
    }

    /**
     * Kills the process the way a crash does: {@link Process#destroyForcibly()} sends SIGKILL on
     * Linux (no shutdown hooks run). Returns the exit code, 137 = 128 + SIGKILL.
     */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service did not die after SIGKILL");
        }
        return process.exitValue();
    }

    /**
     * Sends SIGTERM, as a rolling deploy does ({@link Process#destroy()} on Linux), without
     * waiting: the service drains, then exits. {@link #exit(Duration)} waits for it.
     */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; answers its exit code (143 = 128 + SIGTERM). */
    public int exit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the service did not exit within " + limit + "; see " + log);
        }
        return process.exitValue();
    }

    /** Stops the process with SIGTERM (a clean stop). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
