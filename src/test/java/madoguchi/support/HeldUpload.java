package madoguchi.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP forwarder in front of the service for a browser that cannot be told to send slowly: it
 * passes everything, except that the first request whose head starts with {@code requestLine}
 * gets exactly {@code allowed} bytes of its body through and the rest only after
 * {@link #release()}. An upload is thereby held half-sent, at a byte the test chose, for as long
 * as the test likes (as a slow line would, but without a clock).
 */
public final class HeldUpload implements AutoCloseable {
    private final int targetPort;
    private final byte[] requestLine;
    private final long allowed;
    private final ServerSocket server;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CountDownLatch released = new CountDownLatch(1);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    public HeldUpload(int targetPort, String requestLine, long allowed) throws IOException {
        this.targetPort = targetPort;
        this.requestLine = requestLine.getBytes(StandardCharsets.ISO_8859_1);
        this.allowed = allowed;
        server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread acceptor = new Thread(this::accept, "held-upload-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Lets the rest of the held body through. */
    public void release() {
        released.countDown();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket("127.0.0.1", targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean watch) {
        Thread t = new Thread(() -> {
            Gate gate = watch ? new Gate() : null;
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (gate == null) {
                        out.write(buffer, 0, n);
                    } else {
                        gate.pass(buffer, n, out);
                    }
                    out.flush();
                }
            } catch (IOException | InterruptedException ignored) {
                // either side went away, or the test is over
            } finally {
                close(from);
                close(to);
            }
        }, "held-upload-pump");
        t.setDaemon(true);
        t.start();
    }

    /** What one connection's request bytes have shown so far: the request line, the end of the head, the body. */
    private final class Gate {
        private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
        private final byte[] recent = new byte[Math.max(requestLine.length, HEAD_END.length)];
        private int seen;
        private boolean inHead;
        private long bodyLeft = -1;

        void pass(byte[] buffer, int n, OutputStream out) throws IOException, InterruptedException {
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (bodyLeft > 0) {
                    if (--bodyLeft == 0) {
                        out.write(buffer, from, i + 1 - from);
                        out.flush();
                        from = i + 1;
                        released.await();
                    }
                    continue;
                }
                if (bodyLeft == 0) {
                    continue; // released: everything passes
                }
                remember(buffer[i]);
                if (!inHead && endsWith(requestLine) && claimed.compareAndSet(false, true)) {
                    inHead = true;
                    seen = 0;
                } else if (inHead && endsWith(HEAD_END)) {
                    bodyLeft = allowed;
                    if (allowed == 0) {
                        out.write(buffer, from, i + 1 - from);
                        out.flush();
                        from = i + 1;
                        released.await();
                    }
                }
            }
            out.write(buffer, from, n - from);
        }

        private void remember(byte b) {
            System.arraycopy(recent, 1, recent, 0, recent.length - 1);
            recent[recent.length - 1] = b;
            seen++;
        }

        private boolean endsWith(byte[] tail) {
            if (seen < tail.length) {
                return false;
            }
            for (int k = 0; k < tail.length; k++) {
                if (recent[recent.length - tail.length + k] != tail[k]) {
                    return false;
                }
            }
            return true;
        }
    }

    private void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.remove(s);
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.close();
        open.forEach(this::close);
    }
}
