package madoguchi.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of the web pages (resident, staff, reports), read once from the classpath under
 * {@code web/} and kept in memory with its content hash: the hash is the ETag and the {@code ?v=}
 * that pages put on their links, so a changed file is never served from a stale cache. The
 * security headers (policy, no sniffing) come from {@link SecurityHeaders} like every answer's.
 */
record WebAsset(byte[] bytes, String type, String etag, String version) {
    static final String HTML = "text/html; charset=utf-8";
    static final String JS = "text/javascript; charset=utf-8";

    static WebAsset of(byte[] bytes, String type) {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            return new WebAsset(bytes, type, "\"" + hash + "\"", hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static WebAsset of(String text, String type) {
        return of(text.getBytes(StandardCharsets.UTF_8), type);
    }

    /** The same file known by another {@code ?v=} (a module versioned with the set it belongs to). */
    WebAsset withVersion(String v) {
        return new WebAsset(bytes, type, etag, v);
    }

    /** A file under {@code web/}, its type from its name; fails at start-up when it is missing. */
    static WebAsset file(String path) {
        return of(read(path), type(path));
    }

    static String text(String path) {
        return new String(read(path), StandardCharsets.UTF_8);
    }

    private static byte[] read(String path) {
        try (InputStream in = WebAsset.class.getResourceAsStream("/web/" + path)) {
            if (in == null) {
                throw new IllegalStateException("web/" + path + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read web/" + path, e);
        }
    }

    private static String type(String name) {
        if (name.endsWith(".js")) {
            return JS;
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".html")) {
            return HTML;
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }

    /** Answers with the file, or 304 when the browser already has this version; HEAD gets the length only. */
    void send(RoutingContext ctx) {
        HttpServerResponse r = ctx.response();
        r.putHeader("ETag", etag);
        String match = ctx.request().getHeader("If-None-Match");
        if (match != null && (match.equals(etag) || match.equals("W/" + etag))) {
            r.setStatusCode(304).end();
            return;
        }
        r.putHeader("Content-Type", type);
        if (ctx.request().method() == HttpMethod.HEAD) {
            r.putHeader("Content-Length", Integer.toString(bytes.length)).end();
        } else {
            r.end(Buffer.buffer(bytes));
        }
    }
}
