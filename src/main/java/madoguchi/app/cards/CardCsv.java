package madoguchi.app.cards;

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
 * Reads a card status file: a header naming at least {@code noticeNumber,birthDate,siteId,state}
 * (optionally {@code phone}, {@code cancelReason}, {@code appliedOn} and {@code changedOn}, the day
 * the card reached its state — e.g. the issuance day; the import day when absent), then one card
 * per line. Bad lines are reported with their line number; good lines are kept.
 * <p>
 * The national system's status files carry no phone numbers, so a file never erases one by
 * leaving it out: an absent {@code phone} column or an empty cell keeps the stored number, a
 * number sets it, and {@value #CLEAR} clears it.
 */
public final class CardCsv {
    public static final List<String> REQUIRED = List.of("noticeNumber", "birthDate", "siteId", "state");
    /** A phone cell that clears the stored number. */
    public static final String CLEAR = "-";
    private static final Set<String> REASONS = Set.of("moved_out", "moved_between_wards", "died", "expired", "withdrawn");
    private static final java.util.regex.Pattern PHONE = java.util.regex.Pattern.compile("\\+?[0-9]{8,16}");
    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    /** A card's line; {@code phone} is null to keep the stored number, empty to clear it, else the number. */
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

    /** Reads a whole file held in memory (the upload itself is read line by line, see {@link Reader}). */
    public static Parsed parse(String text, Set<String> knownSites) {
        Reader reader = new Reader(knownSites, LocalDate.now());
        List<String> lines = new ArrayList<>();
        CsvLines splitter = new CsvLines(Integer.MAX_VALUE);
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        splitter.feed(bytes, 0, bytes.length, lines::add);
        splitter.finish(lines::add);
        String headerError = reader.header(lines.isEmpty() ? "" : lines.get(0));
        if (headerError != null) {
            return new Parsed(List.of(), List.of(), headerError);
        }
        Parsed body = reader.read(2, lines.subList(1, lines.size()));
        return new Parsed(body.rows(), body.rejected(), null);
    }

    /**
     * The rules of the file, applied as it arrives: first its header, then its lines in order, a
     * chunk at a time. It remembers only the notice numbers seen (a number twice is refused),
     * never the lines. Not thread-safe: one chunk at a time, in order.
     */
    public static final class Reader {
        private final Set<String> knownSites;
        private final LocalDate today;
        private final Map<String, Integer> column = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        private final Map<String, Integer> seen = new HashMap<>();

        public Reader(Set<String> knownSites, LocalDate today) {
            this.knownSites = knownSites;
            this.today = today;
        }

        /** Reads the header line; the reason it is unusable, or null. */
        public String header(String line) {
            if (line.isBlank()) {
                return "the file is empty; the first line must be the header " + String.join(",", REQUIRED);
            }
            String[] header = line.replace("\uFEFF", "").split(",", -1);
            for (int i = 0; i < header.length; i++) {
                column.put(header[i].trim(), i);
                names.add(header[i].trim());
            }
            for (String name : REQUIRED) {
                if (!column.containsKey(name)) {
                    return "the header lacks the column '" + name + "'; expected " + String.join(",", REQUIRED);
                }
            }
            return null;
        }

        /** Reads consecutive lines, the first of them numbered {@code firstLine} in the file. */
        public Parsed read(int firstLine, List<String> lines) {
            List<Row> rows = new ArrayList<>();
            List<Rejected> rejected = new ArrayList<>();
            for (int k = 0; k < lines.size(); k++) {
                int line = firstLine + k;
                String text = lines.get(k);
                if (text == CsvLines.TOO_LONG) {
                    rejected.add(new Rejected(line, "the line is longer than " + CsvLines.MAX_LINE_BYTES + " bytes"));
                    continue;
                }
                if (text.isBlank()) {
                    continue;
                }
                Object read = line(line, text.split(",", -1));
                if (read instanceof Row) {
                    rows.add((Row) read);
                } else {
                    rejected.add((Rejected) read);
                }
            }
            return new Parsed(rows, rejected, null);
        }

        private Object line(int line, String[] f) {
            String control = controlCharacter(f);
            if (control != null) {
                return new Rejected(line, control);
            }
            String error = null;
            String notice = NoticeNumber.normalize(field(f, column, "noticeNumber"));
            LocalDate birth = date(field(f, column, "birthDate"));
            String phone = column.containsKey("phone") ? field(f, column, "phone") : "";
            String site = field(f, column, "siteId");
            CardState state = CardState.fromWire(field(f, column, "state").toLowerCase(Locale.ROOT)).orElse(null);
            String reason = column.containsKey("cancelReason") ? field(f, column, "cancelReason") : "";
            String appliedText = column.containsKey("appliedOn") ? field(f, column, "appliedOn") : "";
            LocalDate applied = appliedText.isEmpty() ? null : date(appliedText);
            String changedText = column.containsKey("changedOn") ? field(f, column, "changedOn") : "";
            LocalDate changed = changedText.isEmpty() ? null : date(changedText);
            if (f.length < names.size()) {
                error = "expected " + names.size() + " fields, found " + f.length;
            } else if (notice == null) {
                error = "noticeNumber must be 6 to 20 digits";
            } else if (birth == null || birth.isAfter(today) || birth.getYear() < 1880) {
                error = "birthDate must be a past date written YYYY-MM-DD";
            } else if (!phone.isEmpty() && !phone.equals(CLEAR) && !PHONE.matcher(phone).matches()) {
                error = "phone must be 8 to 16 digits, optionally starting with + (empty keeps the stored number, - clears it)";
            } else if (!knownSites.contains(site)) {
                error = "siteId '" + abbreviate(site) + "' is not a known site";
            } else if (state == null) {
                error = "state must be one of " + CardState.wires();
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
                return new Rejected(line, error);
            }
            seen.put(notice, line);
            return new Row(line, notice, birth, phone.isEmpty() ? null : phone.equals(CLEAR) ? "" : phone, site, state,
                    reason.isEmpty() ? null : reason, applied, changed);
        }

        /**
         * A cell holding a control character (NUL, escape, a stray carriage return ...) refuses its
         * line, naming the column: such bytes have no place in a status file, and kept they would
         * reach the database, logs and the CSV exports.
         */
        private String controlCharacter(String[] f) {
            for (int i = 0; i < f.length; i++) {
                String cell = f[i];
                for (int c = 0; c < cell.length(); c++) {
                    char ch = cell.charAt(c);
                    if (ch < 0x20 || (ch >= 0x7F && ch <= 0x9F)) {
                        String name = i < names.size() && !names.get(i).isEmpty() ? "'" + abbreviate(names.get(i)) + "'" : "number " + (i + 1);
                        return "column " + name + " contains a control character (U+" + String.format("%04X", (int) ch) + ")";
                    }
                }
            }
            return null;
        }
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
