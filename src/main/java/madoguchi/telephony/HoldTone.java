package madoguchi.telephony;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What a caller in the queue hears between announcements when no hold music is configured: a soft
 * two-note chime every 5 seconds for 30 seconds (8 kHz, 16-bit mono WAV, as telephone audio is),
 * made once, so the line never sounds dead.
 */
public final class HoldTone {
    private static final int RATE = 8000;
    private static final int SECONDS = 30;
    private static final byte[] WAV = make();

    private HoldTone() {
    }

    public static byte[] wav() {
        return WAV.clone();
    }

    private static byte[] make() {
        short[] samples = new short[RATE * SECONDS];
        for (int start = 0; start < samples.length; start += RATE * 5) {
            note(samples, start, 659.25);                  // E5
            note(samples, start + RATE * 6 / 10, 523.25);  // C5
        }
        ByteBuffer data = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            data.putShort(s);
        }
        ByteBuffer head = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        head.put("RIFF".getBytes()).putInt(36 + data.capacity()).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(data.capacity());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.array());
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    /** A bell-like note: quiet (a fifth of full scale), a soft attack and a long decay. */
    private static void note(short[] into, int start, double hz) {
        int length = RATE * 12 / 10;
        for (int i = 0; i < length && start + i < into.length; i++) {
            double t = (double) i / RATE;
            double envelope = Math.min(1, t / 0.02) * Math.exp(-t * 3.5);
            double v = envelope * (Math.sin(2 * Math.PI * hz * t) + 0.3 * Math.sin(4 * Math.PI * hz * t)) / 1.3;
            into[start + i] = (short) (into[start + i] + v * 0.2 * Short.MAX_VALUE);
        }
    }
}
