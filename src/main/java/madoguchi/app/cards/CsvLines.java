package madoguchi.app.cards;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts bytes arriving in pieces into lines (ended by LF, CRLF or a lone CR, as spreadsheets write
 * them), decoded as UTF-8. A line longer than its bound is not kept: it comes out as
 * {@link #TOO_LONG}, so one endless line cannot fill the memory.
 */
public final class CsvLines {
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Stands for a line that was longer than the bound (compare by identity). */
    public static final String TOO_LONG = new String("(too long)");

    private final int maxBytes;
    private byte[] line = new byte[256];
    private int length;
    private boolean tooLong;
    private boolean afterCarriageReturn;

    public CsvLines(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public CsvLines() {
        this(MAX_LINE_BYTES);
    }

    public void feed(byte[] bytes, int from, int to, Consumer<String> lines) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b == '\n' && afterCarriageReturn) {
                afterCarriageReturn = false; // the LF of a CRLF whose CR already ended the line
                continue;
            }
            afterCarriageReturn = b == '\r';
            if (b == '\n' || b == '\r') {
                lines.accept(take());
            } else if (!tooLong) {
                if (length == maxBytes) {
                    tooLong = true;
                    length = 0;
                } else {
                    if (length == line.length) {
                        line = Arrays.copyOf(line, (int) Math.min((long) line.length * 2, Math.max(maxBytes, 256)));
                    }
                    line[length++] = b;
                }
            }
        }
    }

    /** The last line, when the file does not end with a line break. */
    public void finish(Consumer<String> lines) {
        if (length > 0 || tooLong) {
            lines.accept(take());
        }
    }

    private String take() {
        String text = tooLong ? TOO_LONG : new String(line, 0, length, StandardCharsets.UTF_8);
        length = 0;
        tooLong = false;
        return text;
    }
}
