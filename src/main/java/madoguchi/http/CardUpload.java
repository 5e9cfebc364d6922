package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.micrometer.core.instrument.MeterRegistry;
import madoguchi.app.booking.BookingDesk;
import madoguchi.app.sites.Sites;
import madoguchi.app.cards.CardCsv;
import madoguchi.app.cards.CardImportStore;
import madoguchi.app.cards.CardLifecycle;
import madoguchi.app.cards.CsvLines;
import madoguchi.app.cards.ImportProgress;
import madoguchi.app.staff.Principal;
import madoguchi.app.staff.StaffActions;
import madoguchi.domain.Site;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code POST /api/v1/admin/cards/import}: a status file read as it arrives, never held whole. Its
 * lines are checked a chunk at a time (off the event loop) and written into one transaction while
 * the upload waits (the request is paused, so a fast sender cannot run ahead of the database).
 * Only when the last byte has arrived and every chunk is written is the transaction committed: an
 * upload cut off midway, refused for its size or failing on the database leaves nothing behind.
 * A file whose header is unusable is refused at once with {@code 400 invalid_csv}, nothing written.
 * One import per staff member and {@link ImportPermits#AT_ONCE} in all run at a time; more are
 * refused {@code 429} before their body is read. How far each has got is kept in
 * {@link ImportProgress} (answered by {@link ImportProgressRoute}), fed by the same events as the
 * rows counted on /metrics.
 */
public final class CardUpload {
    static final int CHUNK = 5_000;

    private final Needs s;
    private final ImportPermits permits;

    /**
     * What a card import works with: the import's store, the sites it may name, the lifecycle and
     * desk for the bookings it strands, the registry that counts its rows, and the figures of the
     * imports running (shared by every HTTP verticle, as the permits are).
     */
    public record Needs(CardImportStore cardImport, Sites sites, CardLifecycle lifecycle, BookingDesk desk, MeterRegistry registry,
                        ImportProgress progress) {
    }

    CardUpload(Needs needs, ImportPermits permits) {
        this.s = needs;
        this.permits = permits;
    }

    /** Runs after the admin guard, before any body handler; never passes the request on. */
    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Principal who = Guard.principal(ctx);
        long declared = declaredLength(request);
        if (declared > HttpVerticle.IMPORT_LIMIT) {
            Answers.error(ctx, 413, "body_too_large", "A status file may be at most " + HttpVerticle.IMPORT_LIMIT / (1024 * 1024) + " MiB.");
            return;
        }
        if (declared == 0 || (declared < 0 && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) || request.isEnded()) {
            Answers.error(ctx, 400, "invalid_request", "Send the CSV file as the request body (header "
                    + String.join(",", CardCsv.REQUIRED) + ").");
            return;
        }
        // checked before a permit is taken or the body invited
        boolean dryRun = Inputs.dryRun(ctx);
        String expect = request.getHeader(HttpHeaders.EXPECT);
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            Answers.error(ctx, 417, "expectation_failed", "Only Expect: 100-continue is understood.");
            return;
        }
        String refusal = permits.take(who.name());
        if (refusal != null) {
            ctx.response().putHeader("Retry-After", "10");
            Answers.error(ctx, 429, refusal, refusal.equals("import_in_progress")
                    ? "An import of yours is still running; send the next file when it has been answered."
                    : "Other imports are running; please retry shortly.");
            return;
        }
        // given back once: as the answer's head is written (before the client can read it, so that
        // it may send its next file at once), or when the connection closes unanswered
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                permits.release(who.name());
            }
        };
        ctx.addHeadersEndHandler(v -> release.run());
        ctx.addEndHandler(done -> release.run());
        if (expect != null && request.version() != HttpVersion.HTTP_1_0) {
            request.response().writeContinue(); // only now: the caller is known and may send
        }
        // the file may name a site opened on another instance a moment ago: the sites are read first
        // (the body waits, paused); if they cannot be, the import goes on with those known
        s.sites().reload().onComplete(read -> {
            if (!ctx.response().closed() && !ctx.response().ended()) {
                new Upload(ctx, who, dryRun, s.progress().start(who.name(), dryRun, declared)).start();
            }
        });
    }

    private static long declaredLength(HttpServerRequest request) {
        String text = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return text == null ? -1 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One upload's state; everything but the checking of a chunk runs on the request's event loop. */
    private final class Upload {
        private final RoutingContext ctx;
        private final HttpServerRequest request;
        private final Principal who;
        /** Everything is checked and written, then dropped: the answer says what the file would change. */
        private final boolean dryRun;
        /** The figure administrators read while this runs; ended exactly once, however the upload ends. */
        private final ImportProgress.Running progress;
        private final long started = System.nanoTime();
        private final CsvLines splitter = new CsvLines();
        private final CardCsv.Reader reader;
        private final List<CardCsv.Rejected> rejected = new ArrayList<>();
        private List<String> pending = new ArrayList<>();
        private int lines;
        private long bytes;
        private int accepted;
        private boolean headerRead;
        private boolean ended;
        private boolean over;
        private Future<CardImportStore.Batch> batch;
        private Future<Void> written = Future.succeededFuture();

        Upload(RoutingContext ctx, Principal who, boolean dryRun, ImportProgress.Running progress) {
            this.ctx = ctx;
            this.request = ctx.request();
            this.who = who;
            this.dryRun = dryRun;
            this.progress = progress;
            this.reader = new CardCsv.Reader(s.sites().all().stream().map(Site::id).collect(Collectors.toSet()), LocalDate.now());
        }

        void start() {
            request.handler(this::data).endHandler(v -> end()).exceptionHandler(e -> abandon());
            // the connection closed (idle timeout, the client gone) before the answer: nothing is kept
            ctx.addEndHandler(done -> abandon());
            request.resume();
        }

        private void data(Buffer buffer) {
            if (over) {
                return;
            }
            bytes += buffer.length();
            progress.bytesRead(buffer.length());
            if (bytes > HttpVerticle.IMPORT_LIMIT) {
                refuse(413, "body_too_large", "A status file may be at most " + HttpVerticle.IMPORT_LIMIT / (1024 * 1024) + " MiB.");
                return;
            }
            byte[] b = buffer.getBytes();
            splitter.feed(b, 0, b.length, this::line);
        }

        private void line(String text) {
            if (over) {
                return;
            }
            lines++;
            if (!headerRead) {
                headerRead = true;
                String error = reader.header(text == CsvLines.TOO_LONG ? "" : text);
                if (error != null) {
                    refuse(400, "invalid_csv", error);
                    return;
                }
                var counted = s.registry().counter("madoguchi_card_import_rows", "result", "written");
                // the figure and /metrics learn of each written chunk together, so they agree
                batch = s.cardImport().begin(who.name(), written -> {
                    counted.increment(written);
                    progress.written(written);
                });
                return;
            }
            progress.rowRead();
            pending.add(text);
            if (pending.size() >= CHUNK) {
                request.pause(); // resumed once this chunk is in the database
                writePending().onSuccess(v -> {
                    if (!over && !ended) {
                        request.resume();
                    }
                });
            }
        }

        /** Checks the lines read so far (off the event loop) and writes their rows, after the chunks before them. */
        private Future<Void> writePending() {
            List<String> chunk = pending;
            int first = lines - chunk.size() + 1;
            pending = new ArrayList<>();
            written = written.compose(v -> ctx.vertx().executeBlocking(() -> reader.read(first, chunk), false))
                    .compose(parsed -> {
                        rejected.addAll(parsed.rejected());
                        accepted += parsed.rows().size();
                        s.registry().counter("madoguchi_card_import_rows", "result", "rejected").increment(parsed.rejected().size());
                        progress.rejected(parsed.rejected().size());
                        return batch.compose(b -> b.write(parsed.rows()));
                    });
            written.onFailure(this::failed);
            return written;
        }

        private void end() {
            ended = true;
            if (over) {
                return;
            }
            splitter.finish(this::line);
            if (over) {
                return;
            }
            if (!headerRead) {
                refuse(400, "invalid_csv", "the file is empty; the first line must be the header " + String.join(",", CardCsv.REQUIRED));
                return;
            }
            if (dryRun) {
                writePending().compose(v -> batch).compose(CardImportStore.Batch::dryRun).onSuccess(this::tried).onFailure(this::failed);
                return;
            }
            // the import and its audit row are one transaction (StaffActions' rule for every staff change)
            writePending().compose(v -> batch).compose(b -> StaffActions.recorded(b.commit(counts ->
                            StaffActions.cardImport(who, counts.imported(), counts.updated(), rejected.size()))))
                    .onSuccess(this::committed).onFailure(this::failed);
        }

        /** The dry run's answer: what the file would change, nothing written (no booking is ended either). */
        private void tried(CardImportStore.Counts counts) {
            over = true;
            progress.end(ImportProgress.Outcome.DRY_RUN, null, summary(counts));
            JsonArray wouldEnd = new JsonArray();
            counts.stranded().forEach(b -> wouldEnd.add(new JsonObject().put("code", b.code()).put("cardState", b.cardState())));
            Answers.json(ctx, 200, answer(counts).put("dryRun", true).put("bookingsThatWouldEnd", wouldEnd));
        }

        /** The counts as the answer gives them, with the rejected lines. */
        private JsonObject answer(CardImportStore.Counts counts) {
            JsonArray list = new JsonArray();
            rejected.forEach(r -> list.add(new JsonObject().put("line", r.line()).put("error", r.error())));
            return new JsonObject().put("imported", counts.imported())
                    .put("updated", counts.updated())
                    .put("unchanged", accepted - counts.imported() - counts.updated())
                    .put("rejected", list)
                    .put("phones", new JsonObject().put("kept", counts.phones().kept()).put("set", counts.phones().set())
                            .put("cleared", counts.phones().cleared()))
                    .put("byState", new JsonObject(new java.util.TreeMap<>(counts.byState())))
                    .put("bySite", new JsonObject(new java.util.TreeMap<>(counts.bySite())))
                    .put("millis", (System.nanoTime() - started) / 1_000_000);
        }

        /** The counts the progress keeps of an import that ended. */
        private ImportProgress.Counts summary(CardImportStore.Counts counts) {
            return new ImportProgress.Counts(counts.imported(), counts.updated(), accepted - counts.imported() - counts.updated());
        }

        private void committed(CardImportStore.Counts counts) {
            over = true;
            progress.end(ImportProgress.Outcome.COMMITTED, null, summary(counts));
            if (ctx.response().closed()) {
                return; // committed as the client went away: the cards are in; nobody to tell
            }
            endStranded(counts, who)
                    .onFailure(ctx::fail)
                    .onSuccess(ended -> Answers.json(ctx, 200, answer(counts).put("bookingsEnded", ended)));
        }

        /** Refused midway (size, header): answered at once; what was written is dropped. */
        private void refuse(int status, String code, String message) {
            if (over) {
                return;
            }
            progress.end(ImportProgress.Outcome.REFUSED, code, null);
            abandon();
            Answers.error(ctx, status, code, message);
        }

        private void failed(Throwable e) {
            if (over) {
                return;
            }
            // the code the failure handler will answer with, as near as it can be told here
            progress.end(ImportProgress.Outcome.FAILED, e instanceof Problem p ? p.code
                    : e instanceof madoguchi.app.staff.NotRecorded ? "not_recorded" : "internal_error", null);
            abandon();
            ctx.fail(e);
        }

        /** Nothing of this upload is kept: its transaction is rolled back once the chunk being written is done. */
        private void abandon() {
            if (over) {
                return;
            }
            over = true;
            progress.end(ImportProgress.Outcome.ABANDONED, null, null);
            if (batch != null) {
                Future<CardImportStore.Batch> open = batch;
                written.eventually(() -> open.compose(CardImportStore.Batch::rollback));
            }
        }
    }

    /**
     * Active bookings the file stranded: a card now issued completes its booking (the seat stays
     * counted); a card no longer ready, or kept at another site now, has its booking cancelled
     * (the seat is free again). The import itself is already written; a failure here is reported.
     */
    private Future<JsonArray> endStranded(CardImportStore.Counts counts, Principal who) {
        List<Future<JsonObject>> each = new ArrayList<>();
        for (CardImportStore.Stranded b : counts.stranded()) {
            Future<String> done = b.cardState().equals("issued")
                    ? s.lifecycle().issued(b.code(), "import:" + who.name())
                            .map(r -> r instanceof madoguchi.app.cards.LifecycleStore.Issued ? "issued" : "unchanged")
                    : s.desk().cancel(new madoguchi.app.booking.CardRef(b.cardId(), b.bookingSiteId()), b.code(),
                            b.cardState().equals("ready") ? "status file: card kept at another site" : "status file: card " + b.cardState())
                            .map(settled -> settled.ok() ? "cancelled" : "unchanged");
            each.add(done.recover(e -> Future.succeededFuture("failed"))
                    .map(action -> new JsonObject().put("code", b.code()).put("cardState", b.cardState()).put("action", action)));
        }
        return Future.join(new ArrayList<>(each)).map(v -> {
            JsonArray out = new JsonArray();
            each.forEach(f -> out.add(f.result()));
            return out;
        });
    }
}
