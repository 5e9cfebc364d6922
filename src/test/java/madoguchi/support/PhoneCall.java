package madoguchi.support;

import madoguchi.telephony.TwilioSigner;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One phone call played the way Twilio plays it: signed form posts to the Voice URL and to each
 * Gather's action, with the TwiML answers parsed as XML.
 */
public final class PhoneCall {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public final String sid = "CA" + UUID.randomUUID().toString().replace("-", "");
    public final String from;
    /** The instance Twilio calls (changes when a test moves the call to another instance). */
    private String base;
    private final TwilioSigner signer;
    private Twiml last;

    public PhoneCall(String base, String authToken, String from) {
        this.base = base;
        this.signer = new TwilioSigner(authToken);
        this.from = from;
    }

    /** Twilio calls the number's Voice URL. */
    public Twiml dial() {
        return last = post("/twilio/voice", params()).twiml();
    }

    /** Keys pressed at the current Gather. */
    public Twiml press(String digits) {
        Map<String, String> p = params();
        p.put("Digits", digits);
        return last = post(gatherAction(), p).twiml();
    }

    /** Words said at the current Gather. */
    public Twiml say(String words) {
        Map<String, String> p = params();
        p.put("SpeechResult", words);
        p.put("Confidence", "0.9");
        return last = post(gatherAction(), p).twiml();
    }

    /** Nothing pressed or said before the Gather timed out. */
    public Twiml silence() {
        return last = post(gatherAction(), params()).twiml();
    }

    /** A signed post to a URL Twilio was given outside a Gather (a wait URL, an Enqueue action); its answer is the current one. */
    public Twiml follow(String path, Map<String, String> params) {
        return last = post(path, params).twiml();
    }

    public Twiml last() {
        return last;
    }

    public String gatherAction() {
        return relative(last.gather().getAttribute("action"));
    }

    public Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("CallSid", sid);
        p.put("AccountSid", "ACtest");
        p.put("From", from);
        p.put("To", "+81445550000");
        p.put("CallStatus", "in-progress");
        return p;
    }

    /** The status callback Twilio sends when the call ends. */
    public Answer hangUp() {
        Map<String, String> p = params();
        p.put("CallStatus", "completed");
        return post("/twilio/voice/status", p);
    }

    /** The call's next requests go to another instance (as a load balancer would send them). */
    public void moveTo(String otherBase) {
        this.base = otherBase;
    }

    /** Path and query of a URL in a TwiML answer, whichever instance wrote it. */
    public String relative(String url) {
        return url.startsWith(base) ? url.substring(base.length()) : url.replaceFirst("^https?://[^/]+", "");
    }

    /** A signed post to {@code path} (path and query). */
    public Answer post(String path, Map<String, String> params) {
        return post(path, params, signer.sign(base + path, params));
    }

    public Answer post(String path, Map<String, String> params, String signature) {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        try {
            HttpRequest request = b.build();
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            Contract.check(request.method(), request.uri(), r.statusCode(), r.headers().map(), r.body());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer to a webhook. */
    public record Answer(int status, String body, String contentType) {
        public Twiml twiml() {
            if (status != 200) {
                throw new AssertionError("webhook answered " + status + ": " + body);
            }
            return Twiml.parse(body);
        }
    }

    /** A TwiML document, parsed as XML. */
    public static final class Twiml {
        public final String xml;
        public final Element root;

        private Twiml(String xml, Element root) {
            this.xml = xml;
            this.root = root;
        }

        public static Twiml parse(String xml) {
            try {
                Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
                if (!"Response".equals(d.getDocumentElement().getTagName())) {
                    throw new AssertionError("not TwiML: " + xml);
                }
                return new Twiml(xml, d.getDocumentElement());
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError("not XML: " + xml, e);
            }
        }

        /** Every {@code <Say>} in document order, nested ones included. */
        public List<Element> says() {
            List<Element> out = new ArrayList<>();
            NodeList all = root.getElementsByTagName("Say");
            for (int i = 0; i < all.getLength(); i++) {
                out.add((Element) all.item(i));
            }
            return out;
        }

        /** Everything said, joined by spaces. */
        public String text() {
            return says().stream().map(Node::getTextContent).collect(Collectors.joining(" "));
        }

        public Element gather() {
            return one("Gather");
        }

        public Element enqueue() {
            return one("Enqueue");
        }

        public boolean has(String verb) {
            return root.getElementsByTagName(verb).getLength() > 0;
        }

        public Element one(String verb) {
            NodeList l = root.getElementsByTagName(verb);
            if (l.getLength() != 1) {
                throw new AssertionError("expected one <" + verb + "> in " + xml);
            }
            return (Element) l.item(0);
        }

        @Override
        public String toString() {
            return xml;
        }
    }
}
