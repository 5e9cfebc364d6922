package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import madoguchi.app.Words;
import madoguchi.app.booking.Settled;
import madoguchi.app.verification.Verification;
import madoguchi.domain.Refusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one mapper from outcomes to HTTP, on a real server in Vert.x's test harness: each refusal's
 * status, the words of app/Words in the request's language, and "until when" as Retry-After,
 * {@code retryAt} and in the message, with the call center as the next step.
 */
@ExtendWith(VertxExtension.class)
class AnswersTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant UNTIL = NOW.plusSeconds(5400);
    private HttpServer server;
    private WebClient client;

    @BeforeEach
    void serve(Vertx vertx, VertxTestContext test) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.put(Answers.CLOCK, Clock.fixed(NOW, ZoneOffset.UTC));
            ctx.put(Answers.CALL_CENTER, "044-200-3939");
            ctx.next();
        });
        router.get("/refused/:refusal").handler(ctx -> Answers.refuse(ctx, Refusal.valueOf(ctx.pathParam("refusal"))));
        router.get("/limited").handler(ctx -> Answers.refuse(ctx, Settled.limited(UNTIL)));
        router.get("/locked/:kind").handler(ctx ->
                Answers.locked(ctx, new Verification.Locked(UNTIL, ctx.pathParam("kind")), "044-200-3939"));
        router.get("/wrong-field").handler(ctx -> {
            throw Problem.badRequest("'reason' must be a non-empty string.");
        });
        router.get("/not-recorded").handler(ctx -> Answers.notRecorded(ctx));
        router.route().failureHandler(ctx -> Answers.problem(ctx, (Problem) ctx.failure()));
        client = WebClient.create(vertx);
        vertx.createHttpServer().requestHandler(router).listen(0).onComplete(test.succeeding(s -> {
            server = s;
            test.completeNow();
        }));
    }

    @AfterEach
    void close(VertxTestContext test) {
        client.close();
        server.close().onComplete(test.succeedingThenComplete());
    }

    private Future<HttpResponse<io.vertx.core.buffer.Buffer>> get(String path, String language) {
        var request = client.get(server.actualPort(), "127.0.0.1", path);
        if (language != null) {
            request.putHeader("Accept-Language", language);
        }
        return request.send();
    }

    @Test
    void eachRefusalHasItsStatusAndTheCatalogsWords(VertxTestContext test) {
        List<Object[]> cases = List.of(
                new Object[] {Refusal.SLOT_FULL, 409}, new Object[] {Refusal.NOT_FOUND, 404},
                new Object[] {Refusal.HOLD_EXPIRED, 410}, new Object[] {Refusal.SLOT_NOT_BOOKABLE, 422},
                new Object[] {Refusal.BUSY, 503}, new Object[] {Refusal.UNAVAILABLE, 503});
        Future<?> all = Future.succeededFuture();
        for (Object[] c : cases) {
            Refusal refusal = (Refusal) c[0];
            all = all.compose(v -> get("/refused/" + refusal.name(), "en-US,en;q=0.9")).map(r -> {
                test.verify(() -> {
                    assertEquals(c[1], r.statusCode(), refusal.name());
                    JsonObject body = r.bodyAsJsonObject();
                    assertEquals(refusal.code(), body.getString("error"));
                    assertEquals(Words.of(refusal).template(Words.Language.EN), body.getString("message"));
                });
                return r;
            });
        }
        all.compose(v -> get("/refused/SLOT_FULL", null)).onComplete(test.succeeding(r -> test.verify(() -> {
            assertEquals("この時間帯は満席です。別の時間帯をお選びください。", r.bodyAsJsonObject().getString("message"),
                    "no language asked for: the city's");
            test.completeNow();
        })));
    }

    @Test
    void aLimitSaysUntilWhenThreeWaysAndWhomToCall(VertxTestContext test) {
        get("/limited", "ja").onComplete(test.succeeding(r -> test.verify(() -> {
            assertEquals(429, r.statusCode());
            assertEquals("5400", r.getHeader("Retry-After"), "from the service's clock, not the machine's");
            JsonObject body = r.bodyAsJsonObject();
            assertEquals("too_many_changes", body.getString("error"));
            assertEquals("2026-12-01T10:30:00+09:00", body.getString("retryAt"));
            assertEquals(Words.TOO_MANY_CHANGES.textWithNextStep(Words.Language.JA, UNTIL, "044-200-3939"), body.getString("message"));
            assertTrue(body.getString("message").contains("12月1日(火) 10:30") && body.getString("message").contains("044-200-3939"));
            test.completeNow();
        })));
    }

    @Test
    void aLockSaysWhatIsLocked(VertxTestContext test) {
        Future.all(get("/locked/verify_notice", "en"), get("/locked/verify_address", "en"), get("/locked/verify_service", "ja"))
                .onComplete(test.succeeding(all -> test.verify(() -> {
                    List<HttpResponse<io.vertx.core.buffer.Buffer>> r = all.list();
                    for (var one : r) {
                        assertEquals(429, one.statusCode());
                        assertEquals("too_many_attempts", one.bodyAsJsonObject().getString("error"));
                    }
                    assertTrue(r.get(0).bodyAsJsonObject().getString("message")
                            .startsWith("Too many failed checks for this notice number: checks for it are paused until Tue 1 Dec 10:30"));
                    assertTrue(r.get(1).bodyAsJsonObject().getString("message").startsWith("Too many checks from this device"));
                    assertTrue(r.get(2).bodyAsJsonObject().getString("message").startsWith("確認の失敗が全体で急増しているため"));
                    test.completeNow();
                })));
    }

    @Test
    void aWrongFieldIsNamedInThePersonsLanguage(VertxTestContext test) {
        Future.all(get("/wrong-field", "ja"), get("/wrong-field", "en")).onComplete(test.succeeding(all -> test.verify(() -> {
            HttpResponse<io.vertx.core.buffer.Buffer> ja = all.resultAt(0);
            HttpResponse<io.vertx.core.buffer.Buffer> en = all.resultAt(1);
            assertEquals(400, ja.statusCode());
            assertEquals("invalid_request", ja.bodyAsJsonObject().getString("error"));
            assertEquals("入力「reason」を確かめてください。", ja.bodyAsJsonObject().getString("message"));
            assertEquals("'reason' must be a non-empty string.", en.bodyAsJsonObject().getString("message"));
            test.completeNow();
        })));
    }

    @Test
    void aStaffChangeNotRecordedIsOneAnswer(VertxTestContext test) {
        get("/not-recorded", "en").onComplete(test.succeeding(r -> test.verify(() -> {
            assertEquals(503, r.statusCode());
            assertEquals("2", r.getHeader("Retry-After"));
            assertEquals("not_recorded", r.bodyAsJsonObject().getString("error"));
            assertEquals(Words.NOT_RECORDED.template(Words.Language.EN), r.bodyAsJsonObject().getString("message"));
            test.completeNow();
        })));
    }
}
