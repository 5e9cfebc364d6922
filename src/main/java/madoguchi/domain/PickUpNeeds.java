package madoguchi.domain;

import java.util.List;

/**
 * What a resident needs at the counter, told ahead by the resident (web), an operator or the
 * phone's operator: a wheelchair, sign language, an interpreter (the language), a hearing loop,
 * anything else; and whether a proxy (代理人) comes instead, with the documents they will bring.
 */
public record PickUpNeeds(boolean wheelchair, boolean signLanguage, String interpreter, boolean hearingLoop, String other,
                          boolean proxy, List<String> proxyDocuments) {

    public static final PickUpNeeds NONE = new PickUpNeeds(false, false, null, false, null, false, List.of());

    public PickUpNeeds {
        proxyDocuments = List.copyOf(proxyDocuments);
        interpreter = blankToNull(interpreter);
        other = blankToNull(other);
    }

    /** Whether anything at all is needed (the day list marks such a visit). */
    public boolean any() {
        return wheelchair || signLanguage || interpreter != null || hearingLoop || other != null || proxy;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
