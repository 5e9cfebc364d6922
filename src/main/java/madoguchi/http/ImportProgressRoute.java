package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.cards.ImportProgress;

import java.util.Locale;

/**
 * {@code GET /api/v1/admin/cards/import/progress}: the card imports running on this instance and
 * how the last one ended (admins only, by the guard on /api/v1/admin). Two may run at once
 * (ImportPermits), one per staff member: {@code mine} marks the caller's, which is how the reports
 * page finds its own upload among them.
 */
final class ImportProgressRoute {
    private final ImportProgress progress;

    ImportProgressRoute(ImportProgress progress) {
        this.progress = progress;
    }

    void mount(Router router) {
        router.get("/api/v1/admin/cards/import/progress").handler(this::answer);
    }

    private void answer(RoutingContext ctx) {
        String caller = Guard.principal(ctx).name();
        JsonArray running = new JsonArray();
        progress.running().forEach(f -> running.add(figure(f).put("mine", f.actor().equals(caller))));
        JsonObject answer = new JsonObject().put("running", !running.isEmpty()).put("imports", running);
        progress.last().ifPresent(last -> answer.put("last", finished(last)));
        Answers.json(ctx, 200, answer);
    }

    private static JsonObject figure(ImportProgress.Figure f) {
        return new JsonObject().put("actor", f.actor()).put("dryRun", f.dryRun()).put("startedAt", Answers.time(f.startedAt()))
                .put("rowsRead", f.rowsRead()).put("rowsWritten", f.rowsWritten()).put("rowsRejected", f.rowsRejected())
                .put("bytesRead", f.bytesRead()).put("bytesTotal", f.bytesTotal()).put("percent", f.percent());
    }

    private static JsonObject finished(ImportProgress.Finished last) {
        ImportProgress.Counts c = last.counts();
        return figure(last.figure()).put("finishedAt", Answers.time(last.finishedAt())).put("millis", last.millis())
                .put("outcome", last.outcome().name().toLowerCase(Locale.ROOT)).put("error", last.error())
                .put("imported", c == null ? null : c.imported()).put("updated", c == null ? null : c.updated())
                .put("unchanged", c == null ? null : c.unchanged());
    }
}
