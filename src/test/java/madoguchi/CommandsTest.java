package madoguchi;

import io.vertx.core.json.JsonObject;
import madoguchi.support.StaffClient;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code user add NAME --role ROLE}: the user then signs in with the password and calls the API with the printed token. */
class CommandsTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Commands.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void userAddCreatesAStaffMemberWhoSignsInAndUsesTheToken() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        Map<String, String> env = Map.of("DATABASE_URL", TestDatabase.url(db));
        Run added = run(env, "a long enough password\n", "user", "add", "suzuki", "--role", "operator");
        assertEquals(0, added.code(), added.err());
        assertFalse(added.out().contains("a long enough password"));
        Matcher m = Pattern.compile("API token \\(shown once, keep it safe\\): (\\S+)").matcher(added.out());
        assertTrue(m.find(), added.out());
        String token = m.group(1);

        Run again = run(env, "a long enough password\n", "user", "add", "suzuki", "--role", "operator");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already exists"));
        assertEquals(2, run(env, "short\n", "user", "add", "tanaka", "--role", "admin").code());
        assertEquals(2, run(env, "a long enough password\n", "user", "add", "tanaka", "--role", "boss").code());
        assertEquals(2, run(env, "", "user", "add", "tanaka").code());
        Run byEnv = run(Map.of("DATABASE_URL", TestDatabase.url(db), Commands.PASSWORD_VARIABLE, "admin password from env"), "",
                "user", "add", "tanaka", "--role", "admin");
        assertEquals(0, byEnv.code(), byEnv.err());

        try (TestService service = TestService.start(db, Map.of(), Clock.systemUTC())) {
            assertEquals(200, service.get("/api/v1/operator/bookings?noticeNumber=123456", token).status());
            assertEquals(403, service.get("/api/v1/admin/audit", token).status());
            StaffClient c = new StaffClient(service.base());
            assertEquals("operator", c.login("suzuki", "a long enough password").json().getString("role"));
            StaffClient admin = new StaffClient(service.base());
            assertEquals("admin", admin.login("tanaka", "admin password from env").json().getString("role"));
            JsonObject entry = service.get("/api/v1/admin/audit?action=user.create&target=user:suzuki", TestService.ADMIN_TOKEN)
                    .json().getJsonArray("entries").getJsonObject(0);
            assertEquals("command-line", entry.getString("actor"));
        }
    }

    @Test
    void theDocsGiveTheDemoStaffPasswords() throws Exception {
        String guide = Files.readString(Path.of("docs/operators.md"));
        assertTrue(guide.contains("| `/console` | `demo-operator` | `" + Application.DEMO_OPERATOR_PASSWORD + "` | operator |"));
        assertTrue(guide.contains("`demo-admin` | `" + Application.DEMO_ADMIN_PASSWORD + "` | admin"));
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("| `demo-operator` | `" + Application.DEMO_OPERATOR_PASSWORD + "` |"), "the README's tour");
        assertTrue(readme.contains("| `demo-admin` | `" + Application.DEMO_ADMIN_PASSWORD + "` |"), "the README's tour");
    }
}
