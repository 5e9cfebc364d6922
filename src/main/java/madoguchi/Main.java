package madoguchi;

import java.time.Clock;

/**
 * {@code java -jar madoguchi.jar} runs the service. Configuration comes from the environment
 * (see docs/operations.md); a mistake there stops start-up with one line and exit code 2.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(Commands.run(args));
            return;
        }
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (Config.Invalid e) {
            System.err.println("madoguchi: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config.jsonLogs()) {
            Logs.useJson();
        }
        Application app;
        try {
            app = Application.start(config, Clock.systemUTC());
        } catch (madoguchi.telephony.Flow.Broken e) {
            System.err.println("madoguchi: the phone flow is broken: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(Main.class).error("madoguchi could not start: {}", e.toString(), e);
            System.exit(1);
            return;
        }
        // SIGTERM (a rolling deploy, Ctrl-C): leave without dropping a request, then close
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.drain();
            app.close();
        }, "madoguchi-shutdown"));
    }
}
