package madoguchi.support;

import madoguchi.Config;
import madoguchi.store.EmbeddedDatabase;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh, empty database for each test class: on the PostgreSQL at 127.0.0.1:5432 when it
 * answers (development and CI machines), otherwise on one embedded server started for the run.
 * Databases made here are dropped when the test JVM ends.
 */
public final class TestDatabase {
    private static Config.DatabaseUrl server;
    private static final List<String> created = new ArrayList<>();

    private TestDatabase() {
    }

    public static synchronized Config.DatabaseUrl fresh() {
        Config.DatabaseUrl s = server();
        String name = "madoguchi_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(s, "postgres", "CREATE DATABASE " + name);
        created.add(name);
        return new Config.DatabaseUrl(s.host(), s.port(), name, s.user(), s.password());
    }

    public static String url(Config.DatabaseUrl db) {
        String auth = db.password().isEmpty() ? db.user() : db.user() + ":" + db.password();
        return "postgresql://" + auth + "@" + db.host() + ":" + db.port() + "/" + db.database();
    }

    public static Connection connect(Config.DatabaseUrl db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database(),
                db.user(), db.password());
    }

    private static Config.DatabaseUrl server() {
        if (server != null) {
            return server;
        }
        if (answers("127.0.0.1", 5432)) {
            server = new Config.DatabaseUrl("127.0.0.1", 5432, "postgres", "postgres", "");
        } else {
            EmbeddedDatabase embedded = EmbeddedDatabase.start(Path.of("target", "test-postgres"));
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
            server = new Config.DatabaseUrl("127.0.0.1", embedded.port(), "postgres", "postgres", "");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropAll));
        return server;
    }

    private static synchronized void dropAll() {
        for (String name : created) {
            try {
                execute(server, "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException e) {
                // the server may already be gone at JVM exit; nothing to clean then
            }
        }
    }

    private static void execute(Config.DatabaseUrl s, String database, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + s.host() + ":" + s.port() + "/" + database,
                s.user(), s.password()); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "': " + e.getMessage(), e);
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
