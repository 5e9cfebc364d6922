package madoguchi.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 connection spoken byte by byte, for what a normal client hides: how much of a body
 * the server took before it answered, whether it closed the connection, a head sent slowly.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private long bodyBytesWritten;

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Writes body bytes, counting them. */
    public void sendBody(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        bodyBytesWritten += bytes.length;
    }

    public long bodyBytesWritten() {
        return bodyBytesWritten;
    }

    private static final int TIMED_OUT = -2;
    private static final int CLOSED = -1;
    private boolean closedByServer;

    /** One read of at most {@code millis}: the bytes read, {@link #CLOSED} or {@link #TIMED_OUT}. */
    private int readOnce(int millis) throws IOException {
        if (closedByServer) {
            return CLOSED;
        }
        socket.setSoTimeout(Math.max(1, millis));
        byte[] buffer = new byte[8192];
        try {
            int n = in.read(buffer);
            if (n < 0) {
                closedByServer = true;
                return CLOSED;
            }
            received.write(buffer, 0, n);
            return n;
        } catch (SocketTimeoutException e) {
            return TIMED_OUT;
        } catch (SocketException e) {
            closedByServer = true; // reset by the server
            return CLOSED;
        }
    }

    private static int left(long until) {
        return (int) Math.max(1, (until - System.nanoTime()) / 1_000_000L);
    }

    /** Waits up to {@code millis} for the server to send something or close; true when it did. */
    public boolean answered(int millis) throws IOException {
        return readOnce(millis) != TIMED_OUT;
    }

    /** Reads until the server closes the connection or {@code millis} pass; true when it closed. */
    public boolean closedWithin(int millis) throws IOException {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < until) {
            int n = readOnce(left(until));
            if (n == CLOSED) {
                return true;
            } else if (n == TIMED_OUT) {
                return false;
            }
        }
        return false;
    }

    /** Reads until {@code text} has arrived, the server closed, or {@code millis} passed; true when it arrived. */
    public boolean awaitText(String text, int millis) throws IOException {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (!received().contains(text) && System.nanoTime() < until) {
            if (readOnce(left(until)) < 0) {
                break;
            }
        }
        return received().contains(text);
    }

    /** Everything the server sent so far. */
    public String received() {
        return received.toString(StandardCharsets.UTF_8);
    }

    /** The status code of the first answer received that is not {@code 100 Continue}, or 0. */
    public int status() {
        for (String line : received().split("\r\n")) {
            if (line.matches("HTTP/1\\.[01] [0-9]{3}.*") && !line.startsWith("HTTP/1.1 100")) {
                return Integer.parseInt(line.substring(9, 12));
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
