package madoguchi.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Staff routes decide from the request's headers alone, before any byte of its body is read: the
 * request is paused while the guard looks the token up, and only a request let through reaches
 * the body handler (which resumes it, and only then answers {@code Expect: 100-continue}). A
 * request answered while its body is still unread (401, 403, 429, a refused upload) has its
 * connection closed, so a caller without a token cannot make the service take in megabytes first.
 */
final class HeadersFirst {
    private HeadersFirst() {
    }

    static Handler<RoutingContext> of(Handler<RoutingContext> guard) {
        return ctx -> {
            HttpServerRequest request = ctx.request();
            if (request.isEnded()) {
                guard.handle(ctx);
                return;
            }
            // even a request without a body is paused: the body handler refuses one that ended meanwhile
            request.pause();
            if (declaresBody(request)) {
                ctx.addHeadersEndHandler(v -> {
                    if (!request.isEnded()) {
                        ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                    }
                });
                // Vert.x flushes the answer before it closes; the unread rest of the body is never taken in
                ctx.addEndHandler(done -> {
                    if (!request.isEnded()) {
                        request.connection().close();
                    }
                });
            }
            guard.handle(ctx);
        };
    }

    /**
     * After the guard: a request that declares no body at all is resumed here, since the body
     * handler leaves it alone; one that does is resumed by whatever reads its body.
     */
    static void resumeBodiless(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            request.resume();
        }
        ctx.next();
    }

    static boolean declaresBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.trim().equals("0"));
    }
}
