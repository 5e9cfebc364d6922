package madoguchi.app.verification;

import madoguchi.app.limits.AttemptLimiter;
import madoguchi.app.limits.Lockouts;

import madoguchi.app.cards.CardRecord;
import madoguchi.app.cards.CardStore;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A resident proves who they are with the notice number and the birth date, on the web or by
 * phone; here are the limits that keep a birth date from being found by trying, in one place for
 * both channels:
 * <ul>
 * <li>per source: a web client address (IPv6 by /64, see {@link AddressKey}) may try so many times
 * a minute, every attempt counted; a calling number may fail so many times an hour;
 * <li>per notice number: so many failures an hour (web and phone together), then locked until
 * the hour is over, even for the right date;
 * <li>service-wide: {@link VerificationBrake}.
 * </ul>
 * Failures are counted <em>before</em> the card is looked up (a reservation, given back when the
 * date was right): guesses sent at the same moment cannot together pass a limit. Each refusal
 * counts in {@code madoguchi_abuse_lockouts_total{kind}}.
 */
public final class Verification {
    /** The per-source and per-notice limits (each counted in this instance's memory). */
    public record Limits(AttemptLimiter perAddress, AttemptLimiter failuresPerCaller, AttemptLimiter failuresPerNotice) {
    }

    /** What became of an attempt. */
    public sealed interface Outcome permits Verified, Failed, Locked {
    }

    /** The notice number and the birth date belong to this card. */
    public record Verified(CardRecord card) implements Outcome {
    }

    /** What a lockout locks: one notice number, one calling number, one web address, or every check. */
    public enum Lock {
        NOTICE, CALLER, ADDRESS, SERVICE
    }

    /**
     * No card has this notice number and birth date (the same answer for both). {@code locked} is
     * set when this failure used up a limit, so that a person can be told at once.
     */
    public record Failed(Locked locked) implements Outcome {
    }

    /**
     * Refused before the card was looked up: what is locked, until when, and by which limit
     * ({@code kind}, as counted in {@code madoguchi_abuse_lockouts_total}).
     */
    public record Locked(Instant until, String kind) implements Outcome {
        public Lock what() {
            return switch (kind) {
                case "verify_notice" -> Lock.NOTICE;
                case "verify_caller" -> Lock.CALLER;
                case "verify_address" -> Lock.ADDRESS;
                default -> Lock.SERVICE;
            };
        }
    }

    private final CardStore cards;
    private final Limits limits;
    private final VerificationBrake brake;
    private final MeterRegistry registry;

    public Verification(CardStore cards, Limits limits, VerificationBrake brake, MeterRegistry registry) {
        this.cards = cards;
        this.limits = limits;
        this.brake = brake;
        this.registry = registry;
    }

    /** An attempt on the web page or API from {@code hostAddress}; {@code notice} is normalized, never null. */
    public Future<Outcome> byWeb(String hostAddress, String notice, LocalDate birth) {
        String source = AddressKey.of(hostAddress);
        Instant until = limits.perAddress().tryAcquire(source);
        if (until != null) {
            return locked(until, "verify_address");
        }
        until = brake.admit(source);
        if (until != null) {
            return locked(until, "verify_service");
        }
        AttemptLimiter.Reservation byNotice = limits.failuresPerNotice().reserve(noticeKey(notice));
        if (byNotice.refusedUntil() != null) {
            return locked(byNotice.refusedUntil(), "verify_notice");
        }
        return check(notice, birth, byNotice, null);
    }

    /**
     * An attempt by phone from {@code caller} (the calling number, or null when withheld: those
     * callers share one count). {@code notice} or {@code birth} is null when what was keyed in is
     * not one; that is a failure without a lookup.
     */
    public Future<Outcome> byPhone(String caller, String notice, LocalDate birth) {
        String source = "caller:" + (caller == null || caller.isBlank() ? "anonymous" : caller);
        AttemptLimiter.Reservation byCaller = limits.failuresPerCaller().reserve(source);
        if (byCaller.refusedUntil() != null) {
            return locked(byCaller.refusedUntil(), "verify_caller");
        }
        AttemptLimiter.Reservation byNotice = notice == null ? null : limits.failuresPerNotice().reserve(noticeKey(notice));
        if (byNotice != null && byNotice.refusedUntil() != null) {
            byCaller.giveBack();
            return locked(byNotice.refusedUntil(), "verify_notice");
        }
        Instant until = brake.admit(source);
        if (until != null) {
            byCaller.giveBack();
            if (byNotice != null) {
                byNotice.giveBack();
            }
            return locked(until, "verify_service");
        }
        if (byNotice == null || birth == null) {
            // nothing to look up: a failure all the same
            brake.failed();
            return Future.succeededFuture(new Failed(lockedAfterFailure(source, notice)));
        }
        return check(notice, birth, byNotice, byCaller).map(outcome -> outcome instanceof Failed
                ? new Failed(lockedAfterFailure(source, notice)) : outcome);
    }

    /**
     * The lock on a notice number now, or null: only a look (an operator's, for a resident who
     * called), nothing is counted.
     */
    public Locked lockOf(String notice) {
        Instant until = limits.failuresPerNotice().lockedUntil(noticeKey(notice));
        return until == null ? null : new Locked(until, "verify_notice");
    }

    private Future<Outcome> check(String notice, LocalDate birth, AttemptLimiter.Reservation byNotice,
                                  AttemptLimiter.Reservation byCaller) {
        Future<Optional<CardRecord>> found;
        try {
            found = cards.byNoticeNumber(notice);
        } catch (RuntimeException e) {
            found = Future.failedFuture(e);
        }
        return found.<Outcome>map(card -> {
            if (card.isPresent() && card.get().birthDate().equals(birth)) {
                byNotice.giveBack();
                if (byCaller != null) {
                    byCaller.giveBack();
                }
                return new Verified(card.get());
            }
            brake.failed();
            return new Failed(null);
        }).onFailure(e -> {
            // not evaluated (the database could not be asked): not a guess
            byNotice.giveBack();
            if (byCaller != null) {
                byCaller.giveBack();
            }
        });
    }

    /**
     * When a failure just used up a count: which, and until when. The notice number comes first:
     * its owner, calling from their own phone, is told that this number is locked, not their phone.
     */
    private Locked lockedAfterFailure(String source, String notice) {
        Instant until = notice == null ? null : limits.failuresPerNotice().lockedUntil(noticeKey(notice));
        if (until != null) {
            return new Locked(until, "verify_notice");
        }
        until = limits.failuresPerCaller().lockedUntil(source);
        return until == null ? null : new Locked(until, "verify_caller");
    }

    private Future<Outcome> locked(Instant until, String kind) {
        Lockouts.count(registry, kind);
        return Future.succeededFuture(new Locked(until, kind));
    }

    private static String noticeKey(String notice) {
        return "notice:" + notice;
    }
}
