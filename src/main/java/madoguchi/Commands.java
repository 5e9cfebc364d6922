package madoguchi;

import madoguchi.app.staff.ApiTokens;
import madoguchi.app.staff.Passwords;
import madoguchi.app.staff.Principal;
import madoguchi.store.Database;
import madoguchi.store.PgUserStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Map;
import java.util.Optional;

/** Sub-commands of the jar besides running the service. */
final class Commands {
    static final String PASSWORD_VARIABLE = "MADOGUCHI_USER_PASSWORD";

    private Commands() {
    }

    static int run(String[] args) {
        return run(args, System.getenv(), System.in, System.out, System.err);
    }

    static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        if (args.length >= 2 && args[0].equals("user") && args[1].equals("add")) {
            return userAdd(args, env, in, out, err);
        }
        if ("call".equals(args[0])) {
            return madoguchi.telephony.CallSimulator.run(args, env, in, out, err);
        }
        if ("text".equals(args[0])) {
            return madoguchi.telephony.TextSimulator.run(args, env, out, err);
        }
        err.println("madoguchi: unknown command '" + String.join(" ", args) + "'");
        usage(err);
        return 2;
    }

    private static void usage(PrintStream err) {
        err.println("usage: java -jar madoguchi.jar                                   run the service (configured by environment variables)");
        err.println("       java -jar madoguchi.jar user add NAME --role operator|admin");
        err.println("            create a staff user; the console password is read from " + PASSWORD_VARIABLE
                + " or from standard input, and the user's API token is printed once");
        err.println("       java -jar madoguchi.jar call --to http://localhost:8080/twilio/voice [--from +819012345678]");
        err.println("            play a phone call against a running service (needs TWILIO_AUTH_TOKEN)");
        err.println("       java -jar madoguchi.jar text --to http://localhost:8080/twilio/sms --from +819012345678 CANCEL 1234567890");
        err.println("            send a resident's SMS to a running service and print its reply (needs TWILIO_AUTH_TOKEN)");
    }

    /** {@code user add NAME --role operator|admin}: a user with a console password and an API token (printed once). */
    private static int userAdd(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        if (args.length != 5 || !args[3].equals("--role")) {
            usage(err);
            return 2;
        }
        String name = args[2];
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            err.println("madoguchi: a user name may use letters, digits and . _ - only (at most 64)");
            return 2;
        }
        Optional<Principal.Role> role = Principal.Role.fromWire(args[4]);
        if (role.isEmpty()) {
            err.println("madoguchi: --role must be operator or admin");
            return 2;
        }
        String password = env.get(PASSWORD_VARIABLE);
        if (password == null || password.isEmpty()) {
            java.io.Console console = System.console();
            if (console != null && in == System.in) {
                char[] typed = console.readPassword("Console password for %s: ", name);
                password = typed == null ? null : new String(typed);
            } else {
                try {
                    password = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                } catch (IOException e) {
                    password = null;
                }
            }
        }
        String weakness = Passwords.weakness(password);
        if (weakness != null) {
            err.println("madoguchi: " + weakness);
            return 2;
        }
        Config config;
        try {
            config = Config.fromEnvironment(env);
        } catch (Config.Invalid e) {
            err.println("madoguchi: " + e.getMessage());
            return 2;
        }
        String token = ApiTokens.fresh();
        try (Database database = Database.open(config)) {
            database.migrate();
            try (Connection c = database.jdbc()) {
                if (!PgUserStore.add(c, name, role.get(), Passwords.hash(password), ApiTokens.digest(token))) {
                    err.println("madoguchi: a user named '" + name + "' already exists");
                    return 1;
                }
            }
        } catch (Exception e) {
            err.println("madoguchi: could not create the user: " + e.getMessage());
            return 1;
        }
        out.println("created " + role.get().wire() + " '" + name + "'; sign in at /console" + (role.get() == Principal.Role.ADMIN ? " or /admin" : ""));
        out.println("API token (shown once, keep it safe): " + token);
        return 0;
    }
}
