package madoguchi.store;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import madoguchi.Config;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Where the data lives: an external PostgreSQL ({@code DATABASE_URL}) or the embedded one, with
 * the schema brought up to date by Flyway before anything else touches it.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final Config.DatabaseUrl location;
    private final EmbeddedDatabase embedded;

    public Database(Config.DatabaseUrl location, EmbeddedDatabase embedded) {
        this.location = location;
        this.embedded = embedded;
    }

    public static Database open(Config config) {
        if (config.database().isPresent()) {
            LOG.info("using PostgreSQL at {}", config.database().get());
            return new Database(config.database().get(), null);
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDir());
        return new Database(new Config.DatabaseUrl("127.0.0.1", embedded.port(), "postgres", "postgres", ""), embedded);
    }

    public Config.DatabaseUrl location() {
        return location;
    }

    public void migrate() {
        Flyway.configure()
                .dataSource(jdbcUrl(), location.user(), location.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** A plain JDBC connection, for start-up work (demo data, bootstrap) and command-line tools. */
    public Connection jdbc() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", location.user());
        props.setProperty("password", location.password());
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /** Where the database is, for the pool and for the one connection that listens to notifications. */
    public PgConnectOptions connectOptions() {
        PgConnectOptions connect = new PgConnectOptions()
                .setHost(location.host())
                .setPort(location.port())
                .setDatabase(location.database())
                .setUser(location.user())
                .setPassword(location.password())
                .setCachePreparedStatements(true)
                .setPipeliningLimit(256);
        // a statement that hangs must not hold a booking batch forever
        connect.addProperty("statement_timeout", "10000");
        connect.addProperty("application_name", "madoguchi");
        return connect;
    }

    public Pool pool(Vertx vertx, int size) {
        PgConnectOptions connect = connectOptions();
        PoolOptions options = new PoolOptions()
                .setMaxSize(size)
                .setName("madoguchi")
                .setConnectionTimeout(5)
                .setConnectionTimeoutUnit(TimeUnit.SECONDS)
                .setMaxWaitQueueSize(10_000)
                .setIdleTimeout(60)
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        return PgBuilder.pool().with(options).connectingTo(connect).using(vertx).build();
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://" + location.host() + ":" + location.port() + "/" + location.database();
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
