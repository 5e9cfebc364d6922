package madoguchi.telephony;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
 * {@code java -jar madoguchi.jar text --to URL --from NUMBER WORDS...}: sends one text message to a
 * running service as Twilio would deliver a resident's SMS (signed with {@code TWILIO_AUTH_TOKEN}),
 * and prints the reply the resident would get. For trying CANCEL, STOP and YES by hand.
 */
public final class TextSimulator {
    private TextSimulator() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String to = null;
        String from = null;
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < args.length; i++) {
            if ((args[i].equals("--to") || args[i].equals("--from")) && i + 1 < args.length) {
                if (args[i].equals("--to")) {
                    to = args[++i];
                } else {
                    from = args[++i];
                }
            } else {
                body.append(body.length() == 0 ? "" : " ").append(args[i]);
            }
        }
        if (to == null || !(to.startsWith("http://") || to.startsWith("https://")) || from == null || body.length() == 0) {
            err.println("usage: java -jar madoguchi.jar text --to http://localhost:8080/twilio/sms --from +819012345678 CANCEL 1234567890");
            err.println("       (TWILIO_AUTH_TOKEN must be the service's: the message is signed with it, as Twilio signs it)");
            return 2;
        }
        String token = env.get("TWILIO_AUTH_TOKEN");
        if (token == null || token.isBlank()) {
            err.println("madoguchi text: set TWILIO_AUTH_TOKEN to the service's auth token (requests are signed with it)");
            return 2;
        }
        try {
            out.println(reply(send(to, from, body.toString(), new TwilioSigner(token))));
            return 0;
        } catch (IOException e) {
            err.println("madoguchi text: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String send(String url, String from, String text, TwilioSigner signer) throws IOException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        params.put("AccountSid", "ACsimulator");
        params.put("From", from);
        params.put("To", "+81445550000");
        params.put("Body", text);
        params.put("NumMedia", "0");
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", signer.sign(url, params))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The text of the TwiML {@code <Message>}s, one per line. */
    private static String reply(String twiml) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8)));
            NodeList messages = d.getElementsByTagName("Message");
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < messages.getLength(); i++) {
                text.append(i == 0 ? "" : "\n").append(((Element) messages.item(i)).getTextContent().trim());
            }
            return text.length() == 0 ? "(no reply)" : text.toString();
        } catch (Exception e) {
            throw new IOException("the service did not answer TwiML: " + twiml, e);
        }
    }
}
