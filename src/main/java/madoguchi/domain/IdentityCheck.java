package madoguchi.domain;

import java.util.List;
import java.util.Set;

/**
 * The documents shown at the counter (本人確認). The city's rule: the notice (交付通知書) and either
 * one photo ID of type A or two documents of type B. A proxy (代理人) also brings the letter of
 * attorney (the notice's 委任欄 or a 委任状), a document showing why the resident cannot come, and
 * their own photo ID.
 */
public record IdentityCheck(boolean notice, List<String> typeA, List<String> typeB, boolean byProxy, List<String> proxyDocuments) {

    /** Photo IDs (one is enough): driving licence, passport, disability certificate, residence card, ... */
    public static final Set<String> TYPE_A = Set.of("driver_license", "passport", "disability_certificate", "residence_card",
            "special_permanent_resident_certificate", "basic_resident_register_card", "driving_history_certificate");
    /** Documents without a photo (two are needed): health insurance card, pension book, student or employee ID, ... */
    public static final Set<String> TYPE_B = Set.of("health_insurance_card", "pension_book", "pension_certificate", "student_id",
            "employee_id", "medical_certificate", "other_official");
    /** What a proxy brings besides the resident's documents. */
    public static final Set<String> PROXY = Set.of("letter_of_attorney", "reason_document", "proxy_photo_id");

    public IdentityCheck {
        typeA = List.copyOf(typeA);
        typeB = List.copyOf(typeB);
        proxyDocuments = List.copyOf(proxyDocuments);
    }

    /** The first document name that is not one of the known kinds, or null. */
    public String unknownDocument() {
        for (String a : typeA) {
            if (!TYPE_A.contains(a)) {
                return a;
            }
        }
        for (String b : typeB) {
            if (!TYPE_B.contains(b)) {
                return b;
            }
        }
        for (String p : proxyDocuments) {
            if (!PROXY.contains(p)) {
                return p;
            }
        }
        return null;
    }

    /** Whether the documents satisfy the rule. */
    public boolean enough() {
        boolean resident = notice && (!typeA.isEmpty() || Set.copyOf(typeB).size() >= 2);
        return resident && (!byProxy || Set.copyOf(proxyDocuments).containsAll(PROXY));
    }

    /** Every document shown, as the visit keeps them. */
    public List<String> all() {
        List<String> out = new java.util.ArrayList<>();
        if (notice) {
            out.add("notice");
        }
        out.addAll(typeA);
        out.addAll(typeB);
        out.addAll(proxyDocuments);
        return out;
    }
}
