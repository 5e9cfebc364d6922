package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import madoguchi.app.DatabaseProbe;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Tells "the database cannot be reached" apart from other failures, and pings it. */
public final class PgFailures implements DatabaseProbe {
    private final Pool pool;

    public PgFailures(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Void> ping() {
        return pool.query("SELECT 1").execute().timeout(2, TimeUnit.SECONDS).mapEmpty();
    }

    @Override
    public boolean unreachable(Throwable failure) {
        return isUnreachable(failure);
    }

    @Override
    public boolean tooSlow(Throwable failure) {
        return isStatementTimeout(failure);
    }

    @Override
    public boolean refusesData(Throwable failure) {
        return isDataRefused(failure);
    }

    /** SQLSTATE class 22 (data exception: 22021 a NUL byte, 22P05, 22001 too long…) or 23 (a constraint). */
    public static boolean isDataRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException) {
                String state = ((PgException) t).getSqlState();
                return state != null && (state.startsWith("22") || state.startsWith("23"));
            }
        }
        return false;
    }

    /** SQLSTATE 57014: the statement was cancelled at statement_timeout; its transaction rolled back. */
    public static boolean isStatementTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException && "57014".equals(((PgException) t).getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /** True for connection refused or reset, pool timeouts, server shutdown and statement timeouts. */
    public static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketException || t instanceof TimeoutException
                    || t instanceof io.vertx.core.VertxException && String.valueOf(t.getMessage()).contains("Timeout")
                    || String.valueOf(t.getMessage()).contains("Connection is closed")
                    // the server went away while a query was being written (a plain IOException, not a SocketException)
                    || t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("Connection reset")
                    || t instanceof io.vertx.core.http.HttpClosedException
                    // the server went away after the query was sent, before any answer came
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof PgException && isConnectionState(((PgException) t).getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("57014"));
    }
}
