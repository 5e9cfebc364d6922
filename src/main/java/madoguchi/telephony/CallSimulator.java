package madoguchi.telephony;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code java -jar madoguchi.jar call --to URL}: plays Twilio against a running service. It signs
 * each request with TWILIO_AUTH_TOKEN, prints what would be said, reads the keys or words the
 * person types, and follows Gathers, Redirects and the operator queue until the call ends.
 */
public final class CallSimulator {
    private static final int MAX_STEPS = 200;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final TwilioSigner signer;
    private final String from;
    private final String sid = "CA" + UUID.randomUUID().toString().replace("-", "");
    private final BufferedReader in;
    private final PrintStream out;

    private CallSimulator(String authToken, String from, InputStream in, PrintStream out) {
        this.signer = new TwilioSigner(authToken);
        this.from = from;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
    }

    /** Runs the command; the exit code. */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        String to = null;
        String from = "+819012345678";
        String status = null;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--to":
                    to = value;
                    i++;
                    break;
                case "--from":
                    from = value;
                    i++;
                    break;
                case "--status":
                    status = value;
                    i++;
                    break;
                default:
                    err.println("madoguchi call: unknown option '" + args[i] + "'");
                    return usage(err);
            }
        }
        if (to == null || !(to.startsWith("http://") || to.startsWith("https://"))) {
            return usage(err);
        }
        String token = env.get("TWILIO_AUTH_TOKEN");
        if (token == null || token.isBlank()) {
            err.println("madoguchi call: set TWILIO_AUTH_TOKEN to the service's auth token (requests are signed with it)");
            return 2;
        }
        if (status == null) {
            status = to.replaceAll("/+$", "") + "/status";
        }
        try {
            new CallSimulator(token, from, in, out).call(to, status);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("madoguchi call: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage: java -jar madoguchi.jar call --to http://localhost:8080/twilio/voice [--from +819012345678] [--status URL]");
        err.println("       (TWILIO_AUTH_TOKEN must be the service's; type keys like 1 or 2100000001# or words, an empty line is silence, Ctrl-D hangs up)");
        return 2;
    }

    private void call(String voiceUrl, String statusUrl) throws IOException, InterruptedException {
        out.println("(calling " + voiceUrl + " from " + from + ")");
        String url = voiceUrl;
        Map<String, String> extra = Map.of();
        boolean waiting = false;
        String waitUrl = null;
        for (int step = 0; step < MAX_STEPS && url != null; step++) {
            Element response = post(url, extra);
            extra = Map.of();
            String next = null;
            boolean ended = false;
            for (Node n = response.getFirstChild(); n != null && next == null && !ended; n = n.getNextSibling()) {
                if (!(n instanceof Element)) {
                    continue;
                }
                Element verb = (Element) n;
                switch (verb.getTagName()) {
                    case "Say":
                        say(verb);
                        break;
                    case "Gather": {
                        NodeList says = verb.getElementsByTagName("Say");
                        for (int i = 0; i < says.getLength(); i++) {
                            say((Element) says.item(i));
                        }
                        out.print("> ");
                        out.flush();
                        String typed = in.readLine();
                        if (typed == null) {
                            ended = true;
                            break;
                        }
                        typed = typed.trim();
                        Map<String, String> input = new LinkedHashMap<>();
                        if (typed.matches("[0-9#*]+")) {
                            String finish = verb.getAttribute("finishOnKey");
                            input.put("Digits", finish.isEmpty() ? typed : typed.replace(finish, ""));
                        } else if (!typed.isEmpty()) {
                            input.put("SpeechResult", typed);
                            input.put("Confidence", "0.9");
                        }
                        if (typed.isEmpty() && waiting) {
                            break; // silence while waiting in the queue: keep waiting
                        }
                        next = resolve(url, verb.getAttribute("action"));
                        extra = input;
                        break;
                    }
                    case "Redirect":
                        next = resolve(url, verb.getTextContent().trim());
                        break;
                    case "Enqueue":
                        out.println("(waiting for an operator in the queue '" + verb.getTextContent().trim()
                                + "'; press 1 to ask for a call back, an empty line keeps waiting, Ctrl-D hangs up)");
                        waiting = true;
                        waitUrl = resolve(url, verb.getAttribute("waitUrl"));
                        next = waitUrl;
                        extra = Map.of("QueuePosition", "1", "CurrentQueueSize", "1");
                        break;
                    case "Pause":
                        break;
                    case "Hangup":
                        ended = true;
                        break;
                    default:
                        out.println("(" + verb.getTagName() + ")");
                }
            }
            if (next == null && waiting && !ended) {
                String typed = null;
                // the wait URL is played again while the caller waits
                next = waitUrl;
                extra = Map.of("QueuePosition", "1", "CurrentQueueSize", "1");
                if (response.getElementsByTagName("Gather").getLength() == 0) {
                    out.print("(still waiting; Enter to keep waiting, Ctrl-D hangs up) ");
                    out.flush();
                    typed = in.readLine();
                    if (typed == null) {
                        ended = true;
                    }
                }
            }
            url = ended ? null : next;
        }
        out.println("(the call ends)");
        post(statusUrl, Map.of("CallStatus", "completed", "CallDuration", "60"));
    }

    private void say(Element say) {
        String lang = say.getAttribute("language");
        out.println("  [" + (lang.isEmpty() ? "?" : lang) + "] " + say.getTextContent().trim());
    }

    private static String resolve(String current, String url) {
        return url == null || url.isEmpty() ? current : URI.create(current).resolve(url).toString();
    }

    private Element post(String url, Map<String, String> extra) throws IOException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", sid);
        params.put("AccountSid", "ACsimulator");
        params.put("From", from);
        params.put("To", "+81445550000");
        params.put("CallStatus", "in-progress");
        params.put("Direction", "inbound");
        params.putAll(extra);
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", signer.sign(url, params))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
            return d.getDocumentElement();
        } catch (Exception e) {
            throw new IOException(url + " did not answer TwiML: " + r.body(), e);
        }
    }
}
