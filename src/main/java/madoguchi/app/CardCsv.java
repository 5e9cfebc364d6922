package madoguchi.app;

import madoguchi.domain.CardState;
import madoguchi.domain.NoticeNumber;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a card status file: a header naming at least {@code noticeNumber,birthDate,phone,siteId,state}
 * (optionally {@code cancelReason}, {@code appliedOn} and {@code changedOn}, the day the card reached
 * its state — e.g. the issuance day; the import day when absent), then one card per line. Bad lines
 * are reported with their line number; good lines are kept.
 */
public final class CardCsv {
    public static final List<String> REQUIRED = List.of("noticeNumber", "birthDate", "phone", "siteId", "state");
    private static final Set<String> REASONS = Set.of("moved_out", "moved_between_wards", "died", "expired", "withdrawn");
    private static final java.util.regex.Pattern PHONE = java.util.regex.Pattern.compile("\\+?[0-9]{8,16}");
    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    public record Row(int line, String noticeNumber, LocalDate birthDate, String phone, String siteId, CardState state,
                      String cancelReason, LocalDate appliedOn, LocalDate changedOn) {
        public Row(int line, String noticeNumber, LocalDate birthDate, String phone, String siteId, CardState state,
                   String cancelReason, LocalDate appliedOn) {
            this(line, noticeNumber, birthDate, phone, siteId, state, cancelReason, appliedOn, null);
        }

        @Override
        public String toString() {
            // birth dates and phone numbers stay out of logs
            return "Row[line=" + line + ", siteId=" + siteId + ", state=" + state + "]";
        }
    }

    public record Rejected(int line, String error) {
    }

    public record Parsed(List<Row> rows, List<Rejected> rejected, String headerError) {
    }

    private CardCsv() {
    }

    public static Parsed parse(String text, Set<String> knownSites) {
        List<Row> rows = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        if (lines.length == 0 || lines[0].isBlank()) {
            return new Parsed(rows, rejected, "the file is empty; the first line must be the header "
                    + String.join(",", REQUIRED));
        }
        String[] header = lines[0].replace("\uFEFF", "").split(",", -1);
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            column.put(header[i].trim(), i);
        }
        for (String name : REQUIRED) {
            if (!column.containsKey(name)) {
                return new Parsed(rows, rejected, "the header lacks the column '" + name + "'; expected "
                        + String.join(",", REQUIRED));
            }
        }
        Map<String, Integer> seen = new HashMap<>(lines.length * 2);
        LocalDate today = LocalDate.now();
        for (int i = 1; i < lines.length; i++) {
            int line = i + 1;
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(",", -1);
            String error = null;
            String notice = NoticeNumber.normalize(field(f, column, "noticeNumber"));
            LocalDate birth = date(field(f, column, "birthDate"));
            String phone = field(f, column, "phone");
            String site = field(f, column, "siteId");
            CardState state = CardState.fromWire(field(f, column, "state").toLowerCase(Locale.ROOT)).orElse(null);
            String reason = column.containsKey("cancelReason") ? field(f, column, "cancelReason") : "";
            String appliedText = column.containsKey("appliedOn") ? field(f, column, "appliedOn") : "";
            LocalDate applied = appliedText.isEmpty() ? null : date(appliedText);
            String changedText = column.containsKey("changedOn") ? field(f, column, "changedOn") : "";
            LocalDate changed = changedText.isEmpty() ? null : date(changedText);
            if (f.length < header.length) {
                error = "expected " + header.length + " fields, found " + f.length;
            } else if (notice == null) {
                error = "noticeNumber must be 6 to 20 digits";
            } else if (birth == null || birth.isAfter(today) || birth.getYear() < 1880) {
                error = "birthDate must be a past date written YYYY-MM-DD";
            } else if (!phone.isEmpty() && !PHONE.matcher(phone).matches()) {
                error = "phone must be 8 to 16 digits, optionally starting with +";
            } else if (!knownSites.contains(site)) {
                error = "siteId '" + abbreviate(site) + "' is not a known site";
            } else if (state == null) {
                error = "state must be one of applied, incomplete, ready, issued, cancelled";
            } else if (!reason.isEmpty() && !REASONS.contains(reason)) {
                error = "cancelReason must be one of " + String.join(", ", new java.util.TreeSet<>(REASONS));
            } else if (!appliedText.isEmpty() && applied == null) {
                error = "appliedOn must be a date written YYYY-MM-DD";
            } else if (!changedText.isEmpty() && changed == null) {
                error = "changedOn must be a date written YYYY-MM-DD";
            } else if (state == CardState.CANCELLED && reason.isEmpty()) {
                error = "a cancelled card needs a cancelReason (" + String.join(", ", new java.util.TreeSet<>(REASONS)) + ")";
            } else if (seen.containsKey(notice)) {
                error = "noticeNumber appears twice in this file (first on line " + seen.get(notice) + ")";
            }
            if (error != null) {
                rejected.add(new Rejected(line, error));
                continue;
            }
            seen.put(notice, line);
            rows.add(new Row(line, notice, birth, phone.isEmpty() ? null : phone, site, state,
                    reason.isEmpty() ? null : reason, applied, changed));
        }
        return new Parsed(rows, rejected, null);
    }

    private static String field(String[] f, Map<String, Integer> column, String name) {
        int i = column.get(name);
        return i < f.length ? f[i].trim() : "";
    }

    private static LocalDate date(String s) {
        try {
            return s.length() == 10 && DATE.matcher(s).matches() ? LocalDate.of(Integer.parseInt(s.substring(0, 4)),
                    Integer.parseInt(s.substring(5, 7)), Integer.parseInt(s.substring(8, 10))) : null;
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
