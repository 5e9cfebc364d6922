package madoguchi.telephony;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes X-Twilio-Signature the way Twilio does (HMAC-SHA1 of the URL and the sorted form
 * parameters, Base64), for the call simulator and tests that play Twilio. The service itself
 * checks signatures with twilio-java's RequestValidator.
 */
public final class TwilioSigner {
    private final byte[] key;

    public TwilioSigner(String authToken) {
        this.key = authToken.getBytes(StandardCharsets.UTF_8);
    }

    public String sign(String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
